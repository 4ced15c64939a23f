// Runs from hand-made engine events, in the sequences the engine emits them: a user start and
// stop, crashes with restarts and a give-up, limit and health restarts, kill, clean exits, adoption.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { HistoryStore } from '../../../electron/app/history-store.js';
import { defaultStartedBy, runEnding, RunRecorder, type RunRecorderOptions, type StateEvent } from '../../../electron/app/run-recorder.js';
import type { RunRecord } from '../../../shared/history.js';
import type { AgentState, AgentStatus, EngineEvent, LifecycleName, TransitionReason } from '../../../shared/status.js';
import { tempDir } from '../../helpers/temp-dir.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** An agent driven through the engine's transitions, feeding a recorder. */
class Agent {
  state: AgentState = 'stopped';
  pid: number | null = null;
  startedAt: number | null = null;
  restarts = 0;
  exitCode: number | null = null;
  signal: string | null = null;
  extra: Record<string, unknown> = {};
  private nextPid = 100;

  constructor(
    readonly recorder: RunRecorder,
    readonly clock: { now: number },
    readonly name = 'w',
  ) {}

  status(): AgentStatus {
    return {
      name: this.name, state: this.state, since: this.clock.now, pid: this.pid, startedAt: this.startedAt, uptimeMs: null,
      exitCode: this.exitCode, signal: this.signal, restarts: this.restarts, lastError: null, port: null, health: 'unknown',
      healthScore: 100, nextAttemptAt: null, violations: 0, stats: null, ...this.extra,
    } as AgentStatus;
  }

  go(to: AgentState, reason: TransitionReason, lifecycle?: LifecycleName): void {
    const from = this.state;
    this.state = to;
    const event: EngineEvent = { type: 'state', name: this.name, from, to, reason, at: this.clock.now, status: this.status(), ...(lifecycle ? { lifecycle } : {}) };
    this.recorder.observe(event);
  }

  /** A person's start (restarts reset) or the supervisor's (restarts + 1), as the engine does it. */
  start(automatic?: TransitionReason): void {
    if (automatic) this.restarts++;
    else this.restarts = 0;
    this.go('starting', automatic ?? { kind: 'user', message: 'start requested' });
    this.clock.now += 50;
    this.pid = this.nextPid++;
    this.startedAt = this.clock.now;
    this.exitCode = null;
    this.signal = null;
    this.go('running', { kind: 'spawned', message: `started as pid ${this.pid}` }, automatic ? 'restarted' : 'started');
  }

  sample(memoryMB: number, cpuPercent: number, ms = 1_000): void {
    this.clock.now += ms;
    this.recorder.observe({ type: 'stats', name: this.name, sample: { at: this.clock.now, cpuPercent, memoryMB, threads: 4, fileHandles: 10, processes: 1 } });
  }

  /** stop(), kill(), stopFor() and the stop half of restartFor(). */
  stop(reason: TransitionReason = { kind: 'user', message: 'stop requested' }, signal = 'SIGTERM'): void {
    this.go('stopping', reason);
    this.clock.now += 30;
    this.exitCode = null;
    this.signal = signal;
    this.go('stopped', { kind: 'stopped', message: `${this.name} stopped in 30 ms (it exited when asked)`, exitCode: null, signal }, 'stopped');
  }

  /** The process exits on its own; `to` is what the restart policy decided. */
  exit(code: number | null, signal: string | null, to: 'backoff' | 'crashed' | 'stopped', kind: 'exited' | 'policy' = 'exited', message = `${this.name} exited with code ${code}`): void {
    this.exitCode = code;
    this.signal = signal;
    this.go(to, { kind, message, exitCode: code, signal }, to === 'crashed' ? 'crashed' : to === 'stopped' ? 'stopped' : undefined);
  }
}

function setup(opts: RunRecorderOptions = {}) {
  const records: RunRecord[] = [];
  const recorder = new RunRecorder({ append: async (r) => void records.push(r) }, opts);
  const clock = { now: 1_000_000 };
  const agent = new Agent(recorder, clock);
  return { records, recorder, clock, agent };
}

