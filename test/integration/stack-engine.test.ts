// Stacks in the engine, on real processes with the Supervisor's health probes: a start starts its
// dependencies first (transitively) and waits in `waiting` for each condition (started, healthy,
// ready, completed); readyLine makes a run ready once; the start timeout and a failed dependency
// end the wait as `errored` with the reason; a person's stop cancels it; a restart by policy waits
// again; waiting spends no restart budget and no concurrency slot; a new host carries a wait on.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { discoverAgents } from '../../electron/core/discovery.js';
import { Engine } from '../../electron/core/engine.js';
import type { AgentTrayError } from '../../electron/core/errors.js';
import { readState, stateFile } from '../../electron/core/run-state.js';
import { Supervisor } from '../../electron/core/supervision/supervisor.js';
import type { AgentDefinitionInput } from '../../shared/agent.js';
import type { AgentState, EngineEvent } from '../../shared/status.js';
import { hasLine, isState } from '../helpers/engine.js';
import { freePort } from '../helpers/ports.js';
import { fixture, killTracked, track } from '../helpers/processes.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitForEvent } from '../helpers/wait.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0).reverse()) await c();
});

type StateEvent = Extract<EngineEvent, { type: 'state' }>;

/** Every event of an engine from now on, with the readings the tests make of them. */
function record(engine: Engine) {
  const events: EngineEvent[] = [];
  engine.subscribe((e) => {
    if (e.type === 'state' && e.status.pid) track(e.status.pid);
    events.push(e);
  });
  const stateEvents = (name: string) => events.filter((e): e is StateEvent => e.type === 'state' && e.name === name);
  return {
    events,
    states: (name: string): AgentState[] => stateEvents(name).map((e) => e.to),
    /** The `n`th (0-based) entry of `name` into `to`. */
    entry: (name: string, to: AgentState, n = 0): StateEvent => {
      const found = stateEvents(name).filter((e) => e.to === to)[n];
      assert.ok(found, `${name} entered ${to} (${n + 1}×): ${stateEvents(name).map((e) => `${e.from}→${e.to}`).join(', ')}`);
      return found;
    },
    /** Where an event is in the stream (order of what happened). */
    index: (e: EngineEvent) => events.indexOf(e),
    healthy: (name: string, n = 0) => {
      const found = events.filter((e) => e.type === 'health-changed' && e.name === name && e.to === 'healthy')[n];
      assert.ok(found, `${name} turned healthy (${n + 1}×)`);
      return found;
    },
  };
}

/** An engine and its supervisor (health probes) over `dir` (default: a fresh one); both closed, agents stopped, after the test. */
async function stack(agents: AgentDefinitionInput[], opts: { dir?: string; maxConcurrent?: number; keepAgents?: boolean } = {}) {
  let dir = opts.dir;
  if (!dir) {
    const made = await tempDir('agent-tray-stack-engine-');
    cleanups.push(made.cleanup);
    dir = made.dir;
  }
  const engine = new Engine({ dataDir: dir, random: () => 0.5, ...(opts.maxConcurrent ? { maxConcurrent: opts.maxConcurrent } : {}) });
  engine.setDefinitions(agents);
  const log = record(engine);
  const supervisor = new Supervisor(engine, { sampleIntervalMs: 1_000 });
  const close = async (stopAgents: boolean) => {
    supervisor.close();
    await engine.close({ stopAgents });
  };
  if (!opts.keepAgents) cleanups.push(() => close(true));
  return { engine, log, dir, close };
}

const node = (name: string, script: string, extra: Partial<AgentDefinitionInput> = {}): AgentDefinitionInput => ({ name, command: process.execPath, args: [fixture(script)], ...extra });

/** A model server whose port opens after `loadMs`, probed over http every 100 ms. */
function model(name: string, port: number, loadMs: number, extra: Partial<AgentDefinitionInput> = {}): AgentDefinitionInput {
  return node(name, 'http-server.mjs', {
    env: { PORT: String(port), LISTEN_DELAY_MS: String(loadMs) },
    health: { http: { url: `http://127.0.0.1:${port}/health` }, intervalMs: 100, timeoutMs: 500, startPeriodMs: 30_000 },
    ...extra,
  });
}

