// A stop that waits for a stubborn agent says where it stands: the status while `stopping` carries
// its phase (asking, insisting, killing) and when the kill will be forced, every change reaches the
// subscribers (an agent-updated event) and the HTTP event stream, and a kill overtakes the wait.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { AgentDefinitionInput } from '../../shared/agent.js';
import type { AgentStatus, EngineEvent, StopProgress } from '../../shared/status.js';
import { engineWith as makeEngine, hasLine, isState, type Cleanups } from '../helpers/engine.js';
import { startHost } from '../helpers/http-host.js';
import { alive, fixture, killTracked, track } from '../helpers/processes.js';
import { isEvent, openEventStream } from '../helpers/sse-client.js';
import { waitForEvent } from '../helpers/wait.js';

const cleanups: Cleanups = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The stubborn fixture (ignores SIGTERM) with the given stop timeouts. */
function mule(name: string, timeoutMs: number, insistMs: number): AgentDefinitionInput {
  return { name, command: process.execPath, args: [fixture('stubborn.mjs')], stop: { timeoutMs, insistMs } };
}

/** Matches an agent-updated event of `name` whose stop is in `phase` (with a known kill time while asking). */
const isPhase = (name: string, phase: StopProgress['phase']) => (e: EngineEvent) =>
  e.type === 'agent-updated' && e.name === name && e.status.stopping?.phase === phase && (phase !== 'asking' || e.status.stopping.forceAt !== null);

/** The stop progress of an event's status (fails when it has none). */
function progress(e: EngineEvent): StopProgress {
  assert.ok(e.type === 'agent-updated' || e.type === 'state', `unexpected event ${e.type}`);
  const s = (e as { status: AgentStatus }).status.stopping;
  assert.ok(s, `the status carries the stop's progress: ${JSON.stringify(e)}`);
  return s;
}

/** `actual` is within `slack` ms of `expected`. */
function near(actual: number | null, expected: number, slack: number, what: string): void {
  assert.ok(actual !== null && Math.abs(actual - expected) <= slack, `${what}: ${actual} is not within ${slack} ms of ${expected}`);
}

test('a stubborn agent stops through asking, insisting and killing, and the status says each with the kill time', async () => {
  const engine = await makeEngine(cleanups, [mule('mule', 1_500, 1_000)]);
  const events: EngineEvent[] = [];
  engine.subscribe((e) => {
    if (e.name === 'mule' && (e.type === 'state' || e.type === 'agent-updated')) events.push(e);
  });
  const ready = waitForEvent(engine, hasLine('mule', /^ready/), 5_000, 'ready');
  const { pid } = await engine.start('mule');
  track(pid);
  await ready;

  const stopping = waitForEvent(engine, isState('mule', 'stopping'), 5_000, 'stopping');
  const asking = waitForEvent(engine, isPhase('mule', 'asking'), 5_000, 'the asking phase with its kill time');
  const stop = engine.stop('mule');
  const begun = progress(await stopping);
  assert.equal(begun.phase, 'asking');
  assert.equal(begun.phaseSince, begun.askedAt);
  const asked = progress(await asking);
  near(asked.forceAt, asked.askedAt + 1_500 + 1_000, 300, 'forceAt while asking (timeout + insist)');
  // a client that asks now gets the same
  assert.deepEqual(engine.status('mule').stopping, asked);

  const insisting = progress(await waitForEvent(engine, isPhase('mule', 'insisting'), 5_000, 'insisting'));
  near(insisting.phaseSince, asked.askedAt + 1_500, 400, 'insisting begins after the timeout');
  near(insisting.forceAt, insisting.phaseSince + 1_000, 50, 'forceAt while insisting');
  assert.equal(insisting.askedAt, asked.askedAt);
  const killing = progress(await waitForEvent(engine, isPhase('mule', 'killing'), 5_000, 'killing'));
  near(killing.phaseSince, insisting.phaseSince + 1_000, 400, 'the kill comes after insisting');

  const result = await stop;
  assert.equal(result.outcome, 'killed');
  assert.equal(alive(pid!), false);
  assert.equal(engine.status('mule').stopping, undefined, 'a stopped agent has no stop progress');
  const last = events.at(-1);
  assert.ok(last?.type === 'state' && last.to === 'stopped' && last.status.stopping === undefined);
  const phases = events.filter((e) => e.type === 'agent-updated').map((e) => progress(e).phase);
  assert.deepEqual(phases, ['asking', 'insisting', 'killing'], 'one update per phase change');
});

test('a kill during a waiting stop moves it to killing at once, and it never goes back', async () => {
  const engine = await makeEngine(cleanups, [mule('mule2', 60_000, 60_000)]);
  const phases: string[] = [];
  engine.subscribe((e) => {
    if (e.type === 'agent-updated' && e.name === 'mule2') phases.push(e.status.stopping?.phase ?? 'none');
  });
  const ready = waitForEvent(engine, hasLine('mule2', /^ready/), 5_000, 'ready');
  const { pid } = await engine.start('mule2');
  track(pid);
  await ready;
  const asking = waitForEvent(engine, isPhase('mule2', 'asking'), 5_000, 'asking');
  const stop = engine.stop('mule2');
  const asked = progress(await asking);
  near(asked.forceAt, asked.askedAt + 120_000, 300, 'forceAt of a long stop');
  const killing = waitForEvent(engine, isPhase('mule2', 'killing'), 5_000, 'killing');
  const killedAt = Date.now();
  await engine.kill('mule2');
  const k = progress(await killing);
  near(k.phaseSince, killedAt, 1_000, 'killing since the kill');
  assert.equal(k.askedAt, asked.askedAt, 'still the same stop');
  assert.equal((await stop).outcome, 'killed');
  assert.deepEqual(phases, ['asking', 'killing']);
});

test('the event stream carries each phase of a stop as agent-updated, with the stop progress in the status', async () => {
  const host = await startHost(cleanups, { agents: [mule('mule3', 1_000, 500)] });
  const stream = await openEventStream(`${host.url}/api/events`, { authorization: `Bearer ${host.token}` });
  cleanups.push(() => stream.close());
  await host.api('POST', '/api/agents/mule3/start');
  await stream.next(isEvent('log', (d) => d.name === 'mule3'), 5_000, 'the ready line of mule3');
  const stopped = host.api('POST', '/api/agents/mule3/stop');
  const asking = await stream.next(isEvent('agent-updated', (d) => (d.status as AgentStatus).stopping?.phase === 'asking'), 5_000, 'asking');
  const asked = (JSON.parse(asking.data ?? '') as { status: AgentStatus }).status.stopping!;
  near(asked.forceAt, asked.askedAt + 1_500, 300, 'forceAt in the stream');
  // the API's status says the same while it waits
  const now = await host.api('GET', '/api/agents/mule3');
  assert.equal(now.body.state, 'stopping');
  assert.equal(now.body.stopping.phase, 'asking');
  await stream.next(isEvent('agent-updated', (d) => (d.status as AgentStatus).stopping?.phase === 'insisting'), 5_000, 'insisting');
  await stream.next(isEvent('agent-updated', (d) => (d.status as AgentStatus).stopping?.phase === 'killing'), 5_000, 'killing');
  const end = await stream.next(isEvent('state', (d) => d.to === 'stopped'), 10_000, 'stopped');
  assert.equal((JSON.parse(end.data ?? '') as { status: AgentStatus }).status.stopping, undefined);
  assert.equal((await stopped).body.stop?.outcome ?? (await stopped).body.outcome, 'killed');
});
