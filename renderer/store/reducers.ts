// The pure half of the store: how each bridge event, and each answer that loads history, changes
// the data. No bridge, no timers, no clock of its own (the caller passes `now`).
import type { BridgeEvent } from '../../shared/bridge.js';
import type { ApiLogLine } from '../../shared/commands.js';
import type { AgentStatus, Alert, LogLine, ResourceSample } from '../../shared/status.js';
import { patchStatus } from '../bridge/status-patch.js';
import type { ConnectionState } from '../bridge/types.js';
import { emptyRing, ringFrom, ringGrown, ringLast, ringPush, ringToArray, type Ring } from './ring.js';
import { DEFAULT_LIMITS, type AgentLog, type AgentsSlice, type AlertsSlice, type LogEntry, type StatPoint, type StoreLimits, type TrayData, type UiSlice } from './types.js';

export interface ReduceContext {
  /** This window's clock (epoch ms). */
  now: number;
  limits: StoreLimits;
}

/** The state before the first snapshot. */
export function initialData(): TrayData {
  return {
    agents: { byName: {}, order: [], probes: {}, violations: {}, snapshotAt: null, snapshots: 0, clockOffsetMs: 0 },
    stats: { byAgent: {} },
    logs: { byAgent: {} },
    alerts: { items: [], loaded: false },
    orphans: { items: [], loaded: false },
    settings: { settings: null, startAtLogin: null, settingsFile: null, appliesAfterRestart: [] },
    ui: { view: 'agents', editor: null, selected: null, pending: {}, errors: {}, connection: { status: 'idle', message: null, hint: null } },
  };
}

/** `record` without `key` (the same object when it has no such key). */
function without<V>(record: Record<string, V>, key: string): Record<string, V> {
  if (!(key in record)) return record;
  const next = { ...record };
  delete next[key];
  return next;
}

/** `record` with only the keys in `keep`. */
function onlyKeys<V>(record: Record<string, V>, keep: ReadonlySet<string>): Record<string, V> {
  const names = Object.keys(record);
  if (names.every((n) => keep.has(n))) return record;
  return Object.fromEntries(names.filter((n) => keep.has(n)).map((n) => [n, record[n] as V]));
}

/** `list` with `item` appended, keeping the newest `cap`. */
function pushCapped<T>(list: readonly T[] | undefined, item: T, cap: number): T[] {
  const next = [...(list ?? []), item];
  return next.length > cap ? next.slice(next.length - cap) : next;
}

/** A stats point from a sample. */
function point(sample: ResourceSample): StatPoint {
  const base = { t: sample.at, cpu: sample.cpuPercent, memoryMB: sample.memoryMB };
  return typeof sample.gpuMemoryMB === 'number' ? { ...base, gpuMemoryMB: sample.gpuMemoryMB } : base;
}

/** The ring with the sample appended, unless it is not newer than the last point. */
function pushSample(ring: Ring<StatPoint> | undefined, sample: ResourceSample, cap: number): Ring<StatPoint> {
  const current = ring ?? emptyRing<StatPoint>(cap);
  const last = ringLast(current);
  if (last && sample.at <= last.t) return current;
  return ringPush(current, [point(sample)]);
}

/** The ui with the stream's new connection state; once it is open, errors that only said the host was unreachable are answered and go. */
export function withConnection(ui: UiSlice, connection: ConnectionState): UiSlice {
  if (connection.status !== 'open') return { ...ui, connection };
  const errors: UiSlice['errors'] = {};
  for (const [key, error] of Object.entries(ui.errors)) if (error.code !== 'unreachable') errors[key] = error;
  return { ...ui, connection, errors: Object.keys(errors).length === Object.keys(ui.errors).length ? ui.errors : errors };
}