/** Resolves with the error a promise rejects with; fails the test when it resolves. */
const refusal = (p: Promise<unknown>, what: string) => p.then(() => assert.fail(`${what} must be refused`), (e: AgentTrayError) => e);

test('a start starts its dependencies first, transitively, waiting in `waiting` with waitingFor kept current; each leaves it once its conditions hold', async () => {
  const port = await freePort();
  const { engine, log } = await stack([
    model('model', port, 800),
    node('server', 'well-behaved.mjs', { dependsOn: { model: 'healthy' } }),
    node('worker', 'well-behaved.mjs', { dependsOn: { server: 'ready', model: 'started' } }),
  ]);
  // while the server waits for the model's health, the worker's list shrinks to the server alone
  const whenModelRuns = waitForEvent(engine, isState('model', 'running'), 10_000, 'the model to run').then(() => engine.status('worker'));

  const status = await engine.start('worker');
  assert.equal(status.state, 'running');
  assert.deepEqual(log.states('model'), ['starting', 'running']);
  assert.deepEqual(log.states('server'), ['waiting', 'starting', 'running']);
  assert.deepEqual(log.states('worker'), ['waiting', 'starting', 'running']);

  assert.deepEqual(log.entry('server', 'waiting').status.waitingFor, [{ agent: 'model', condition: 'healthy' }]);
  assert.deepEqual(log.entry('worker', 'waiting').status.waitingFor, [
    { agent: 'server', condition: 'ready' },
    { agent: 'model', condition: 'started' },
  ]);
  const midway = await whenModelRuns;
  assert.deepEqual([midway.state, midway.waitingFor], ['waiting', [{ agent: 'server', condition: 'ready' }]]);

  // the order of what happened: model healthy → server starts → server runs → worker starts
  const serverStarts = log.entry('server', 'starting');
  assert.ok(log.index(serverStarts) > log.index(log.healthy('model')), 'the server started after the model turned healthy');
  assert.ok(log.index(log.entry('worker', 'starting')) > log.index(log.entry('server', 'running')), 'the worker started after the server ran');
  assert.match(serverStarts.reason.message, /model \(healthy\)/);
  assert.equal(serverStarts.status.waitingFor, undefined, 'no waitingFor once it no longer waits');
  assert.deepEqual(engine.status('worker').dependsOn, { server: 'ready', model: 'started' });
  // without a readyLine: ready when healthy (a probe), else when running; each with a `ready` event without a line
  const ready = (name: string) => log.events.find((e): e is Extract<EngineEvent, { type: 'ready' }> => e.type === 'ready' && e.name === name);
  assert.deepEqual([ready('server')?.line, ready('server')?.at], [null, log.entry('server', 'running').at]);
  assert.ok(log.index(ready('model')!) > log.index(log.healthy('model')));
  assert.deepEqual([engine.status('model').ready, engine.status('server').ready], [true, true]);
  // a dependency already running is left alone
  const modelPid = engine.status('model').pid;
  await engine.stop('worker');
  await engine.start('worker');
  assert.equal(engine.status('model').pid, modelPid);
  assert.deepEqual(log.states('model'), ['starting', 'running']);
});

test('`completed`: the dependent starts once the one-shot exited 0 after the start was asked for; asked again, the one-shot runs again first', async () => {
  const { engine, log } = await stack([
    node('setup', 'stack-oneshot.mjs', { env: { DELAY_MS: '300' }, restart: { policy: 'no' } }),
    node('app', 'well-behaved.mjs', { dependsOn: { setup: 'completed' } }),
  ]);
  assert.equal((await engine.start('app')).state, 'running');
  const setupDone = log.entry('setup', 'stopped');
  assert.equal(setupDone.status.exitCode, 0);
  assert.ok(log.index(log.entry('app', 'starting')) > log.index(setupDone), 'the app started after setup exited 0');
  assert.deepEqual(log.entry('app', 'waiting').status.waitingFor, [{ agent: 'setup', condition: 'completed' }]);

  // its earlier completion does not count for a new start
  await engine.stop('app');
  assert.equal((await engine.start('app')).state, 'running');
  assert.deepEqual(log.states('setup'), ['starting', 'running', 'stopped', 'starting', 'running', 'stopped']);
  assert.ok(log.index(log.entry('app', 'starting', 1)) > log.index(log.entry('setup', 'stopped', 1)));
});

