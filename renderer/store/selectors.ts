// Pure selectors: what the screens show, derived from the store's state. Anything that depends on
// time takes `now` (the host's clock, see hostNow) so that the same state always gives the same answer.
import type { AgentState, AgentStatus, Alert, LogStream } from '../../shared/status.js';
import { formatCpu, formatMemory, formatUptime, NO_VALUE } from './format.js';
import { healthSummary } from './health.js';
import { ringAt, ringToArray, type Ring } from './ring.js';
import { stopClockText } from './stop-clock.js';
import { waitingText, type StatusesByName } from './stacks.js';
import type { ActionError, AgentAction, AgentLog, AgentsSlice, GlobalAction, GroupAction, StatPoint, TrayState, UiSlice } from './types.js';

/** The host's clock now, from this window's clock and the offset measured at the last snapshot. */
export function hostNow(agents: AgentsSlice, localNow: number): number {
  return localNow + agents.clockOffsetMs;
}

/** Every agent in the host's order. */
export function agentList(agents: AgentsSlice): AgentStatus[] {
  const out: AgentStatus[] = [];
  for (const name of agents.order) {
    const s = agents.byName[name];
    if (s) out.push(s);
  }
  return out;
}

/** The selected agent's status, or null. */
export function selectedAgent(state: Pick<TrayState, 'agents' | 'ui'>): AgentStatus | null {
  return state.ui.selected === null ? null : (state.agents.byName[state.ui.selected] ?? null);
}

/** How long the agent has been running, or null when it is not running. */
export function uptimeOf(status: AgentStatus, now: number): number | null {
  if (status.state !== 'running' || status.startedAt === null) return null;
  return Math.max(0, now - status.startedAt);
}

export type SortKey = 'name' | 'state' | 'cpu' | 'memory' | 'gpu' | 'uptime' | 'restarts' | 'port' | 'pid';
export type SortDirection = 'asc' | 'desc';
export interface SortSpec {
  key: SortKey;
  dir: SortDirection;
}

/** The order of states when sorting by state, ascending: the ones that need attention first. */
export const STATE_ORDER: readonly AgentState[] = ['crashed', 'errored', 'backoff', 'waiting', 'starting', 'stopping', 'running', 'stopped'];

/** The value an agent sorts by (null: unknown, always last). */
function sortValue(status: AgentStatus, key: SortKey, now: number): number | string | null {
  switch (key) {
    case 'name':
      return status.name;
    case 'state':
      return STATE_ORDER.indexOf(status.state);
    case 'cpu':
      return status.stats?.cpuPercent ?? null;
    case 'memory':
      return status.stats?.memoryMB ?? null;
    case 'gpu':
      return status.stats?.gpuMemoryMB ?? null;
    case 'uptime':
      return uptimeOf(status, now);
    case 'restarts':
      return status.restarts;
    case 'port':
      return status.port;
    case 'pid':
      return status.pid;
  }
}

/** Names in natural order ("agent-9" before "agent-10"); one collator, since localeCompare with options builds one per call (7 ms against 0.35 ms to sort 200 names). */
const naturalOrder = new Intl.Collator(undefined, { numeric: true });
const byName = (a: AgentStatus, b: AgentStatus) => naturalOrder.compare(a.name, b.name);

/** The agents sorted by `sort`; unknown values (a stopped agent's CPU) last either way; ties by name. */
export function sortAgents(list: readonly AgentStatus[], sort: SortSpec, now: number): AgentStatus[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  return [...list].sort((a, b) => {
    const va = sortValue(a, sort.key, now);
    const vb = sortValue(b, sort.key, now);
    if (va === null || vb === null) {
      if (va === vb) return byName(a, b);
      return va === null ? 1 : -1;
    }
    const c = typeof va === 'string' && typeof vb === 'string' ? naturalOrder.compare(va, vb) : (va as number) - (vb as number);
    return c !== 0 ? sign * c : byName(a, b);
  });
}

export interface AgentFilter {
  /** Matches the name (case-insensitive), or equals the port or the pid. */
  text?: string;
  /** Only these states; empty or absent: every state. */
  states?: Iterable<AgentState>;
}

/** The agents that match the filter. */
export function filterAgents(list: readonly AgentStatus[], filter: AgentFilter): AgentStatus[] {
  const text = (filter.text ?? '').trim().toLowerCase();
  const states = new Set(filter.states ?? []);
  return list.filter((s) => {
    if (states.size > 0 && !states.has(s.state)) return false;
    if (!text) return true;
    return s.name.toLowerCase().includes(text) || String(s.port ?? '') === text || String(s.pid ?? '') === text;
  });
}

/** The agents list's rows: filtered, then sorted. */
export function visibleAgents(agents: AgentsSlice, view: { sort: SortSpec; filter: AgentFilter }, now: number): AgentStatus[] {
  return sortAgents(filterAgents(agentList(agents), view.filter), view.sort, now);
}

export type BadgeColour = 'green' | 'grey' | 'yellow' | 'red';

