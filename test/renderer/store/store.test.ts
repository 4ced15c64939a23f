// The store with a bridge the test drives: events applied in batches, actions that record their
// pending state and errors next to the agent, loading history, reconnects.
import { afterEach, describe, expect, it } from 'vitest';
import { BridgeError } from '../../../shared/bridge.js';
import type { BulkResult } from '../../../shared/commands.js';
import { ringToArray } from '../../../renderer/store/ring.js';
import { immediateScheduler, microtaskScheduler } from '../../../renderer/store/scheduler.js';
import { errorFor, isPending } from '../../../renderer/store/selectors.js';
import { createTrayStore, toActionError } from '../../../renderer/store/store.js';
import { fakeBridge, manualScheduler, running, status } from '../helpers/fakes.js';

const ends: (() => void)[] = [];
afterEach(() => {
  for (const end of ends.splice(0)) end();
});

/** A connected store over a fake bridge with the given handlers. */
function connected(handlers: Parameters<typeof fakeBridge>[0] = {}, schedule = immediateScheduler, opts: Parameters<typeof fakeBridge>[1] = {}) {
  const fake = fakeBridge(handlers, opts);
  const store = createTrayStore({ bridge: fake.bridge, schedule, now: () => 50_000 });
  ends.push(store.getState().actions.connect());
  return { fake, store, actions: store.getState().actions };
}