test('readyLine: the first matching line makes the run ready (a `ready` event with the line); `ready` dependents wait for it; a new run starts not ready', async () => {
  const port = await freePort();
  const { engine, log } = await stack([
    node('model', 'http-server.mjs', { env: { PORT: String(port), LISTEN_DELAY_MS: '600' }, readyLine: '^listening on \\d+$' }),
    node('app', 'well-behaved.mjs', { dependsOn: { model: 'ready' } }),
  ]);
  await engine.start('app');
  const readies = () => log.events.filter((e): e is Extract<EngineEvent, { type: 'ready' }> => e.type === 'ready' && e.name === 'model');
  const first = readies()[0];
  assert.ok(first, 'a ready event for the model');
  assert.equal(first.line, `listening on ${port}`);
  assert.ok(log.index(log.entry('app', 'starting')) > log.index(first), 'the app started after the model was ready');
  const status = engine.status('model');
  assert.deepEqual([status.ready, status.readyAt], [true, first.at]);
  assert.equal(readies().length, 1, 'once per run, though it prints more');

  // a new run is not ready until its own line
  const restarted = await engine.restart('model');
  assert.deepEqual([restarted.state, restarted.ready, restarted.readyAt], ['running', false, null]);
  const second = await waitForEvent(engine, (e) => e.type === 'ready' && e.name === 'model', 10_000, 'the new run to be ready');
  assert.ok(second.type === 'ready' && second.at > first.at);
  assert.equal(engine.status('model').ready, true);
});

test('the start timeout ends the wait: errored, "waited 0.7 s for model (healthy)"; the dependency keeps running', async () => {
  const port = await freePort();
  const { engine, log } = await stack([model('model', port, 3_600_000), node('server', 'well-behaved.mjs', { dependsOn: { model: 'healthy' }, startTimeoutMs: 700 })]);
  const began = Date.now();
  const err = await refusal(engine.start('server'), 'a start whose dependency is never healthy');
  assert.ok(Date.now() - began >= 650, `it waited ${Date.now() - began} ms`);
  assert.equal(err.code, 'timeout');
  assert.match(err.message, /^Agent "server" was not started: waited 0\.7 s for model \(healthy\)\. /);
  assert.match(err.hint ?? '', /agent-tray logs model.*startTimeoutMs of server/);
  const status = engine.status('server');
  assert.equal(status.state, 'errored');
  assert.equal(status.lastError?.message, 'waited 0.7 s for model (healthy)');
  assert.deepEqual(log.states('server'), ['waiting', 'errored']);
  assert.equal(engine.status('model').state, 'running');
});

test('a dependency that crashes errors its dependents with its name and reason, down the chain; nothing after it starts', async () => {
  const port = await freePort(); // nothing listens: the model crashes before it is ever healthy
  const { engine, log } = await stack([
    model('model', port, 0, { args: [fixture('stack-oneshot.mjs')], env: { EXIT_CODE: '1', MESSAGE: 'CUDA out of memory', DELAY_MS: '300' }, restart: { policy: 'no' } }),
    node('server', 'well-behaved.mjs', { dependsOn: { model: 'healthy' } }),
    node('worker', 'well-behaved.mjs', { dependsOn: { server: 'started' } }),
  ]);
  const err = await refusal(engine.start('worker'), 'a start whose dependency crashed');
  assert.equal(err.code, 'not-ready');
  assert.match(err.message, /^Agent "worker" was not started: server errored: model crashed: CUDA out of memory\. /);
  assert.match(err.hint ?? '', /agent-tray logs server/);
  assert.equal(engine.status('server').lastError?.message, 'model crashed: CUDA out of memory');
  assert.match(log.entry('server', 'errored').reason.message, /^server was not started: model crashed: CUDA out of memory$/);
  assert.deepEqual(log.states('server'), ['waiting', 'errored']);
  assert.deepEqual(log.states('worker'), ['waiting', 'errored']);
});