const policy = (budget: string): TransitionReason => ({ kind: 'policy', message: `restart policy: ${budget}` });

test('user start, samples, user stop: one run with its peak memory, average CPU and end', async () => {
  const { records, recorder, agent } = setup();
  agent.start();
  const startedAt = agent.startedAt!;
  assert.deepEqual(recorder.openRuns(), [{ name: 'w', pid: 100, startedAt, startedBy: 'user' }]);
  agent.sample(100, 10);
  agent.sample(250, 20);
  agent.sample(180, 40);
  agent.stop();
  await recorder.flush();
  assert.deepEqual(recorder.openRuns(), []);
  assert.equal(records.length, 1);
  assert.deepEqual(records[0], {
    id: `w-${startedAt}-100`,
    name: 'w',
    pid: 100,
    startedAt,
    endedAt: startedAt + 3_030,
    durationMs: 3_030,
    startedBy: 'user',
    ended: 'stopped-by-user',
    exitCode: null,
    signal: 'SIGTERM',
    restarts: 0,
    peakMemoryMB: 250,
    avgCpuPercent: 23.3,
    message: 'stop requested; w stopped in 30 ms (it exited when asked)',
  });
});

test('crash, backoff, supervisor restart, crash again, give up: two crashed runs', async () => {
  const { records, recorder, agent } = setup();
  agent.start();
  agent.sample(50, 5);
  agent.exit(1, null, 'backoff', 'exited', 'w exited with code 1; restarting in 1.0 s (restart 1 of 5 in 60 s)');
  agent.start(policy('restart 1 of 5 in 60 s'));
  agent.exit(null, 'SIGSEGV', 'crashed', 'policy', 'w was killed by SIGSEGV; gave up after 1 restarts within 60 s');
  await recorder.flush();
  assert.deepEqual(records.map((r) => [r.startedBy, r.ended, r.exitCode, r.signal, r.restarts, r.peakMemoryMB]), [
    ['user', 'crashed', 1, null, 0, 50],
    ['restart', 'crashed', null, 'SIGSEGV', 1, null],
  ]);
  assert.match(records[0]!.message, /restarting in 1\.0 s/);
  assert.match(records[1]!.message, /gave up/);
  assert.deepEqual(recorder.openRuns(), []);
});

test('a limit restart ends the run as "limit" and the next run as started by "restart"', async () => {
  const { records, recorder, agent } = setup();
  agent.start();
  agent.sample(2_100, 90);
  const limit: TransitionReason = { kind: 'limit', message: 'w: memory 2,100 MB is over the limit of 2,048 MB; restarting it' };
  agent.stop(limit, 'SIGKILL');
  agent.start(limit);
  agent.stop({ kind: 'limit', message: 'w: runtime over 3,600 s; stopping it' });
  await recorder.flush();
  assert.deepEqual(records.map((r) => [r.startedBy, r.ended, r.restarts, r.peakMemoryMB]), [
    ['user', 'limit', 0, 2_100],
    ['restart', 'limit', 1, null],
  ]);
  assert.match(records[0]!.message, /^w: memory 2,100 MB is over the limit/);
  assert.equal(records[0]!.signal, 'SIGKILL');
});

test('a health restart ends the run as "health"', async () => {
  const { records, recorder, agent } = setup();
  agent.start();
  const health: TransitionReason = { kind: 'health', message: 'w is unhealthy (HTTP 503); restarting it' };
  agent.stop(health);
  agent.start(health);
  await recorder.flush();
  assert.deepEqual(records.map((r) => [r.startedBy, r.ended]), [['user', 'health']]);
  assert.deepEqual(recorder.openRuns().map((r) => [r.pid, r.startedBy]), [[101, 'restart']]);
});