/** The colour of a state: running green, stopped grey, on the way yellow, failed red. */
export function stateColour(state: AgentState): BadgeColour {
  switch (state) {
    case 'running':
      return 'green';
    case 'stopped':
      return 'grey';
    case 'waiting':
    case 'starting':
    case 'backoff':
    case 'stopping':
      return 'yellow';
    case 'crashed':
    case 'errored':
      return 'red';
  }
}

/** What a click on the agent's badge does: start it, stop it, or nothing while it is stopping. */
export function toggleAction(status: AgentStatus): 'start' | 'stop' | null {
  switch (status.state) {
    case 'running':
    case 'waiting':
    case 'starting':
    case 'backoff':
      return 'stop';
    case 'stopping':
      return null;
    default:
      return 'start';
  }
}

export interface BadgeModel {
  name: string;
  state: AgentState;
  colour: BadgeColour;
  /** CSS classes: `badge badge--green`. */
  className: string;
  /** "3m 2s" while running, else null. */
  uptimeText: string | null;
  /** The accessible name: "alpha: running, up 3m 2s", "server: waiting for model (healthy)". */
  label: string;
  /** "waiting for model (healthy)" while it waits for its dependencies, else null. */
  waitingText: string | null;
  /** The hover text: pid, port, uptime, health, and why it failed. */
  tooltip: string;
  /** What a click does. */
  action: 'start' | 'stop' | null;
}

/** The status bar's badge of one agent; `byName` (every agent) says which of a waiting agent's conditions still hold it back. */
export function badgeModel(status: AgentStatus, now: number, byName: StatusesByName = {}): BadgeModel {
  const colour = stateColour(status.state);
  const up = uptimeOf(status, now);
  const uptimeText = up === null ? null : formatUptime(up);
  const waiting = waitingText(status, byName);
  const parts: string[] = [waiting ?? status.state];
  if (uptimeText) parts.push(`up ${uptimeText}`);
  if (status.state === 'backoff' && status.nextAttemptAt !== null) parts.push(`next start in ${formatUptime(status.nextAttemptAt - now)}`);
  if (status.state === 'running' && status.health === 'unhealthy') parts.push('unhealthy');
  const tooltip = [
    ...(waiting ? [waiting] : []),
    ...(status.state === 'stopping' && status.stopping ? [stopClockText(status.stopping, now)] : []),
    `pid ${status.pid ?? '—'}`,
    `port ${status.port ?? '—'}`,
    ...(status.url ? [`open ${status.url}`] : []),
    `uptime ${uptimeText ?? '—'}`,
    ...healthTip(status),
    ...(status.stats ? [`CPU ${formatCpu(status.stats.cpuPercent)}`, `memory ${formatMemory(status.stats.memoryMB)}`] : []),
    ...(status.lastError && (status.state === 'crashed' || status.state === 'errored' || status.state === 'backoff') ? [status.lastError.message] : []),
    ...(status.conflict ? [status.conflict.message] : []),
  ].join(' · ');
  return { name: status.name, state: status.state, colour, className: `badge badge--${colour}`, uptimeText, label: `${status.name}: ${parts.join(', ')}`, waitingText: waiting, tooltip, action: toggleAction(status) };
}

/** The badge tooltip's health part: "health healthy (87)" where a probe stands behind it, "no health check", "zombie", or nothing while unknown. */
function healthTip(status: AgentStatus): string[] {
  const h = healthSummary(status);
  if (h.score !== null) return [`health ${h.text} (${h.score})`];
  if (h.tone === 'zombie') return ['health zombie'];
  return status.probe === null ? ['no health check'] : [];
}

/** Every agent's badge, in the host's order. */
export function badgeModels(agents: AgentsSlice, now: number): BadgeModel[] {
  return agentList(agents).map((s) => badgeModel(s, now, agents.byName));
}

export interface SummaryCounts {
  total: number;
  byState: Record<AgentState, number>;
  running: number;
  stopped: number;
  /** waiting, starting, stopping, backoff. */
  transitioning: number;
  /** crashed, errored. */
  failed: number;
  healthy: number;
  unhealthy: number;
  /** Of the agents with a current sample. */
  cpuPercent: number;
  memoryMB: number;
}

/** How many agents are in each state, and what they use together. */
export function summaryCounts(list: readonly AgentStatus[]): SummaryCounts {
  const byState: Record<AgentState, number> = { stopped: 0, waiting: 0, starting: 0, running: 0, stopping: 0, backoff: 0, crashed: 0, errored: 0 };
  let healthy = 0;
  let unhealthy = 0;
  let cpuPercent = 0;
  let memoryMB = 0;
  for (const s of list) {
    byState[s.state]++;
    if (s.health === 'healthy') healthy++;
    if (s.health === 'unhealthy') unhealthy++;
    if (s.stats && (s.state === 'running' || s.state === 'stopping')) {
      cpuPercent += s.stats.cpuPercent;
      memoryMB += s.stats.memoryMB;
    }
  }
  return {
    total: list.length,
    byState,
    running: byState.running,
    stopped: byState.stopped,
    transitioning: byState.waiting + byState.starting + byState.stopping + byState.backoff,
    failed: byState.crashed + byState.errored,
    healthy,
    unhealthy,
    cpuPercent,
    memoryMB,
  };
}