test('a one-shot that exits non-zero while its completion is awaited errors the dependent with its reason', async () => {
  const { engine, log } = await stack([
    node('setup', 'stack-oneshot.mjs', { env: { EXIT_CODE: '3', MESSAGE: 'migrations failed: disk is read-only' }, restart: { policy: 'no' } }),
    node('app', 'well-behaved.mjs', { dependsOn: { setup: 'completed' } }),
  ]);
  const err = await refusal(engine.start('app'), 'a start whose one-shot failed');
  assert.match(err.message, /^Agent "app" was not started: setup crashed: migrations failed: disk is read-only\. /);
  assert.deepEqual(log.states('app'), ['waiting', 'errored']);
});

test('a person\'s stop (or kill) of a waiting agent cancels the wait: stopped, and nothing more is started when its dependency gets there', async () => {
  const port = await freePort();
  const { engine, log } = await stack([
    model('model', port, 800),
    node('server', 'well-behaved.mjs', { dependsOn: { model: 'healthy' } }),
    node('other', 'well-behaved.mjs', { dependsOn: { model: 'healthy' } }),
  ]);
  const serverStart = engine.start('server');
  const otherStart = engine.start('other');
  await waitForEvent(engine, isState('other', 'waiting'), 10_000, 'the other to wait');
  const stopped = await engine.stop('server');
  assert.equal(stopped.outcome, 'not-running');
  const killed = await engine.kill('other');
  assert.equal(killed.outcome, 'not-running');
  assert.deepEqual([(await serverStart).state, (await otherStart).state], ['stopped', 'stopped']);
  assert.match(log.entry('server', 'stopped').reason.message, /^stop requested while it waited for model \(healthy\)/);
  assert.match(log.entry('other', 'stopped').reason.message, /^kill requested while it waited for model \(healthy\)/);

  await waitForEvent(engine, (e) => e.type === 'health-changed' && e.name === 'model' && e.to === 'healthy', 10_000, 'the model to be healthy');
  await delay(300); // a wait still there would have started them within a few ms
  assert.deepEqual(log.states('server'), ['waiting', 'stopped']);
  assert.deepEqual(log.states('other'), ['waiting', 'stopped']);
  assert.equal(engine.status('model').state, 'running', 'what it started keeps running');
});

test('a restart by policy waits for the dependencies again (backoff → waiting), starting a dependency that was stopped', async () => {
  const port = await freePort();
  const { engine, log } = await stack([
    model('model', port, 500),
    node('server', 'stack-oneshot.mjs', {
      env: { EXIT_CODE: '1', MESSAGE: 'lost the model', DELAY_MS: '700' },
      dependsOn: { model: 'healthy' },
      restart: { policy: 'on-failure', maxRestarts: 5, backoff: { initialMs: 100, factor: 1, maxMs: 100 } },
    }),
  ]);
  await engine.start('server');
  await engine.stop('model');
  const again = await waitForEvent(engine, (e): e is StateEvent => isState('server', 'running')(e) && e.lifecycle === 'restarted', 15_000, 'the server to be restarted');
  assert.deepEqual(log.states('server').slice(0, 7), ['waiting', 'starting', 'running', 'backoff', 'waiting', 'starting', 'running']);
  assert.deepEqual(log.entry('server', 'waiting', 1).status.waitingFor, [{ agent: 'model', condition: 'healthy' }]);
  assert.ok(log.index(log.entry('server', 'starting', 1)) > log.index(log.healthy('model', 1)), 'the restart came after the model was healthy again');
  assert.equal(again.status.restarts, 1);
});

test('waiting spends no restart budget: a server that crashes without its model starts once, when the model is healthy, and its run counts from its spawn', async () => {
  const port = await freePort();
  const { engine, log } = await stack([
    model('model', port, 1_200),
    node('server', 'stack-client.mjs', { env: { PORT: String(port) }, dependsOn: { model: 'healthy' }, restart: { policy: 'on-failure', maxRestarts: 1, backoff: { initialMs: 50, factor: 1, maxMs: 50 } } }),
  ]);
  const connected = waitForEvent(engine, hasLine('server', /^connected pid=\d+$/), 15_000, 'the server to reach its model');
  const asked = Date.now();
  const status = await engine.start('server');
  await connected;
  assert.equal(status.restarts, 0);
  assert.ok((status.startedAt ?? 0) - asked >= 1_000, `its run began at its spawn (${(status.startedAt ?? 0) - asked} ms after the request), not at the request`);
  assert.deepEqual(log.states('server'), ['waiting', 'starting', 'running']);
  assert.deepEqual([engine.status('server').state, engine.status('server').restarts], ['running', 0]);
});