/** The selection after the agents changed: an agent that is gone is no longer selected. */
function keepSelection(ui: UiSlice, byName: Record<string, AgentStatus>): UiSlice {
  if (ui.selected === null || ui.selected in byName) return ui;
  return { ...ui, selected: null, view: ui.view === 'agent' || ui.view === 'logs' ? 'agents' : ui.view };
}

/** The key under which a log line is recognised when it arrives twice (live and in a backlog). */
function lineKey(ts: number, stream: string, text: string): string {
  return `${ts}\u0000${stream}\u0000${text}`;
}

/** An empty log. */
function emptyLog(cap: number): AgentLog {
  return { lines: emptyRing<LogEntry>(cap), nextSeq: 0, backlog: 'none', dropped: 0, expected: null };
}

/** The log with live lines appended (lines a backlog already brought are skipped). */
export function appendLogLines(log: AgentLog, lines: readonly LogLine[]): AgentLog {
  let nextSeq = log.nextSeq;
  let expected = log.expected;
  const entries: LogEntry[] = [];
  for (const l of lines) {
    if (expected) {
      const key = lineKey(l.at, l.stream, l.text);
      const count = expected.keys[key];
      if (count) {
        expected = { ...expected, keys: { ...expected.keys, [key]: count - 1 } };
        continue;
      }
      if (l.at > expected.until) expected = null;
    }
    entries.push({ seq: nextSeq++, ts: l.at, stream: l.stream, text: l.text });
  }
  const before = log.lines.length + entries.length;
  const ring = ringPush(log.lines, entries);
  return { ...log, lines: ring, nextSeq, expected, dropped: log.dropped + (before - ring.length) };
}

/**
 * The log with a backlog (the host's recent lines, oldest first) merged in by time. Lines the
 * log already has are not added twice; backlog lines newer than every line here may still
 * arrive live (the answer and the stream are two connections), so they are expected and skipped then.
 */
export function mergeLogBacklog(log: AgentLog, backlog: readonly ApiLogLine[]): AgentLog {
  const existing = ringToArray(log.lines);
  const have = new Map<string, number>();
  for (const e of existing) {
    const k = lineKey(e.ts, e.stream, e.text);
    have.set(k, (have.get(k) ?? 0) + 1);
  }
  const lastTs = existing.length ? (existing[existing.length - 1] as LogEntry).ts : -Infinity;
  let nextSeq = log.nextSeq;
  const incoming: LogEntry[] = [];
  const expectedKeys: Record<string, number> = {};
  let expectedUntil = -Infinity;
  for (const b of backlog) {
    const ts = Date.parse(b.ts);
    if (!Number.isFinite(ts)) continue;
    const k = lineKey(ts, b.stream, b.text);
    const count = have.get(k);
    if (count) {
      have.set(k, count - 1);
      continue;
    }
    incoming.push({ seq: nextSeq++, ts, stream: b.stream, text: b.text });
    if (ts >= lastTs) {
      expectedKeys[k] = (expectedKeys[k] ?? 0) + 1;
      expectedUntil = Math.max(expectedUntil, ts);
    }
  }
  // merge by time; at equal times the backlog's lines come first (they were read first)
  const merged: LogEntry[] = [];
  let i = 0;
  let j = 0;
  while (i < incoming.length || j < existing.length) {
    const a = incoming[i];
    const e = existing[j];
    if (a && (!e || a.ts <= e.ts)) {
      merged.push(a);
      i++;
    } else if (e) {
      merged.push(e);
      j++;
    }
  }
  const lines = ringFrom(merged, log.lines.cap);
  const expected = incoming.length && Object.keys(expectedKeys).length ? { until: expectedUntil, keys: expectedKeys } : log.expected;
  return { ...log, lines, nextSeq, backlog: 'loaded', expected, dropped: log.dropped + (merged.length - lines.length) };
}

