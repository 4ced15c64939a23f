// The store's pure half: a snapshot, then events; removals; bounded stats, logs and alerts; the
// backlog of log lines merged with live ones without doubles.
import { describe, expect, it } from 'vitest';
import type { BridgeEvent } from '../../../shared/bridge.js';
import type { Alert, LogLine, ResourceSample } from '../../../shared/status.js';
import { appendLogLines, applyEvent, applyEvents, initialData, logOf, mergeAlerts, mergeLogBacklog, mergeStatsHistory, type ReduceContext } from '../../../renderer/store/reducers.js';
import { ringAt, ringFrom, ringToArray } from '../../../renderer/store/ring.js';
import { DEFAULT_LIMITS, type AgentLog, type TrayData } from '../../../renderer/store/types.js';
import { running, status } from '../helpers/fakes.js';

const ctx: ReduceContext = { now: 10_000, limits: DEFAULT_LIMITS };
const sample = (at: number, cpu = 1, mem = 10): ResourceSample => ({ at, cpuPercent: cpu, memoryMB: mem, threads: 1, fileHandles: 3, processes: 1 });
const line = (at: number, text: string, stream: 'stdout' | 'stderr' = 'stdout'): LogLine => ({ at, text, stream });
const alert = (id: number, name: string | null = 'a'): Alert => ({ id, at: id * 10, severity: 'warning', kind: 'crashed', name, message: `alert ${id}` });
const texts = (log: AgentLog | undefined) => (log ? ringToArray(log.lines).map((l) => l.text) : []);

/** The data after a snapshot of agents a (stopped) and b (running). */
function withTwo(): TrayData {
  return applyEvent(initialData(), { type: 'snapshot', at: 12_000, agents: [status('a'), running('b', 5_000)] }, ctx);
}

describe('agents slice', () => {
  it('a snapshot replaces every agent, keeps the host order and measures the clock offset', () => {
    let d = applyEvent(initialData(), { type: 'snapshot', at: 1, agents: [status('old')] }, ctx);
    d = applyEvent(d, { type: 'snapshot', at: 12_500, agents: [status('z'), status('a')] }, ctx);
    expect(d.agents.order).toEqual(['z', 'a']);
    expect(Object.keys(d.agents.byName).sort()).toEqual(['a', 'z']);
    expect(d.agents.snapshotAt).toBe(12_500);
    expect(d.agents.snapshots).toBe(2);
    expect(d.agents.clockOffsetMs).toBe(2_500);
  });

  it('state events set the status they carry', () => {
    const d = applyEvent(withTwo(), { type: 'state', name: 'a', from: 'stopped', to: 'starting', reason: { kind: 'user', message: 'asked' }, at: 1, status: status('a', { state: 'starting' }) }, ctx);
    expect(d.agents.byName.a?.state).toBe('starting');
    expect(d.agents.order).toEqual(['a', 'b']);
  });

  it('agent-added appends, agent-updated replaces, agent-removed forgets the agent everywhere and its selection', () => {
    let d = withTwo();
    d = applyEvents(
      d,
      [
        { type: 'agent-added', name: 'c', status: status('c') },
        { type: 'agent-updated', name: 'a', status: status('a', { port: 8123 }) },
        { type: 'stats', name: 'b', sample: sample(6_000) },
        { type: 'log', name: 'b', lines: [line(6_000, 'hello')] },
        { type: 'navigate', view: 'logs', name: 'b' },
      ],
      ctx,
    );
    expect(d.agents.order).toEqual(['a', 'b', 'c']);
    expect(d.agents.byName.a?.port).toBe(8123);
    expect(d.ui).toMatchObject({ view: 'logs', selected: 'b' });
    d = applyEvent(d, { type: 'agent-removed', name: 'b' }, ctx);
    expect(d.agents.order).toEqual(['a', 'c']);
    expect(d.agents.byName.b).toBeUndefined();
    expect(d.stats.byAgent.b).toBeUndefined();
    expect(d.logs.byAgent.b).toBeUndefined();
    expect(d.ui).toMatchObject({ view: 'agents', selected: null });
    expect(applyEvent(d, { type: 'agent-removed', name: 'nobody' }, ctx)).toBe(d);
  });

  it('a later snapshot drops the stats and logs of agents that are gone, keeps the others', () => {
    let d = applyEvents(withTwo(), [{ type: 'log', name: 'a', lines: [line(1, 'x')] }, { type: 'log', name: 'b', lines: [line(1, 'y')] }], ctx);
    d = applyEvent(d, { type: 'snapshot', at: 20_000, agents: [status('a')] }, ctx);
    expect(texts(d.logs.byAgent.a)).toEqual(['x']);
    expect(d.logs.byAgent.b).toBeUndefined();
  });

  it('health-changed sets health and score and keeps the probe; limit-violated counts the violation', () => {
    let d = applyEvent(withTwo(), { type: 'health-changed', name: 'b', from: 'healthy', to: 'unhealthy', score: 40, probe: { at: 7, ok: false, durationMs: 3, detail: 'HTTP 503' }, at: 7 }, ctx);
    expect(d.agents.byName.b).toMatchObject({ health: 'unhealthy', healthScore: 40 });
    expect(d.agents.probes.b?.map((p) => p.detail)).toEqual(['HTTP 503']);
    d = applyEvent(d, { type: 'limit-violated', name: 'b', violation: { at: 8, kind: 'memory', value: 600, limit: 500, action: 'warn', message: 'over' } }, ctx);
    expect(d.agents.byName.b?.violations).toBe(1);
    expect(d.agents.violations.b).toHaveLength(1);
  });

  it('ignores events about agents it does not know', () => {
    const d = withTwo();
    const events: BridgeEvent[] = [
      { type: 'stats', name: 'x', sample: sample(1) },
      { type: 'log', name: 'x', lines: [line(1, 'x')] },
      { type: 'health-changed', name: 'x', from: 'unknown', to: 'healthy', score: 100, probe: null, at: 1 },
    ];
    expect(applyEvents(d, events, ctx)).toBe(d);
  });
});

