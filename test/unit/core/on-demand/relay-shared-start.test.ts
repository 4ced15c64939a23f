// The relay's one shared start: a connection that comes while the start it asked for is under way
// joins that start (the agent's `starting` transition must not make it ask for a second one), so a
// failing start is one failure, not one per client. The engine here is a stand-in whose start the
// test finishes, because the window between `starting` and the failure is too short to hit with a
// real spawn; the sockets and the relay are real.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { afterEach, it } from 'node:test';
import { OnDemandRelay, type RelayEngine } from '../../../../electron/core/on-demand/relay.js';
import type { AgentState, AgentStatus, EngineEvent } from '../../../../shared/status.js';
import { freePort } from '../../../helpers/ports.js';
import { waitFor } from '../../../helpers/wait.js';

const closers: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of closers.splice(0).reverse()) await c();
});

/** A stand-in engine: start() emits `starting` and waits for the test to fail it. */
function standIn() {
  let state: AgentState = 'stopped';
  const listeners = new Set<(e: EngineEvent) => void>();
  const starts: { fail: (err: Error) => void }[] = [];
  const status = () => ({ name: 'od', state, pid: null, outputCaptured: true, lastError: null, nextAttemptAt: null }) as unknown as AgentStatus;
  const emit = (to: AgentState) => {
    const from = state;
    state = to;
    for (const l of listeners) l({ type: 'state', name: 'od', from, to, reason: { kind: 'on-demand', message: '' }, at: Date.now(), status: status() });
  };
  const engine = {
    status,
    start: () =>
      new Promise<AgentStatus>((_, reject) => {
        starts.push({ fail: (err) => (emit('errored'), reject(err)) });
        setImmediate(() => emit('starting')); // as the engine does: at the start's turn in the agent's queue
      }),
    stop: async () => ({}) as never,
    subscribe: (l: (e: EngineEvent) => void) => (listeners.add(l), () => listeners.delete(l)),
    publish: () => undefined,
    setOnDemand: () => undefined,
    clearOnDemand: () => undefined,
    internalPort: () => null,
    restartPolicy: () => ({ policy: 'no', maxRestarts: 5, windowMs: 60_000, stableMs: 30_000, backoff: { initialMs: 60_000, factor: 2, maxMs: 60_000 } }),
    runContext: () => ({ cwd: '.', env: {} }),
    effectiveDefinition: () => ({ name: 'od', command: 'x', args: [] }),
  } as unknown as RelayEngine;
  return { engine, starts };
}

/** A client that resolves when the relay closes it. */
function client(port: number): Promise<void> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.on('error', () => undefined);
    s.on('close', () => resolve());
    closers.push(() => s.destroy());
  });
}

it('a connection during a start under way joins it: one failed start closes both clients, and the next waits out the backoff', async () => {
  const port = await freePort();
  const { engine, starts } = standIn();
  const relay = new OnDemandRelay(engine, { name: 'od', command: 'x', args: [], env: {}, port, onDemand: { idleStopMs: 60_000 } } as OnDemandRelay['def']);
  closers.push(() => relay.close());
  assert.equal(await relay.listen(), true);

  const first = client(port);
  await waitFor(() => starts.length === 1, 2000, 'the first connection to start the agent');
  const second = client(port);
  await waitFor(() => relay.status().connections === 2, 2000, 'the second connection to be held');
  assert.equal(starts.length, 1, 'the second connection joined the start under way');
  starts[0]!.fail(new Error('spawn failed'));
  await Promise.all([first, second]);
  await waitFor(() => relay.status().connections === 0, 2000, 'the relay to count both connections closed');
  // the backoff (60 s here) holds off the next start: a third client is closed at once
  await client(port);
  assert.equal(starts.length, 1, 'no start while the failed one cools down');
});