/** The stats ring with a resource history merged in by time (one point per time). */
export function mergeStatsHistory(ring: Ring<StatPoint> | undefined, samples: readonly ResourceSample[], cap: number): Ring<StatPoint> {
  const byTime = new Map<number, StatPoint>();
  for (const s of samples) byTime.set(s.at, point(s));
  for (const p of ring ? ringToArray(ring) : []) byTime.set(p.t, p);
  return ringFrom(
    [...byTime.values()].sort((a, b) => a.t - b.t),
    ring?.cap ?? cap,
  );
}

/** The alert list with `incoming` merged in by id (oldest first), keeping the newest `cap`. */
export function mergeAlerts(items: readonly Alert[], incoming: readonly Alert[], cap: number): Alert[] {
  if (incoming.length === 0) return items as Alert[];
  const byId = new Map<number, Alert>();
  for (const a of items) byId.set(a.id, a);
  for (const a of incoming) byId.set(a.id, a);
  const all = [...byId.values()].sort((a, b) => a.id - b.id);
  return all.length > cap ? all.slice(all.length - cap) : all;
}

/** The alerts with these ids marked read (all of them without ids); the same array when none changes. */
export function markRead(items: Alert[], ids?: readonly number[]): Alert[] {
  const wanted = ids ? new Set(ids) : null;
  if (!items.some((a) => !a.read && (!wanted || wanted.has(a.id)))) return items;
  return items.map((a) => (!a.read && (!wanted || wanted.has(a.id)) ? { ...a, read: true } : a));
}

/** The agents slice with one status set (new names go last in the order). */
function putStatus(agents: AgentsSlice, status: AgentStatus): AgentsSlice {
  return {
    ...agents,
    byName: { ...agents.byName, [status.name]: status },
    order: status.name in agents.byName ? agents.order : [...agents.order, status.name],
  };
}