/** The key that pending state and errors are kept under: `start:alpha`, `startAll`. */
export function actionKey(action: AgentAction | GlobalAction, name?: string | null): string {
  return name ? `${action}:${name}` : action;
}

/** The key of a group's action: `startGroup[research]` (never ending in `:name`, so no agent takes it for its own). */
export function groupActionKey(action: GroupAction, group: string): string {
  return `${action}[${group}]`;
}

/** The recorded error of an action, or null. */
export function errorFor(ui: UiSlice, action: AgentAction | GlobalAction, name?: string | null): ActionError | null {
  return ui.errors[actionKey(action, name)] ?? null;
}

/** True while the action runs. */
export function isPending(ui: UiSlice, action: AgentAction | GlobalAction, name?: string | null): boolean {
  return ui.pending[actionKey(action, name)] === true;
}

/** Every error recorded for one agent (any action), newest first. */
export function agentErrors(ui: Pick<UiSlice, 'errors'>, name: string): { key: string; error: ActionError }[] {
  return Object.entries(ui.errors)
    .filter(([key]) => key.endsWith(`:${name}`))
    .map(([key, error]) => ({ key, error }))
    .sort((a, b) => b.error.at - a.error.at);
}

/** An agent's chart data as uPlot wants it: times in seconds, then one array per series. */
export function statsSeries(ring: Ring<StatPoint> | undefined): { t: number[]; cpu: number[]; memoryMB: number[] } {
  const points = ring ? ringToArray(ring) : [];
  return { t: points.map((p) => p.t / 1000), cpu: points.map((p) => p.cpu), memoryMB: points.map((p) => p.memoryMB) };
}

/** An agent's GPU memory as a chart series: only the points where it is known (empty on a machine without an NVIDIA GPU). */
export function gpuSeries(ring: Ring<StatPoint> | undefined): { t: number[]; values: number[] } {
  const points = (ring ? ringToArray(ring) : []).filter((p) => typeof p.gpuMemoryMB === 'number');
  return { t: points.map((p) => p.t / 1000), values: points.map((p) => p.gpuMemoryMB as number) };
}

/** True when some agent's latest sample uses GPU memory: the list shows its GPU column only then. */
export function anyGpuInUse(agents: Iterable<AgentStatus>): boolean {
  for (const a of agents) if ((a.stats?.gpuMemoryMB ?? 0) > 0) return true;
  return false;
}

/** The GPU column and header fact: the tree's GPU memory, "n/a" where this machine cannot tell for this agent, "—" while nothing runs. */
export function gpuText(s: AgentStatus, live: boolean): string {
  if (!s.stats || !live) return NO_VALUE;
  return typeof s.stats.gpuMemoryMB === 'number' ? formatMemory(s.stats.gpuMemoryMB) : 'n/a';
}

export interface LogFilter {
  /** Only these streams; absent: both. */
  stream?: LogStream | 'all';
  /** Only lines containing this (case-insensitive). */
  query?: string;
}

/** The indices into the log's lines that the filter shows (all of them when it filters nothing). */
export function filterLogIndices(log: AgentLog | undefined, filter: LogFilter): number[] {
  if (!log) return [];
  const stream = filter.stream && filter.stream !== 'all' ? filter.stream : null;
  const query = (filter.query ?? '').toLowerCase();
  const out: number[] = [];
  for (let i = 0; i < log.lines.length; i++) {
    const line = ringAt(log.lines, i);
    if (!line) continue;
    if (stream && line.stream !== stream) continue;
    if (query && !line.text.toLowerCase().includes(query)) continue;
    out.push(i);
  }
  return out;
}

/** A line split into the parts that match `query` (case-insensitive) and those that do not, for highlighting. */
export function highlightParts(text: string, query: string): { text: string; match: boolean }[] {
  if (!query) return [{ text, match: false }];
  const parts: { text: string; match: boolean }[] = [];
  const lower = text.toLowerCase();
  const q = query.toLowerCase();
  let from = 0;
  for (let at = lower.indexOf(q); at !== -1; at = lower.indexOf(q, at + q.length)) {
    if (at > from) parts.push({ text: text.slice(from, at), match: false });
    parts.push({ text: text.slice(at, at + q.length), match: true });
    from = at + q.length;
  }
  if (from < text.length || parts.length === 0) parts.push({ text: text.slice(from), match: false });
  return parts;
}

/** The alerts, newest first, optionally of one agent. */
export function alertsNewestFirst(items: readonly Alert[], name?: string): Alert[] {
  return items.filter((a) => name === undefined || a.name === name).reverse();
}