/** A deferred promise, to hold a command open while the test looks at the pending state. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('events', () => {
  it('applies the snapshot, then each event', () => {
    const { fake, store } = connected();
    fake.emit({ type: 'snapshot', at: 51_000, agents: [status('a'), status('b')] });
    expect(store.getState().agents.order).toEqual(['a', 'b']);
    expect(store.getState().agents.clockOffsetMs).toBe(1_000);
    fake.emit({ type: 'state', name: 'a', from: 'stopped', to: 'running', reason: { kind: 'spawned', message: '' }, at: 1, status: running('a', 1) });
    fake.emit({ type: 'log', name: 'a', lines: [{ at: 2, stream: 'stdout', text: 'ready' }] });
    fake.emit({ type: 'agent-removed', name: 'b' });
    const s = store.getState();
    expect(s.agents.byName.a?.state).toBe('running');
    expect(ringToArray(s.logs.byAgent.a!.lines).map((l) => l.text)).toEqual(['ready']);
    expect(s.agents.order).toEqual(['a']);
  });

  it('a burst of events becomes one update of the state when the scheduler runs', () => {
    const manual = manualScheduler();
    const { fake, store } = connected({}, manual.schedule);
    let updates = 0;
    ends.push(store.subscribe(() => updates++));
    fake.emit({ type: 'snapshot', at: 1, agents: [status('a')] });
    for (let i = 0; i < 50; i++) fake.emit({ type: 'log', name: 'a', lines: [{ at: i, stream: 'stdout', text: `line ${i}` }] });
    expect(manual.pending()).toBe(1);
    expect(store.getState().agents.order).toEqual([]);
    manual.run();
    expect(updates).toBe(1);
    expect(store.getState().logs.byAgent.a?.lines.length).toBe(50);
    fake.emit({ type: 'log', name: 'a', lines: [{ at: 99, stream: 'stdout', text: 'later' }] });
    expect(manual.pending()).toBe(1);
    store.getState().actions.flush();
    expect(store.getState().logs.byAgent.a?.lines.length).toBe(51);
  });

  it('with the microtask scheduler, events of one task are applied together after it', async () => {
    const { fake, store } = connected({}, microtaskScheduler);
    fake.emit({ type: 'snapshot', at: 1, agents: [status('a')] }, { type: 'agent-added', name: 'b', status: status('b') });
    expect(store.getState().agents.order).toEqual([]);
    await Promise.resolve();
    expect(store.getState().agents.order).toEqual(['a', 'b']);
  });

  it('connect subscribes once and loads the alerts; its end unsubscribes', async () => {
    const fake = fakeBridge({ listAlerts: () => ({ alerts: [{ id: 4, at: 1, severity: 'critical', kind: 'gave-up', name: 'a', message: 'gave up' }] }) });
    const store = createTrayStore({ bridge: fake.bridge, schedule: immediateScheduler });
    const end = store.getState().actions.connect();
    expect(store.getState().actions.connect()).toBe(end);
    expect(fake.subscribers()).toBe(1);
    await expect.poll(() => store.getState().alerts.loaded).toBe(true);
    expect(store.getState().alerts.items.map((a) => a.id)).toEqual([4]);
    expect(fake.calls.filter((c) => c.name === 'listAlerts')).toEqual([{ name: 'listAlerts', input: { since: 0 } }]);
    end();
    expect(fake.subscribers()).toBe(0);
    const again = store.getState().actions.connect();
    expect(fake.subscribers()).toBe(1);
    again();
  });

  it('shows the connection state of a bridge that reports one; an IPC bridge counts as open', () => {
    const { fake, store } = connected({}, immediateScheduler, { connectionAware: true });
    expect(store.getState().ui.connection.status).toBe('connecting');
    fake.setConnection({ status: 'reconnecting', message: 'Lost the connection', hint: null });
    expect(store.getState().ui.connection).toMatchObject({ status: 'reconnecting', message: 'Lost the connection' });
    const plain = connected();
    expect(plain.store.getState().ui.connection.status).toBe('open');
  });

  it('after a reconnect (a second snapshot) it fetches again the logs it showed and the alerts', async () => {
    let backlogCalls = 0;
    const { fake, store, actions } = connected({
      agentLogs: () => {
        backlogCalls++;
        return { lines: [{ ts: new Date(backlogCalls).toISOString(), stream: 'stdout', text: `backlog ${backlogCalls}` }] };
      },
    });
    fake.emit({ type: 'snapshot', at: 1, agents: [status('a'), status('b')] });
    await actions.loadLogs('a');
    expect(store.getState().logs.byAgent.a?.backlog).toBe('loaded');
    const alertCalls = () => fake.calls.filter((c) => c.name === 'listAlerts').length;
    const before = alertCalls();
    fake.emit({ type: 'snapshot', at: 2, agents: [status('a'), status('b')] });
    await expect.poll(() => backlogCalls).toBe(2);
    expect(fake.calls.filter((c) => c.name === 'agentLogs').map((c) => c.input)).toEqual([
      { name: 'a', lines: 1000, stream: 'all' },
      { name: 'a', lines: 1000, stream: 'all' },
    ]);
    await expect.poll(alertCalls).toBe(before + 1);
    await expect.poll(() => ringToArray(store.getState().logs.byAgent.a!.lines).map((l) => l.text)).toEqual(['backlog 1', 'backlog 2']);
  });
});

describe('actions', () => {
  it('a command is pending while it runs and leaves no error when it succeeds', async () => {
    const answer = deferred<ReturnType<typeof running>>();
    const { store, actions, fake } = connected({ startAgent: () => answer.promise });
    const outcome = actions.start('a');
    expect(isPending(store.getState().ui, 'start', 'a')).toBe(true);
    answer.resolve(running('a', 1));
    expect(await outcome).toMatchObject({ ok: true, result: { state: 'running' } });
    expect(isPending(store.getState().ui, 'start', 'a')).toBe(false);
    expect(errorFor(store.getState().ui, 'start', 'a')).toBeNull();
    expect(fake.calls.at(-1)).toEqual({ name: 'startAgent', input: { name: 'a' } });
  });

  it('a failed command keeps the API\'s message and hint under the agent and action, until it succeeds or is dismissed', async () => {
    let fail = true;
    const { store, actions } = connected({
      stopAgent: () => {
        if (fail) throw new BridgeError({ code: 'stop-failed', message: 'pid 42 survived SIGKILL', hint: 'Check for a zombie' });
        return { ...status('a'), stop: { name: 'a', exitCode: 0, signal: null, durationMs: 5, outcome: 'graceful' as const, pids: [42] } };
      },
    });
    const outcome = await actions.stop('a');
    expect(outcome).toEqual({ ok: false, error: { code: 'stop-failed', message: 'pid 42 survived SIGKILL', hint: 'Check for a zombie', at: 50_000 } });
    expect(errorFor(store.getState().ui, 'stop', 'a')?.message).toBe('pid 42 survived SIGKILL');
    expect(errorFor(store.getState().ui, 'stop', 'b')).toBeNull();
    fail = false;
    await actions.stop('a');
    expect(errorFor(store.getState().ui, 'stop', 'a')).toBeNull();
    fail = true;
    await actions.stop('a');
    actions.dismissError('stop:a');
    expect(errorFor(store.getState().ui, 'stop', 'a')).toBeNull();
  });

  it('every command action calls its command with its input', async () => {
    const ok = () => status('x');
    const bulk = (): BulkResult => ({ results: [] });
    const { actions, fake } = connected({
      startAgent: ok,
      restartAgent: ok,
      killAgent: () => ({ ...status('x'), stop: { name: 'x', exitCode: null, signal: 'SIGKILL', durationMs: 1, outcome: 'killed', pids: [] } }),
      startAll: bulk,
      stopAll: bulk,
      discover: () => ({ results: [] }),
      createAgent: ok,
      updateAgent: ok,
      removeAgent: () => ({ removed: 'x', stopped: null }),
    });
    const definition = { name: 'x', command: 'node' };
    await actions.restart('x');
    await actions.kill('x');
    await actions.startAll();
    await actions.stopAll();
    await actions.discover();
    await actions.createAgent(definition);
    await actions.updateAgent('x', definition);
    await actions.removeAgent('x', { stop: true });
    await actions.removeAgent('x');
    expect(fake.calls.filter((c) => c.name !== 'listAlerts' && c.name !== 'getSettings')).toEqual([
      { name: 'restartAgent', input: { name: 'x' } },
      { name: 'killAgent', input: { name: 'x' } },
      { name: 'startAll', input: undefined },
      { name: 'stopAll', input: undefined },
      { name: 'discover', input: undefined },
      { name: 'createAgent', input: { definition } },
      { name: 'updateAgent', input: { name: 'x', definition } },
      { name: 'removeAgent', input: { name: 'x', stop: true } },
      { name: 'removeAgent', input: { name: 'x', stop: false } },
    ]);
  });

  it('create errors are kept under "create" for the editor', async () => {
    const { store, actions } = connected({
      createAgent: () => {
        throw new BridgeError({ code: 'invalid-definition', message: 'name: "a/b" has characters other than letters' });
      },
    });
    const outcome = await actions.createAgent({ name: 'a/b', command: 'x' });
    expect(outcome.ok).toBe(false);
    expect(errorFor(store.getState().ui, 'create')).toMatchObject({ code: 'invalid-definition', message: 'name: "a/b" has characters other than letters' });
  });

  it('toggle starts a stopped agent, stops a running one, leaves a stopping one alone', async () => {
    const { fake, actions } = connected({ startAgent: () => running('a', 1), stopAgent: () => ({ ...status('b'), stop: { name: 'b', exitCode: 0, signal: null, durationMs: 1, outcome: 'graceful' as const, pids: [] } }) });
    fake.emit({ type: 'snapshot', at: 1, agents: [status('a'), running('b', 1), status('c', { state: 'stopping' })] });
    await actions.toggle('a');
    await actions.toggle('b');
    expect(await actions.toggle('c')).toBeNull();
    expect(await actions.toggle('nobody')).toBeNull();
    expect(fake.calls.filter((c) => c.name !== 'listAlerts' && c.name !== 'getSettings').map((c) => c.name)).toEqual(['startAgent', 'stopAgent']);
  });

  it('Start all keeps each agent\'s failure on that agent, and names them all in its own summary', async () => {
    const { store, actions } = connected({
      startAll: () => ({ results: [{ name: 'a', ok: true }, { name: 'b', ok: false, error: { code: 'spawn-failed', message: 'b: command not found: nope' } }] }),
    });
    await actions.startAll();
    expect(errorFor(store.getState().ui, 'start', 'b')?.message).toBe('b: command not found: nope');
    expect(errorFor(store.getState().ui, 'start', 'a')).toBeNull();
    expect(errorFor(store.getState().ui, 'startAll')).toMatchObject({
      code: 'partial-failure',
      message: '1 of 2 failed',
      failures: [{ name: 'b', code: 'spawn-failed', message: 'b: command not found: nope' }],
    });
  });

  it('a Start all that starts everything leaves no summary, also where an earlier one failed', async () => {
    let fail = true;
    const { store, actions } = connected({
      startAll: () => ({ results: [{ name: 'a', ok: !fail, ...(fail ? { error: { code: 'spawn-failed', message: 'nope' } } : {}) }] }),
    });
    await actions.startAll();
    expect(errorFor(store.getState().ui, 'startAll')?.failures?.map((f) => f.name)).toEqual(['a']);
    fail = false;
    await actions.startAll();
    expect(errorFor(store.getState().ui, 'startAll')).toBeNull();
    expect(errorFor(store.getState().ui, 'start', 'a')).toBeNull();
  });

  it('loads the log backlog, the stats history and the violations of an agent', async () => {
    const { fake, store, actions } = connected({
      agentLogs: () => ({ lines: [{ ts: new Date(1).toISOString(), stream: 'stderr', text: 'old' }] }),
      agentStats: () => ({ samples: [{ at: 5, cpuPercent: 1, memoryMB: 2, threads: null, fileHandles: null, processes: 1 }] }),
      agentViolations: () => ({ violations: [{ at: 1, kind: 'cpu', value: 300, limit: 200, action: 'warn', message: 'hot' }] }),
    });
    fake.emit({ type: 'snapshot', at: 1, agents: [status('a')] }, { type: 'log', name: 'a', lines: [{ at: 2, stream: 'stdout', text: 'new' }] });
    const loading = actions.loadLogs('a', 50);
    expect(store.getState().logs.byAgent.a?.backlog).toBe('loading');
    expect(await loading).toEqual({ ok: true, result: 1 });
    expect(ringToArray(store.getState().logs.byAgent.a!.lines).map((l) => `${l.stream}:${l.text}`)).toEqual(['stderr:old', 'stdout:new']);
    expect(fake.calls.find((c) => c.name === 'agentLogs')?.input).toEqual({ name: 'a', lines: 50, stream: 'all' });
    await actions.loadStats('a');
    expect(ringToArray(store.getState().stats.byAgent.a!)).toEqual([{ t: 5, cpu: 1, memoryMB: 2 }]);
    await actions.loadViolations('a');
    expect(store.getState().agents.violations.a?.map((v) => v.message)).toEqual(['hot']);
  });

  it('keeps fewer lines of an agent whose log was never opened, and all of them once it is', async () => {
    const fake = fakeBridge({ agentLogs: () => ({ lines: [] }) });
    const store = createTrayStore({ bridge: fake.bridge, schedule: immediateScheduler, now: () => 50_000, limits: { logLines: 30, backgroundLogLines: 10 } });
    ends.push(store.getState().actions.connect());
    const lines = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ at: from + i, stream: 'stdout' as const, text: `line ${from + i}` }));
    fake.emit({ type: 'snapshot', at: 1, agents: [status('quiet'), status('open')] });
    fake.emit({ type: 'log', name: 'quiet', lines: lines(0, 25) }, { type: 'log', name: 'open', lines: lines(0, 25) });
    // nobody looks at either: each keeps only its newest 10
    expect(store.getState().logs.byAgent.quiet!.lines.length).toBe(10);
    expect(ringToArray(store.getState().logs.byAgent.quiet!.lines)[0]?.text).toBe('line 15');
    // opening one log raises its cap: the next lines are all kept, up to the full cap
    await store.getState().actions.loadLogs('open');
    fake.emit({ type: 'log', name: 'open', lines: lines(100, 15) }, { type: 'log', name: 'quiet', lines: lines(100, 15) });
    expect(store.getState().logs.byAgent.open!.lines.length).toBe(25);
    expect(store.getState().logs.byAgent.quiet!.lines.length).toBe(10);
    fake.emit({ type: 'log', name: 'open', lines: lines(200, 20) });
    expect(store.getState().logs.byAgent.open!.lines.length).toBe(30);
  });

  it('a failed backlog load leaves the log as it was, with the error under logs:<name>', async () => {
    const { fake, store, actions } = connected({
      agentLogs: () => {
        throw new BridgeError({ code: 'unreachable', message: 'The Agent Tray host is not answering' });
      },
    });
    fake.emit({ type: 'snapshot', at: 1, agents: [status('a')] });
    const outcome = await actions.loadLogs('a');
    expect(outcome.ok).toBe(false);
    expect(store.getState().logs.byAgent.a?.backlog).toBe('none');
    expect(errorFor(store.getState().ui, 'logs', 'a')?.code).toBe('unreachable');
  });

  it('select and navigate set the view and the agent', () => {
    const { store, actions } = connected();
    actions.navigate('logs', 'a');
    expect(store.getState().ui).toMatchObject({ view: 'logs', selected: 'a' });
    actions.navigate('settings');
    expect(store.getState().ui).toMatchObject({ view: 'settings', selected: 'a' });
    actions.select(null);
    expect(store.getState().ui.selected).toBeNull();
  });
});

describe('toActionError', () => {
  it('takes code, message and hint from a BridgeError, a plain object over IPC, or anything', () => {
    expect(toActionError(new BridgeError({ code: 'x', message: 'm', hint: 'h' }), 1)).toEqual({ code: 'x', message: 'm', hint: 'h', at: 1 });
    expect(toActionError({ code: 'y', message: 'n' }, 2)).toEqual({ code: 'y', message: 'n', hint: null, at: 2 });
    expect(toActionError(new Error('boom'), 3)).toEqual({ code: 'internal', message: 'boom', hint: null, at: 3 });
    expect(toActionError('text', 4)).toEqual({ code: 'internal', message: 'text', hint: null, at: 4 });
  });
});
