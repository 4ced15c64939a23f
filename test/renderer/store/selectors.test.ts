// The selectors the screens use: lists sorted and filtered, badges, counts, error and pending
// lookups, chart series, log filtering and highlighting.
import { describe, expect, it } from 'vitest';
import type { AgentState } from '../../../shared/status.js';
import { applyEvent, initialData } from '../../../renderer/store/reducers.js';
import { ringFrom } from '../../../renderer/store/ring.js';
import {
  actionKey,
  agentErrors,
  agentList,
  alertsNewestFirst,
  badgeModel,
  badgeModels,
  errorFor,
  filterAgents,
  filterLogIndices,
  highlightParts,
  hostNow,
  isPending,
  selectedAgent,
  sortAgents,
  stateColour,
  statsSeries,
  summaryCounts,
  toggleAction,
  uptimeOf,
  visibleAgents,
  type SortKey,
} from '../../../renderer/store/selectors.js';
import { DEFAULT_LIMITS, type AgentLog, type UiSlice } from '../../../renderer/store/types.js';
import { running, status } from '../helpers/fakes.js';

const NOW = 1_000_000;
const sample = (cpu: number, memoryMB: number) => ({ at: NOW, cpuPercent: cpu, memoryMB, threads: 1, fileHandles: 1, processes: 1 });

const agents = [
  running('alpha', NOW - 182_000, { pid: 30, port: 8002, restarts: 1, stats: sample(12.5, 512) }),
  status('beta', { state: 'crashed', restarts: 5, lastError: { message: 'exited with code 1', at: 1, exitCode: 1, signal: null, stderr: ['boom'] } }),
  running('gamma', NOW - 5_000, { pid: 10, port: 8001, stats: sample(80, 100) }),
  status('delta', { port: 9000 }),
  status('eps', { state: 'backoff', nextAttemptAt: NOW + 4_000, restarts: 2 }),
];

const names = (list: { name: string }[]) => list.map((s) => s.name);

describe('lists', () => {
  it('agentList follows the host order; selectedAgent finds the selection', () => {
    const d = applyEvent(initialData(), { type: 'snapshot', at: NOW, agents }, { now: NOW, limits: DEFAULT_LIMITS });
    expect(names(agentList(d.agents))).toEqual(['alpha', 'beta', 'gamma', 'delta', 'eps']);
    expect(selectedAgent(d)).toBeNull();
    expect(selectedAgent({ ...d, ui: { ...d.ui, selected: 'gamma' } })?.name).toBe('gamma');
    expect(hostNow({ ...d.agents, clockOffsetMs: 250 }, 1000)).toBe(1250);
  });

  it('sorts by every key both ways; unknown values last either way; ties by name', () => {
    const expected: Record<SortKey, [asc: string[], desc: string[]]> = {
      name: [['alpha', 'beta', 'delta', 'eps', 'gamma'], ['gamma', 'eps', 'delta', 'beta', 'alpha']],
      state: [['beta', 'eps', 'alpha', 'gamma', 'delta'], ['delta', 'alpha', 'gamma', 'eps', 'beta']],
      cpu: [['alpha', 'gamma', 'beta', 'delta', 'eps'], ['gamma', 'alpha', 'beta', 'delta', 'eps']],
      memory: [['gamma', 'alpha', 'beta', 'delta', 'eps'], ['alpha', 'gamma', 'beta', 'delta', 'eps']],
      gpu: [['alpha', 'beta', 'delta', 'eps', 'gamma'], ['alpha', 'beta', 'delta', 'eps', 'gamma']], // nobody's GPU memory is known
      uptime: [['gamma', 'alpha', 'beta', 'delta', 'eps'], ['alpha', 'gamma', 'beta', 'delta', 'eps']],
      restarts: [['delta', 'gamma', 'alpha', 'eps', 'beta'], ['beta', 'eps', 'alpha', 'delta', 'gamma']],
      port: [['gamma', 'alpha', 'delta', 'beta', 'eps'], ['delta', 'alpha', 'gamma', 'beta', 'eps']],
      pid: [['gamma', 'alpha', 'beta', 'delta', 'eps'], ['alpha', 'gamma', 'beta', 'delta', 'eps']],
    };
    for (const [key, [asc, desc]] of Object.entries(expected) as [SortKey, [string[], string[]]][]) {
      expect(names(sortAgents(agents, { key, dir: 'asc' }, NOW)), `${key} asc`).toEqual(asc);
      expect(names(sortAgents(agents, { key, dir: 'desc' }, NOW)), `${key} desc`).toEqual(desc);
    }
    expect(names(sortAgents([status('a10'), status('a9')], { key: 'name', dir: 'asc' }, NOW))).toEqual(['a9', 'a10']);
    expect(names(agents)).toEqual(['alpha', 'beta', 'gamma', 'delta', 'eps']); // the input is left as it was
  });

  it('filters by text (name, port, pid) and by a set of states', () => {
    expect(names(filterAgents(agents, { text: 'ALP' }))).toEqual(['alpha']);
    expect(names(filterAgents(agents, { text: '8001' }))).toEqual(['gamma']);
    expect(names(filterAgents(agents, { text: '30' }))).toEqual(['alpha']);
    expect(names(filterAgents(agents, { states: ['crashed', 'backoff'] }))).toEqual(['beta', 'eps']);
    expect(names(filterAgents(agents, { text: 'a', states: new Set<AgentState>(['running']) }))).toEqual(['alpha', 'gamma']);
    expect(filterAgents(agents, {})).toHaveLength(5);
    const d = applyEvent(initialData(), { type: 'snapshot', at: NOW, agents }, { now: NOW, limits: DEFAULT_LIMITS });
    expect(names(visibleAgents(d.agents, { sort: { key: 'name', dir: 'desc' }, filter: { states: ['running'] } }, NOW))).toEqual(['gamma', 'alpha']);
  });
});