describe('stats slice', () => {
  it('keeps the last N samples per agent from stats events (and the snapshot\'s), and updates the status', () => {
    const limits = { ...DEFAULT_LIMITS, statsSamples: 3 };
    let d = applyEvent(initialData(), { type: 'snapshot', at: 1, agents: [running('b', 0, { stats: sample(100, 5) })] }, { now: 1, limits });
    for (let i = 1; i <= 5; i++) d = applyEvent(d, { type: 'stats', name: 'b', sample: sample(100 + i, i, 10 * i) }, { now: 1, limits });
    d = applyEvent(d, { type: 'stats', name: 'b', sample: sample(100) }, { now: 1, limits }); // older: ignored
    expect(ringToArray(d.stats.byAgent.b ?? ringFrom([], 1))).toEqual([
      { t: 103, cpu: 3, memoryMB: 30 },
      { t: 104, cpu: 4, memoryMB: 40 },
      { t: 105, cpu: 5, memoryMB: 50 },
    ]);
    expect(d.agents.byName.b?.stats?.cpuPercent).toBe(5);
  });

  it('merges a fetched history before the live samples, one point per time', () => {
    const live = ringFrom([{ t: 30, cpu: 3, memoryMB: 3 }], 900);
    const merged = mergeStatsHistory(live, [sample(10), sample(20), sample(30, 99)], 900);
    expect(ringToArray(merged).map((p) => [p.t, p.cpu])).toEqual([[10, 1], [20, 1], [30, 3]]);
    expect(ringToArray(mergeStatsHistory(undefined, [sample(1), sample(2), sample(3)], 2)).map((p) => p.t)).toEqual([2, 3]);
  });
});