test('kill ends the run as "killed-by-user"; a user restart starts the next run as "user"', async () => {
  const { records, recorder, agent } = setup();
  agent.start();
  agent.stop({ kind: 'user', message: 'kill requested' }, 'SIGKILL');
  agent.start();
  agent.stop(); // restart(): a stop, then a start by the person
  agent.start();
  await recorder.flush();
  assert.deepEqual(records.map((r) => [r.pid, r.startedBy, r.ended]), [
    [100, 'user', 'killed-by-user'],
    [101, 'user', 'stopped-by-user'],
  ]);
});

test('exit code 0 is "exited", whether the policy stops it or restarts it', async () => {
  const { records, recorder, agent } = setup();
  agent.start();
  agent.exit(0, null, 'stopped', 'exited', 'w exited with code 0');
  agent.start();
  agent.exit(0, null, 'backoff');
  agent.start(policy('restart 1 of 5 in 60 s'));
  agent.exit(2, null, 'crashed');
  await recorder.flush();
  assert.deepEqual(records.map((r) => [r.startedBy, r.ended, r.exitCode]), [
    ['user', 'exited', 0],
    ['user', 'exited', 0],
    ['restart', 'crashed', 2],
  ]);
});

test('a spawn that fails makes no run; stats of an agent without a run are ignored', async () => {
  const { records, recorder, agent } = setup();
  agent.go('starting', { kind: 'user', message: 'start requested' });
  agent.go('errored', { kind: 'spawn-failed', message: 'w: program not found' });
  agent.sample(100, 1);
  agent.go('stopped', { kind: 'user', message: 'cleared from errored' }, 'stopped');
  await recorder.flush();
  assert.deepEqual(records, []);
  assert.deepEqual(recorder.openRuns(), []);
});

test('samples taken before the run began do not count', async () => {
  const { records, recorder, agent, clock } = setup();
  agent.start();
  recorder.observe({ type: 'stats', name: 'w', sample: { at: clock.now - 10, cpuPercent: 99, memoryMB: 9_999, threads: 1, fileHandles: 1, processes: 1 } });
  agent.sample(10, 1);
  agent.stop();
  await recorder.flush();
  assert.deepEqual([records[0]!.peakMemoryMB, records[0]!.avgCpuPercent], [10, 1]);
});

test('startedBy: adopted and autostart from the status, or what the caller says', async () => {
  const { recorder, agent } = setup();
  agent.extra = { adopted: true };
  agent.start();
  const auto = new Agent(recorder, agent.clock, 'auto');
  auto.extra = { startedBy: 'autostart' };
  auto.start();
  assert.deepEqual(recorder.openRuns().map((r) => [r.name, r.startedBy]), [['auto', 'autostart'], ['w', 'adopted']]);

  const seen: StateEvent[] = [];
  const custom = setup({ startedBy: (e) => (seen.push(e), e.name === 'w' ? 'autostart' : undefined) });
  custom.agent.start();
  assert.equal(custom.recorder.openRuns()[0]!.startedBy, 'autostart');
  assert.equal(seen.length, 1);
  assert.equal(seen[0]!.to, 'running');
  const other = new Agent(custom.recorder, custom.clock, 'other');
  other.start(policy('restart 1 of 5 in 60 s'));
  assert.equal(custom.recorder.openRuns().find((r) => r.name === 'other')!.startedBy, 'restart', 'undefined falls back to the default');
});