describe('badges', () => {
  it('colours: running green, stopped grey, starting/backoff/stopping yellow, crashed/errored red', () => {
    const colours = Object.fromEntries((['running', 'stopped', 'starting', 'backoff', 'stopping', 'crashed', 'errored'] as AgentState[]).map((s) => [s, stateColour(s)]));
    expect(colours).toEqual({ running: 'green', stopped: 'grey', starting: 'yellow', backoff: 'yellow', stopping: 'yellow', crashed: 'red', errored: 'red' });
  });

  it('a running badge names the agent, its state and uptime, and shows pid, port, health on hover', () => {
    const b = badgeModel(agents[0] as never, NOW);
    expect(b).toMatchObject({ name: 'alpha', state: 'running', colour: 'green', className: 'badge badge--green', uptimeText: '3m 2s', label: 'alpha: running, up 3m 2s', action: 'stop' });
    expect(b.tooltip).toContain('pid 30');
    expect(b.tooltip).toContain('port 8002');
    expect(b.tooltip).toContain('uptime 3m 2s');
    expect(b.tooltip).toContain('health healthy');
    expect(b.tooltip).toContain('CPU 12.5 %');
  });

  it('stopped, crashed, backoff and unhealthy badges say so', () => {
    const [, beta, , delta, eps] = badgeModels({ ...initialData().agents, byName: Object.fromEntries(agents.map((a) => [a.name, a])), order: agents.map((a) => a.name) }, NOW);
    expect(delta).toMatchObject({ label: 'delta: stopped', colour: 'grey', uptimeText: null, action: 'start' });
    expect(beta).toMatchObject({ label: 'beta: crashed', colour: 'red', action: 'start' });
    expect(beta?.tooltip).toContain('exited with code 1');
    expect(eps).toMatchObject({ label: 'eps: backoff, next start in 4s', colour: 'yellow', action: 'stop' });
    expect(badgeModel(running('h', NOW - 1000, { health: 'unhealthy' }), NOW).label).toBe('h: running, up 1s, unhealthy');
  });

  it('toggle: start what is not running, stop what is, nothing while stopping', () => {
    expect(toggleAction(status('a'))).toBe('start');
    expect(toggleAction(status('a', { state: 'errored' }))).toBe('start');
    expect(toggleAction(status('a', { state: 'running' }))).toBe('stop');
    expect(toggleAction(status('a', { state: 'starting' }))).toBe('stop');
    expect(toggleAction(status('a', { state: 'stopping' }))).toBeNull();
  });

  it('uptime only while running', () => {
    expect(uptimeOf(running('a', NOW - 10), NOW)).toBe(10);
    expect(uptimeOf(status('a', { startedAt: 5 }), NOW)).toBeNull();
  });
});