/** The data after one event. */
export function applyEvent(data: TrayData, event: BridgeEvent, ctx: ReduceContext): TrayData {
  const { limits } = ctx;
  switch (event.type) {
    case 'snapshot': {
      const byName: Record<string, AgentStatus> = {};
      for (const s of event.agents) byName[s.name] = s;
      const names = new Set(Object.keys(byName));
      const statsByAgent = onlyKeys(data.stats.byAgent, names);
      const stats = { byAgent: { ...statsByAgent } };
      for (const s of event.agents) {
        if (s.stats) stats.byAgent[s.name] = pushSample(stats.byAgent[s.name], s.stats, limits.statsSamples);
      }
      return {
        ...data,
        agents: {
          byName,
          order: event.agents.map((s) => s.name),
          probes: onlyKeys(data.agents.probes, names),
          violations: onlyKeys(data.agents.violations, names),
          snapshotAt: event.at,
          snapshots: data.agents.snapshots + 1,
          clockOffsetMs: event.at - ctx.now,
        },
        stats,
        logs: { byAgent: onlyKeys(data.logs.byAgent, names) },
        // the first snapshot keeps an agent the address named even when it does not exist: its page says so
        ui: data.agents.snapshots === 0 ? data.ui : keepSelection(data.ui, byName),
      };
    }
    case 'state':
    case 'agent-added':
    case 'agent-updated':
      return { ...data, agents: putStatus(data.agents, event.status) };
    case 'agent-removed': {
      if (!(event.name in data.agents.byName)) return data;
      const byName = without(data.agents.byName, event.name);
      return {
        ...data,
        agents: {
          ...data.agents,
          byName,
          order: data.agents.order.filter((n) => n !== event.name),
          probes: without(data.agents.probes, event.name),
          violations: without(data.agents.violations, event.name),
        },
        stats: { byAgent: without(data.stats.byAgent, event.name) },
        logs: { byAgent: without(data.logs.byAgent, event.name) },
        ui: keepSelection(data.ui, byName),
      };
    }
    case 'stats': {
      const status = data.agents.byName[event.name];
      if (!status) return data;
      if (status.stats && event.sample.at <= status.stats.at) return data; // an older sample than the one shown
      return {
        ...data,
        agents: { ...data.agents, byName: { ...data.agents.byName, [event.name]: patchStatus(status, event) } },
        stats: { byAgent: { ...data.stats.byAgent, [event.name]: pushSample(data.stats.byAgent[event.name], event.sample, limits.statsSamples) } },
      };
    }
    case 'log': {
      if (!(event.name in data.agents.byName) || event.lines.length === 0) return data;
      const log = data.logs.byAgent[event.name] ?? emptyLog(Math.min(limits.backgroundLogLines, limits.logLines));
      return { ...data, logs: { byAgent: { ...data.logs.byAgent, [event.name]: appendLogLines(log, event.lines) } } };
    }
    case 'health-changed':
    case 'probe': {
      // every probe comes as a 'probe' event; the 'health-changed' that follows one that changed the
      // health carries the same result again (hosts before 'probe' events sent results only there)
      const status = data.agents.byName[event.name];
      if (!status) return data;
      const probe = event.probe;
      const fresh = probe !== null && data.agents.probes[event.name]?.at(-1)?.at !== probe.at;
      return {
        ...data,
        agents: {
          ...data.agents,
          byName: { ...data.agents.byName, [event.name]: patchStatus(status, event) },
          probes: fresh ? { ...data.agents.probes, [event.name]: pushCapped(data.agents.probes[event.name], probe, limits.probes) } : data.agents.probes,
        },
      };
    }
    case 'limit-violated': {
      const status = data.agents.byName[event.name];
      if (!status) return data;
      return {
        ...data,
        agents: {
          ...data.agents,
          byName: { ...data.agents.byName, [event.name]: patchStatus(status, event) },
          violations: { ...data.agents.violations, [event.name]: pushCapped(data.agents.violations[event.name], event.violation, limits.violations) },
        },
      };
    }
    case 'ready': {
      const status = data.agents.byName[event.name];
      if (!status) return data;
      const next = patchStatus(status, event);
      return next === status ? data : { ...data, agents: { ...data.agents, byName: { ...data.agents.byName, [event.name]: next } } };
    }
    case 'alert':
      return { ...data, alerts: { ...data.alerts, items: mergeAlerts(data.alerts.items, [event.alert], limits.alerts) } };
    case 'alerts-read': {
      const items = markRead(data.alerts.items, event.ids);
      return items === data.alerts.items ? data : { ...data, alerts: { ...data.alerts, items } };
    }
    case 'alerts-cleared':
      return data.alerts.items.length === 0 ? data : { ...data, alerts: { ...data.alerts, items: [] } };
    case 'settings-changed': {
      const { $schema: _link, ...settings } = event.settings;
      void _link;
      return { ...data, settings: { ...data.settings, settings } };
    }
    case 'navigate': {
      const named = event.view === 'agent' || event.view === 'logs';
      return { ...data, ui: { ...data.ui, view: event.view, selected: named ? event.name : (event.name ?? data.ui.selected) } };
    }
    default:
      return data;
  }
}

/** The data after a batch of events, in order. */
export function applyEvents(data: TrayData, events: readonly BridgeEvent[], ctx: ReduceContext): TrayData {
  let next = data;
  for (const e of events) next = applyEvent(next, e, ctx);
  return next;
}

/** The log of `name` as its opened view keeps it: created empty, or grown from the background cap to the full one. */
export function logOf(data: TrayData, name: string, limits: StoreLimits = DEFAULT_LIMITS): AgentLog {
  const log = data.logs.byAgent[name];
  if (!log) return emptyLog(limits.logLines);
  const lines = ringGrown(log.lines, limits.logLines);
  return lines === log.lines ? log : { ...log, lines };
}

/** The alerts slice after a list from the host. */
export function withAlerts(alerts: AlertsSlice, incoming: readonly Alert[], cap: number): AlertsSlice {
  return { items: mergeAlerts(alerts.items, incoming, cap), loaded: true };
}