test('the default startedBy and the ending, as pure functions', () => {
  const base = { type: 'state', name: 'w', from: 'starting', to: 'running', reason: { kind: 'spawned', message: '' }, at: 0 } as const;
  const status = { pid: 1 } as AgentStatus;
  assert.equal(defaultStartedBy({ ...base, status, lifecycle: 'restarted' }), 'restart');
  assert.equal(defaultStartedBy({ ...base, status, lifecycle: 'started' }), 'user');
  assert.equal(defaultStartedBy({ ...base, status: { ...status, adopted: true } as AgentStatus }), 'adopted');

  const exit = (exitCode: number | null, signal: string | null): TransitionReason => ({ kind: 'exited', message: '', exitCode, signal });
  assert.equal(runEnding(exit(0, null), null, 'stopped'), 'exited');
  assert.equal(runEnding(exit(0, 'SIGTERM'), null, 'crashed'), 'crashed');
  assert.equal(runEnding(exit(3, null), null, 'backoff'), 'crashed');
  assert.equal(runEnding(exit(null, null), null, 'stopped'), 'exited', 'an adopted process whose exit status is unknown, judged exited by the engine');
  assert.equal(runEnding(exit(null, null), null, 'backoff'), 'crashed');
  const stopped: TransitionReason = { kind: 'stopped', message: 'w stopped in 5 ms (it was killed)', exitCode: null, signal: 'SIGKILL' };
  assert.equal(runEnding(stopped, { kind: 'user', message: 'Kill requested' }, 'stopped'), 'killed-by-user');
  assert.equal(runEnding(stopped, { kind: 'user', message: 'stop requested' }, 'stopped'), 'stopped-by-user');
  assert.equal(runEnding(stopped, { kind: 'limit', message: 'w: cpu; stopping it' }, 'stopped'), 'limit');
  assert.equal(runEnding(stopped, { kind: 'health', message: 'w is unhealthy' }, 'stopped'), 'health');
});

test('two agents have their own runs', async () => {
  const { records, recorder, agent, clock } = setup();
  const b = new Agent(recorder, clock, 'b');
  agent.start();
  b.start();
  agent.sample(10, 1);
  b.sample(500, 50);
  b.exit(1, null, 'crashed');
  agent.stop();
  await recorder.flush();
  assert.deepEqual(records.map((r) => [r.name, r.ended, r.peakMemoryMB]), [['b', 'crashed', 500], ['w', 'stopped-by-user', 10]]);
});

test('a new pid entering running while a run is open closes the old run as "host-lost"', async () => {
  const { records, recorder, agent } = setup();
  agent.start();
  agent.sample(10, 1);
  const lastSeen = agent.clock.now;
  agent.state = 'starting'; // the end of the first run was never reported
  agent.clock.now += 5_000;
  agent.pid = 555;
  agent.go('running', { kind: 'spawned', message: 'started as pid 555' }, 'started');
  agent.go('running', { kind: 'spawned', message: 'started as pid 555' }, 'started'); // the same run again: ignored
  await recorder.flush();
  assert.deepEqual(records.map((r) => [r.pid, r.ended, r.endedAt]), [[100, 'host-lost', lastSeen]]);
  assert.deepEqual(recorder.openRuns().map((r) => r.pid), [555]);
});

test('a store that fails to append is reported, and the recorder keeps going', async () => {
  const errors: string[] = [];
  let fail = true;
  const records: RunRecord[] = [];
  const recorder = new RunRecorder(
    {
      append: async (r) => {
        if (fail) throw new Error('disk full');
        records.push(r);
      },
    },
    { onError: (err, record) => errors.push(`${record.pid}: ${err.message}`) },
  );
  const agent = new Agent(recorder, { now: 0 });
  agent.start();
  agent.stop();
  await recorder.flush();
  fail = false;
  agent.start();
  agent.stop();
  await recorder.flush();
  assert.deepEqual(errors, ['100: disk full']);
  assert.deepEqual(records.map((r) => r.pid), [101]);
});

test('with a real HistoryStore: finished runs are in the file, newest first', async () => {
  const { dir, cleanup } = await tempDir('agent-tray-recorder-');
  cleanups.push(cleanup);
  const file = path.join(dir, 'history.jsonl');
  const store = await HistoryStore.open(file);
  const recorder = new RunRecorder(store);
  const agent = new Agent(recorder, { now: 5_000 });
  agent.start();
  agent.exit(1, null, 'backoff');
  agent.start(policy('restart 1 of 5 in 60 s'));
  agent.stop();
  await recorder.flush();
  const listed = (await HistoryStore.open(file)).list({ agent: 'w' });
  assert.deepEqual(listed.map((r) => [r.pid, r.startedBy, r.ended]), [
    [101, 'restart', 'stopped-by-user'],
    [100, 'user', 'crashed'],
  ]);
});