test('the concurrency limit counts a waiting agent as not started: another agent takes the slot, and the waiting one is refused by the limit when its turn comes', async () => {
  const port = await freePort();
  const { engine } = await stack([model('model', port, 1_000), node('server', 'well-behaved.mjs', { dependsOn: { model: 'healthy' } }), node('solo', 'well-behaved.mjs')], { maxConcurrent: 2 });
  const modelRuns = waitForEvent(engine, isState('model', 'running'), 10_000, 'the model to run');
  const serverStart = refusal(engine.start('server'), 'a start past the limit');
  await modelRuns;
  assert.equal(engine.status('server').state, 'waiting');
  assert.equal(engine.activeCount(), 1, 'only the model counts');
  assert.equal((await engine.start('solo')).state, 'running');
  assert.equal(engine.activeCount(), 2);

  const err = await serverStart;
  assert.equal(err.code, 'conflict');
  assert.match(err.message, /concurrency limit of 2 agents is reached/);
  const server = engine.status('server');
  assert.equal(server.state, 'errored');
  assert.match(server.lastError?.message ?? '', /concurrency limit/);
});

test('a host that closes while an agent waits: the next one takes the dependency back (not started twice) and carries the wait on', async () => {
  const port = await freePort();
  const agents = [model('model', port, 2_500), node('server', 'well-behaved.mjs', { dependsOn: { model: 'healthy' } })];
  const first = await stack(agents, { keepAgents: true });
  const firstStart = first.engine.start('server');
  await waitForEvent(first.engine, isState('model', 'running'), 10_000, 'the model to run');
  assert.equal(first.engine.status('server').state, 'waiting');
  const modelPid = first.engine.status('model').pid;
  await first.close(false); // the agents outlive the host
  assert.equal((await firstStart).state, 'waiting');

  const second = await stack(agents, { dir: first.dir });
  const results = await discoverAgents(second.engine);
  const byName = Object.fromEntries(results.map((r) => [r.name, r]));
  assert.deepEqual([byName.model?.outcome, byName.model?.pid], ['adopted', modelPid]);
  const waiting = second.engine.status('server');
  assert.deepEqual([waiting.state, waiting.waitingFor], ['waiting', [{ agent: 'model', condition: 'healthy' }]]);
  assert.match(second.log.entry('server', 'waiting').reason.message, /was waiting for its dependencies; it waits again/);

  await waitForEvent(second.engine, isState('server', 'running'), 15_000, 'the server to start under the next host');
  assert.ok(second.log.index(second.log.entry('server', 'starting')) > second.log.index(second.log.healthy('model')));
  const model2 = second.engine.status('model');
  assert.deepEqual([model2.pid, model2.adopted], [modelPid, true]);
  assert.deepEqual(second.log.states('model'), ['starting', 'running'], 'taken back, not started again');
  assert.equal(second.log.entry('model', 'starting').reason.kind, 'adopted');
});

test('a wait carried on from a previous host starts no dependency before discovery has looked for it (startResumedWaits): the running model is taken back, not started twice', async () => {
  const port = await freePort();
  const agents = [model('model', port, 1_500), node('server', 'well-behaved.mjs', { dependsOn: { model: 'healthy' } })];
  const first = await stack(agents, { keepAgents: true });
  void first.engine.start('server').catch(() => undefined);
  await waitForEvent(first.engine, isState('model', 'running'), 10_000, 'the model to run');
  const modelPid = first.engine.status('model').pid;
  await first.close(false);

  const second = await stack(agents, { dir: first.dir });
  const saved = await readState(stateFile(second.engine.paths, 'server'));
  assert.equal(saved?.state, 'waiting');
  assert.equal((await second.engine.resume('server', saved!))?.state, 'waiting');
  await delay(200); // a dependency started now would be `starting` within a few ms
  assert.deepEqual(second.log.states('model'), [], 'the model was not started before discovery looked for it');

  await discoverAgents(second.engine);
  assert.deepEqual([second.engine.status('model').pid, second.engine.status('model').adopted], [modelPid, true]);
  await waitForEvent(second.engine, isState('server', 'running'), 15_000, 'the server to start under the next host');
  assert.deepEqual(second.log.states('model'), ['starting', 'running']);
});