describe('logs slice', () => {
  it('appends live lines with increasing seq, ts and stream', () => {
    const d = applyEvents(withTwo(), [{ type: 'log', name: 'b', lines: [line(1, 'one'), line(2, 'two', 'stderr')] }, { type: 'log', name: 'b', lines: [line(3, 'three')] }], ctx);
    const lines = ringToArray(d.logs.byAgent.b?.lines ?? ringFrom([], 1));
    expect(lines).toEqual([
      { seq: 0, ts: 1, stream: 'stdout', text: 'one' },
      { seq: 1, ts: 2, stream: 'stderr', text: 'two' },
      { seq: 2, ts: 3, stream: 'stdout', text: 'three' },
    ]);
  });

  it('keeps at most 100,000 lines of an agent whose log is open and counts the dropped ones', () => {
    let d = withTwo();
    d = { ...d, logs: { byAgent: { ...d.logs.byAgent, b: { ...logOf(d, 'b'), backlog: 'loaded' } } } }; // its log view opened
    const batch = 10_000;
    for (let i = 0; i < 10; i++) {
      d = applyEvent(d, { type: 'log', name: 'b', lines: Array.from({ length: batch }, (_, j) => line(i * batch + j, `line ${i * batch + j}`)) }, ctx);
    }
    d = applyEvent(d, { type: 'log', name: 'b', lines: Array.from({ length: 50 }, (_, j) => line(100_000 + j, `line ${100_000 + j}`)) }, ctx);
    const log = d.logs.byAgent.b as AgentLog;
    expect(log.lines.length).toBe(100_000);
    expect(log.dropped).toBe(50);
    expect(ringAt(log.lines, 0)?.text).toBe('line 50');
    expect(ringAt(log.lines, 99_999)?.text).toBe('line 100049');
    expect(ringAt(log.lines, 0)?.seq).toBe(50);
  });

  it('merges a backlog before the live lines without doubling the lines both have', () => {
    let log = appendLogLines(emptyLog(), [line(5, 'e'), line(6, 'f')]);
    log = mergeLogBacklog(log, [
      { ts: new Date(3).toISOString(), stream: 'stdout', text: 'c' },
      { ts: new Date(4).toISOString(), stream: 'stderr', text: 'd' },
      { ts: new Date(5).toISOString(), stream: 'stdout', text: 'e' },
    ]);
    expect(texts(log)).toEqual(['c', 'd', 'e', 'f']);
    expect(log.backlog).toBe('loaded');
    const seqs = ringToArray(log.lines).map((l) => l.seq);
    expect(new Set(seqs).size).toBe(seqs.length);
  });

  it('skips a live line that a backlog already brought (the answer overtook the stream), then appends again', () => {
    let log = mergeLogBacklog(emptyLog(), [
      { ts: new Date(1).toISOString(), stream: 'stdout', text: 'a' },
      { ts: new Date(2).toISOString(), stream: 'stdout', text: 'b' },
    ]);
    log = appendLogLines(log, [line(2, 'b'), line(3, 'c'), line(3, 'b')]);
    expect(texts(log)).toEqual(['a', 'b', 'c', 'b']);
    expect(log.expected).toBeNull();
  });

  it('repeated identical lines are kept as often as they were printed', () => {
    let log = appendLogLines(emptyLog(), [line(1, 'same'), line(1, 'same')]);
    log = mergeLogBacklog(log, [1, 1, 1].map(() => ({ ts: new Date(1).toISOString(), stream: 'stdout' as const, text: 'same' })));
    expect(texts(log)).toEqual(['same', 'same', 'same']);
  });
});

describe('alerts slice', () => {
  it('appends alert events, merges lists by id, and keeps the newest N', () => {
    let d = applyEvents(initialData(), [{ type: 'alert', alert: alert(2) }, { type: 'alert', alert: alert(3) }], ctx);
    expect(d.alerts.items.map((a) => a.id)).toEqual([2, 3]);
    d = { ...d, alerts: { ...d.alerts, items: mergeAlerts(d.alerts.items, [alert(1), alert(3)], 3) } };
    expect(d.alerts.items.map((a) => a.id)).toEqual([1, 2, 3]);
    expect(mergeAlerts(d.alerts.items, [alert(4)], 3).map((a) => a.id)).toEqual([2, 3, 4]);
  });
});

describe('ui slice', () => {
  it('navigate events set the view and the agent', () => {
    let d = applyEvent(withTwo(), { type: 'navigate', view: 'agent', name: 'a' }, ctx);
    expect(d.ui).toMatchObject({ view: 'agent', selected: 'a' });
    d = applyEvent(d, { type: 'navigate', view: 'alerts', name: null }, ctx);
    expect(d.ui).toMatchObject({ view: 'alerts', selected: 'a' });
  });
});

/** An empty log with the default cap. */
function emptyLog(): AgentLog {
  return { lines: ringFrom([], DEFAULT_LIMITS.logLines), nextSeq: 0, backlog: 'none', dropped: 0, expected: null };
}