describe('summary', () => {
  it('counts states, health and what running agents use', () => {
    const s = summaryCounts(agents);
    expect(s).toMatchObject({ total: 5, running: 2, stopped: 1, transitioning: 1, failed: 1, healthy: 2, unhealthy: 0, cpuPercent: 92.5, memoryMB: 612 });
    expect(s.byState).toEqual({ stopped: 1, waiting: 0, starting: 0, running: 2, stopping: 0, backoff: 1, crashed: 1, errored: 0 });
  });
});

describe('pending and errors', () => {
  const ui: UiSlice = {
    ...initialData().ui,
    pending: { 'start:alpha': true, startAll: true },
    errors: { 'start:beta': { code: 'spawn-failed', message: 'no such file', hint: null, at: 2 }, 'stop:beta': { code: 'stop-failed', message: 'x', hint: 'y', at: 3 }, discover: { code: 'internal', message: 'z', hint: null, at: 1 } },
  };
  it('looks them up by action and agent', () => {
    expect(actionKey('start', 'alpha')).toBe('start:alpha');
    expect(actionKey('startAll')).toBe('startAll');
    expect(isPending(ui, 'start', 'alpha')).toBe(true);
    expect(isPending(ui, 'startAll')).toBe(true);
    expect(isPending(ui, 'stop', 'alpha')).toBe(false);
    expect(errorFor(ui, 'start', 'beta')?.message).toBe('no such file');
    expect(errorFor(ui, 'discover')?.message).toBe('z');
    expect(errorFor(ui, 'start', 'alpha')).toBeNull();
    expect(agentErrors(ui, 'beta').map((e) => e.key)).toEqual(['stop:beta', 'start:beta']);
  });
});

describe('charts, logs, alerts', () => {
  it('stats series in uPlot\'s shape, times in seconds', () => {
    expect(statsSeries(ringFrom([{ t: 1000, cpu: 1, memoryMB: 10 }, { t: 2000, cpu: 2, memoryMB: 20 }], 10))).toEqual({ t: [1, 2], cpu: [1, 2], memoryMB: [10, 20] });
    expect(statsSeries(undefined)).toEqual({ t: [], cpu: [], memoryMB: [] });
  });

  it('filters log lines by stream and text', () => {
    const log: AgentLog = {
      lines: ringFrom(
        [
          { seq: 0, ts: 1, stream: 'stdout', text: 'Ready on 8000' },
          { seq: 1, ts: 2, stream: 'stderr', text: 'warning: slow' },
          { seq: 2, ts: 3, stream: 'stdout', text: 'GET / 200' },
        ],
        10,
      ),
      nextSeq: 3,
      backlog: 'none',
      dropped: 0,
      expected: null,
    };
    expect(filterLogIndices(log, {})).toEqual([0, 1, 2]);
    expect(filterLogIndices(log, { stream: 'stderr' })).toEqual([1]);
    expect(filterLogIndices(log, { stream: 'all', query: 'READY' })).toEqual([0]);
    expect(filterLogIndices(log, { stream: 'stdout', query: 'slow' })).toEqual([]);
    expect(filterLogIndices(undefined, {})).toEqual([]);
  });

  it('splits a line around every match for highlighting', () => {
    expect(highlightParts('Error: error again', 'error')).toEqual([
      { text: 'Error', match: true },
      { text: ': ', match: false },
      { text: 'error', match: true },
      { text: ' again', match: false },
    ]);
    expect(highlightParts('abc', '')).toEqual([{ text: 'abc', match: false }]);
    expect(highlightParts('abc', 'x')).toEqual([{ text: 'abc', match: false }]);
    expect(highlightParts('', 'x')).toEqual([{ text: '', match: false }]);
  });

  it('alerts newest first, optionally of one agent', () => {
    const items = [1, 2, 3].map((id) => ({ id, at: id, severity: 'warning' as const, kind: 'crashed', name: id === 2 ? 'b' : 'a', message: '' }));
    expect(alertsNewestFirst(items).map((a) => a.id)).toEqual([3, 2, 1]);
    expect(alertsNewestFirst(items, 'a').map((a) => a.id)).toEqual([3, 1]);
    expect(items.map((a) => a.id)).toEqual([1, 2, 3]);
  });
});
