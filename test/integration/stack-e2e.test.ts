// Stacks end to end (issue 15) on real processes, through the application's command table and a
// real HTTP host: a slow model (listens late, http probe), a one-shot setup (writes a file, exits
// 0), a server that needs both and prints a ready line, a worker that needs the server ready. The
// fixtures write a timeline file (test/fixtures/agents/timeline.mjs); order is asserted from it.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AgentTrayApp } from '../../electron/app/application.js';
import type { AgentDefinitionInput } from '../../shared/agent.js';
import type { HostEvent } from '../../shared/events.js';
import type { AgentState, EngineEvent } from '../../shared/status.js';
import type { Cleanups } from '../helpers/engine.js';
import { startHost, type TestHost } from '../helpers/http-host.js';
import { freePort } from '../helpers/ports.js';
import { alive, fixture, killTracked, track } from '../helpers/processes.js';
import { hostApi, startServe } from '../helpers/serve-process.js';
import { isEvent, openEventStream } from '../helpers/sse-client.js';
import { tempDir } from '../helpers/temp-dir.js';
import { assertBefore, entriesOf, readTimeline, render, when } from '../helpers/timeline.js';
import { waitFor } from '../helpers/wait.js';

const cleanups: Cleanups = [];
const timelines: string[] = [];
afterEach(async () => {
  for (const file of timelines.splice(0)) readTimeline(file); // tracks every pid the fixtures wrote
  killTracked();
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** The files and port of one stack: the data directory, the timeline, setup's output, the model's port. */
interface Stack {
  dir: string;
  timeline: string;
  setupOut: string;
  waitFile: string;
  port: number;
}

/** A fresh data directory and port for a stack. */
async function newStack(): Promise<Stack> {
  const { dir, cleanup } = await tempDir('agent-tray-stack-');
  cleanups.push(cleanup);
  const timeline = path.join(dir, 'timeline.txt');
  timelines.push(timeline);
  return { dir, timeline, setupOut: path.join(dir, 'setup.out'), waitFile: path.join(dir, 'model-may-load'), port: await freePort() };
}

const node = process.execPath;
const healthUrl = (s: Stack) => `http://127.0.0.1:${s.port}/health`;

/** The model: listens after `DELAY_MS`, probed over http every 100 ms. */
function model(s: Stack, env: Record<string, string> = {}, extra: Partial<AgentDefinitionInput> = {}): AgentDefinitionInput {
  return {
    name: 'model',
    command: node,
    args: [fixture('slow-model.mjs')],
    env: { TIMELINE: s.timeline, PORT: String(s.port), DELAY_MS: '1000', ...env },
    port: s.port,
    // failures while it loads do not count (no unhealthy alert); the first 200 makes it healthy
    health: { http: { url: healthUrl(s) }, intervalMs: 100, timeoutMs: 500, startPeriodMs: 30_000 },
    ...extra,
  };
}

/** The one-shot setup: writes `setupOut` and exits 0 (or as `env` says). */
function setup(s: Stack, env: Record<string, string> = {}): AgentDefinitionInput {
  return { name: 'setup', command: node, args: [fixture('setup-once.mjs')], env: { TIMELINE: s.timeline, OUT_FILE: s.setupOut, DELAY_MS: '200', ...env }, restart: { policy: 'no' } };
}

/** The server: exits 1 when started before setup's file exists or the model answers; then prints "ready pid=N". */
function server(s: Stack, dependsOn: AgentDefinitionInput['dependsOn'] = { model: 'healthy', setup: 'completed' }, env: Record<string, string> = {}): AgentDefinitionInput {
  const requires = { ...('setup' in (dependsOn ?? {}) ? { REQUIRES_FILE: s.setupOut } : {}), ...('model' in (dependsOn ?? {}) ? { REQUIRES_URL: healthUrl(s) } : {}) };
  return {
    name: 'server',
    command: node,
    args: [fixture('ready-server.mjs')],
    env: { TIMELINE: s.timeline, READY_MS: '300', ...requires, ...env },
    dependsOn,
    readyLine: '^ready pid=\\d+$',
    // started too early it must stay down, not be rescued by a restart
    restart: { policy: 'no' },
  };
}

/** The worker: needs the server ready; prints "worker up pid=N". */
function worker(s: Stack, env: Record<string, string> = {}): AgentDefinitionInput {
  return {
    name: 'worker',
    command: node,
    args: [fixture('ready-server.mjs')],
    env: { TIMELINE: s.timeline, READY_TEXT: 'worker up', READY_MS: '50', ...env },
    dependsOn: { server: 'ready' },
    readyLine: '^worker up',
  };
}

/** Opens the application over the stack's data directory with these agents in agents.json. */
async function openApp(s: Stack, agents: AgentDefinitionInput[]): Promise<AgentTrayApp> {
  writeFileSync(path.join(s.dir, 'agents.json'), JSON.stringify({ agents }));
  const app = await AgentTrayApp.open({ dataDir: s.dir });
  cleanups.push(() => app.close());
  return app;
}

/** Records every event of the app from now on; `next` waits for one that matches (seen already, or to come). */
function watch(app: AgentTrayApp) {
  const events: HostEvent[] = [];
  const waiters = new Set<(e: HostEvent) => void>();
  const off = app.subscribe((e) => {
    if (e.type === 'state' && e.status.pid) track(e.status.pid);
    events.push(e);
    for (const w of [...waiters]) w(e);
  });
  cleanups.push(off);
  const next = (match: (e: HostEvent) => boolean, timeoutMs: number, what: string): Promise<HostEvent> =>
    new Promise((resolve, reject) => {
      const seen = events.find(match);
      if (seen) return resolve(seen);
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; transitions:\n${transitions().join('\n')}`));
      }, timeoutMs);
      const check = (e: HostEvent) => {
        if (!match(e)) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(e);
      };
      waiters.add(check);
    });
  const stateEvents = (name: string) => events.filter((e): e is StateEvent => e.type === 'state' && e.name === name);
  const transitions = () => events.filter((e): e is StateEvent => e.type === 'state').map((e) => `${e.name}: ${e.from} → ${e.to} (${e.reason.message})`);
  return { events, next, stateEvents, states: (name: string) => stateEvents(name).map((e) => e.to), transitions };
}

type StateEvent = Extract<EngineEvent, { type: 'state' }>;
const isReady = (name: string) => (e: HostEvent) => e.type === 'ready' && e.name === name;
const isState = (name: string, to: AgentState) => (e: HostEvent) => e.type === 'state' && e.name === name && e.to === to;

test('starting the worker starts model and setup, then the server once the model is healthy and setup completed, then the worker once the server printed its ready line; dependents pass through waiting', async () => {
  const s = await newStack();
  const app = await openApp(s, [model(s), setup(s), server(s), worker(s)]);
  const w = watch(app);

  const answer = app.dispatch('startAgent', { name: 'worker' });
  answer.catch(() => {}); // awaited below; a refusal must not go unhandled while we wait
  await w.next(isReady('worker'), 30_000, 'the worker to be ready');
  const answered = await answer;
  assert.ok(['waiting', 'starting', 'running'].includes(answered.state), `startAgent answered ${answered.state}`);

  const t = readTimeline(s.timeline);
  assertBefore(t, ['listening', 'model'], ['started', 'server']);
  assertBefore(t, ['completed', 'setup'], ['started', 'server']);
  assertBefore(t, ['ready', 'server'], ['started', 'worker']);
  for (const name of ['model', 'setup', 'server', 'worker']) assert.equal(entriesOf(t, 'started', name).length, 1, `${name} started once:\n${render(t)}`);
  assert.equal(entriesOf(t, 'exited', 'server').length, 0, `the server never exited (it was not started too early):\n${render(t)}`);

  // the states, from the events: dependents wait, what has no dependencies starts at once
  assert.deepEqual(w.states('worker').slice(0, 3), ['waiting', 'starting', 'running'], w.transitions().join('\n'));
  assert.deepEqual(w.states('server').slice(0, 3), ['waiting', 'starting', 'running'], w.transitions().join('\n'));
  assert.equal(w.states('model')[0], 'starting');
  assert.deepEqual(w.states('setup'), ['starting', 'running', 'stopped']);
  const workerWaits = w.stateEvents('worker').find((e) => e.to === 'waiting')!;
  assert.deepEqual(workerWaits.status.waitingFor, [{ agent: 'server', condition: 'ready' }]);
  const serverWaits = w.stateEvents('server').find((e) => e.to === 'waiting')!;
  assert.ok(serverWaits.status.waitingFor?.some((c) => c.agent === 'model' && c.condition === 'healthy'), JSON.stringify(serverWaits.status.waitingFor));
  const serverLeaves = w.stateEvents('server').find((e) => e.from === 'waiting')!;
  assert.ok(serverLeaves.at >= when(t, 'listening', 'model'), 'the server left waiting after the model listened');

  // statuses: ready with its time, the one-shot stopped with exit code 0 and its file written
  const srv = await app.dispatch('getAgent', { name: 'server' });
  assert.equal(srv.ready, true);
  assert.equal(typeof srv.readyAt, 'number');
  const ready = w.events.find(isReady('server')) as Extract<HostEvent, { type: 'ready' }>;
  assert.match(ready.line ?? '', /^ready pid=\d+$/);
  const once = await app.dispatch('getAgent', { name: 'setup' });
  assert.deepEqual([once.state, once.exitCode], ['stopped', 0]);
  assert.ok(existsSync(s.setupOut));
  assert.equal((await app.dispatch('getAgent', { name: 'worker' })).state, 'running');
});

/** Opens the host's event stream; closed by the test's cleanup. */
async function events(host: TestHost) {
  const stream = await openEventStream(`${host.url}/api/events`, { authorization: `Bearer ${host.token}` });
  cleanups.push(() => stream.close());
  return stream;
}

test('through the REST API: start-all starts in dependency order; stop-all stops dependents before their dependencies (exit times)', async () => {
  const s = await newStack();
  // each takes longer to exit than what it depends on: stopped all at once, the model would exit first
  const host = await startHost(cleanups, {
    agents: [model(s, { DELAY_MS: '600' }), setup(s), server(s, undefined, { STOP_DELAY_MS: '200' }), worker(s, { STOP_DELAY_MS: '400' })],
  });
  const stream = await events(host);

  const started = await host.api('POST', '/api/agents/start-all');
  assert.equal(started.status, 200, JSON.stringify(started.body));
  assert.ok(started.body.results.every((r: { ok: boolean }) => r.ok), JSON.stringify(started.body.results));
  // in the order they must come: setup completes before the server may start, the worker is ready last
  await stream.next(isEvent('state', (d) => d.name === 'setup' && d.to === 'stopped'), 30_000, 'setup to complete');
  await stream.next(isEvent('ready', (d) => d.name === 'worker'), 30_000, 'the worker to be ready');

  let t = readTimeline(s.timeline);
  assertBefore(t, ['listening', 'model'], ['started', 'server']);
  assertBefore(t, ['completed', 'setup'], ['started', 'server']);
  assertBefore(t, ['ready', 'server'], ['started', 'worker']);
  const waited = stream.messages.filter(isEvent('state', (d) => d.to === 'waiting')).map((m) => (JSON.parse(m.data!) as { name: string }).name);
  assert.deepEqual([...new Set(waited)].sort(), ['server', 'worker']);

  const stopped = await host.api('POST', '/api/agents/stop-all');
  assert.equal(stopped.status, 200, JSON.stringify(stopped.body));
  t = readTimeline(s.timeline);
  assertBefore(t, ['exited', 'worker'], ['exited', 'server']);
  assertBefore(t, ['exited', 'server'], ['exited', 'model']);
  const list = await host.api('GET', '/api/agents');
  assert.deepEqual(list.body.agents.map((a: { name: string; state: string }) => `${a.name} ${a.state}`).sort(), ['model stopped', 'server stopped', 'setup stopped', 'worker stopped']);
});

test('a dependency that crashes errors its dependents with its name and reason; nothing after it starts', async () => {
  const s = await newStack();
  const app = await openApp(s, [model(s, { DELAY_MS: '300', FAIL_MESSAGE: 'CUDA out of memory' }, { restart: { policy: 'no' } }), setup(s), server(s), worker(s)]);
  const w = watch(app);

  const answer = app.dispatch('startAgent', { name: 'worker' });
  answer.catch(() => {}); // it may refuse, answer waiting, or answer errored: the events say what happened
  const serverErrored = (await w.next(isState('server', 'errored'), 30_000, 'the server to be errored')) as StateEvent;
  const workerErrored = (await w.next(isState('worker', 'errored'), 10_000, 'the worker to be errored')) as StateEvent;
  await answer.catch(() => {});

  const why = (e: StateEvent) => `${e.reason.message} | ${e.status.lastError?.message ?? ''}`;
  assert.match(why(serverErrored), /model/, why(serverErrored));
  assert.match(why(serverErrored), /CUDA out of memory/, why(serverErrored));
  assert.match(why(workerErrored), /server/, why(workerErrored));
  assert.deepEqual(w.states('server').slice(0, 2), ['waiting', 'errored']);
  const t = readTimeline(s.timeline);
  assert.equal(entriesOf(t, 'started', 'server').length, 0, `the server never started:\n${render(t)}`);
  assert.equal(entriesOf(t, 'started', 'worker').length, 0, `the worker never started:\n${render(t)}`);
});

test('a one-shot that exits non-zero errors what awaits its completion, naming it and its reason', async () => {
  const s = await newStack();
  const app = await openApp(s, [model(s, { DELAY_MS: '100' }), setup(s, { EXIT_CODE: '3', FAIL_MESSAGE: 'migrations failed: disk is read-only' }), server(s)]);
  const w = watch(app);

  const answer = app.dispatch('startAgent', { name: 'server' });
  answer.catch(() => {});
  const errored = (await w.next(isState('server', 'errored'), 30_000, 'the server to be errored')) as StateEvent;
  await answer.catch(() => {});
  const why = `${errored.reason.message} | ${errored.status.lastError?.message ?? ''}`;
  assert.match(why, /setup/, why);
  assert.match(why, /migrations failed/, why);
  const t = readTimeline(s.timeline);
  assert.equal(entriesOf(t, 'started', 'server').length, 0, `the server never started:\n${render(t)}`);
});

test('a cycle, a dependency on an unknown agent, "healthy" on an agent without a probe and a bad readyLine are refused with 400 naming them; a hand-written cycle keeps the last good agents.json', async () => {
  const plain = (name: string, extra: Partial<AgentDefinitionInput> = {}): AgentDefinitionInput => ({ name, command: node, args: [fixture('well-behaved.mjs')], ...extra });
  const host = await startHost(cleanups, { agents: [plain('alpha'), plain('beta', { dependsOn: { alpha: 'started' } })] });

  const cycle = await host.api('PUT', '/api/agents/alpha', plain('alpha', { dependsOn: { beta: 'started' } }));
  assert.equal(cycle.status, 400, JSON.stringify(cycle.body));
  assert.equal(cycle.body.error.code, 'invalid-definition');
  assert.match(cycle.body.error.message, /alpha → beta → alpha|beta → alpha → beta/);
  assert.equal((await host.api('GET', '/api/agents/alpha/definition')).body.dependsOn, undefined, 'the refused definition was not saved');

  const self = await host.api('POST', '/api/agents', plain('gamma', { dependsOn: { gamma: 'started' } }));
  assert.equal(self.status, 400);
  assert.match(self.body.error.message, /gamma → gamma/);

  const unknown = await host.api('POST', '/api/agents', plain('delta', { dependsOn: { nobody: 'started' } }));
  assert.equal(unknown.status, 400, JSON.stringify(unknown.body));
  assert.match(unknown.body.error.message, /nobody/);

  const noProbe = await host.api('POST', '/api/agents', plain('epsilon', { dependsOn: { alpha: 'healthy' } }));
  assert.equal(noProbe.status, 400, JSON.stringify(noProbe.body));
  assert.match(noProbe.body.error.message, /alpha/);
  assert.match(noProbe.body.error.message, /health/);

  const badRegex = await host.api('POST', '/api/agents', plain('zeta', { readyLine: 'ready (pid' }));
  assert.equal(badRegex.status, 400);
  assert.match(badRegex.body.error.message, /readyLine/);
  assert.match(badRegex.body.error.message, /regular expression/);
  const badUpdate = await host.api('PUT', '/api/agents/beta', plain('beta', { readyLine: '[' }));
  assert.equal(badUpdate.status, 400);
  assert.match(badUpdate.body.error.message, /readyLine/);
  assert.deepEqual((await host.api('GET', '/api/agents')).body.agents.map((a: { name: string }) => a.name).sort(), ['alpha', 'beta']);

  // by hand: the file is reported as not loading, naming the cycle; the last good agents stay
  writeFileSync(path.join(host.dataDir, 'agents.json'), JSON.stringify({ agents: [plain('alpha', { dependsOn: { beta: 'ready' } }), plain('beta', { dependsOn: { alpha: 'started' } })] }));
  let agentsFile: { file: string; ok: boolean; error: { message: string } | null } | undefined;
  await waitFor(
    async () => {
      const files = (await host.api('GET', '/api/config')).body.files as NonNullable<typeof agentsFile>[];
      agentsFile = files.find((f) => f.file.endsWith('agents.json'));
      return agentsFile?.ok === false;
    },
    10_000,
    'agents.json with a cycle to be reported as not loading',
    50,
  );
  assert.match(agentsFile!.error!.message, /alpha → beta → alpha|beta → alpha → beta/);
  assert.equal((await host.api('GET', '/api/agents/alpha/definition')).body.dependsOn, undefined, 'the last good configuration stays in force');
});

test('a host killed while an agent waits: the next host resumes the wait (the model is taken back, not started twice) and starts the agent once the model is healthy', async () => {
  const s = await newStack();
  writeFileSync(
    path.join(s.dir, 'agents.json'),
    JSON.stringify({ agents: [model(s, { DELAY_MS: '0', WAIT_FILE: s.waitFile }), server(s, { model: 'healthy' })] }),
  );
  const first = startServe(s.dir, 'ignore', 'ignore');
  const one = await hostApi(s.dir, first);
  // the start waits for the model, which loads until the test lets it: ask without waiting for the answer
  void one.api('POST', '/api/agents/server/start').catch(() => {});
  const stateOf = async (api: TestHost['api'], name: string) => (await api('GET', `/api/agents/${name}`)).body.state as AgentState;
  await waitFor(async () => (await stateOf(one.api, 'server')) === 'waiting' && (await stateOf(one.api, 'model')) === 'running', 15_000, 'the server to wait for the running model', 50);
  const modelBefore = (await one.api('GET', '/api/agents/model')).body;
  track(modelBefore.pid);

  process.kill(first.pid, 'SIGKILL');
  await first.exit;
  assert.ok(alive(modelBefore.pid), 'the model outlives the killed host');

  const second = startServe(s.dir, 'ignore', 'ignore');
  const two = await hostApi(s.dir, second);
  await waitFor(async () => (await stateOf(two.api, 'server')) === 'waiting', 15_000, 'the next host to resume the wait', 50);
  const waiting = (await two.api('GET', '/api/agents/server')).body;
  assert.deepEqual(waiting.waitingFor, [{ agent: 'model', condition: 'healthy' }]);
  const modelAfter = (await two.api('GET', '/api/agents/model')).body;
  assert.deepEqual([modelAfter.state, modelAfter.pid, modelAfter.adopted], ['running', modelBefore.pid, true]);

  writeFileSync(s.waitFile, 'go\n');
  await waitFor(async () => (await two.api('GET', '/api/agents/server')).body.ready === true, 20_000, 'the server to be ready under the next host', 50);
  const t = readTimeline(s.timeline);
  assertBefore(t, ['listening', 'model'], ['started', 'server']);
  assert.equal(entriesOf(t, 'started', 'model').length, 1, `the model was not started twice:\n${render(t)}`);
  assert.equal(entriesOf(t, 'started', 'server').length, 1, `the server started once:\n${render(t)}`);
  assert.equal(entriesOf(t, 'exited', 'server').length, 0, `the server did not start too early:\n${render(t)}`);

  await two.api('POST', '/api/agents/stop-all');
  process.kill(second.pid, 'SIGTERM');
  await second.exit;
});
