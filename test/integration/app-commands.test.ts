// The application layer through its command table, on real processes and real files: definitions
// saved atomically, the sandbox, ensure, bulk commands, and the event stream's snapshot-then-changes.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { AgentTrayApp } from '../../electron/app/application.js';
import type { HostEvent } from '../../shared/events.js';
import type { AgentStatus } from '../../shared/status.js';
import { tempDir } from '../helpers/temp-dir.js';
import { alive, fixture, killTracked, track } from '../helpers/processes.js';
import { rejectsWith } from '../helpers/rejections.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** An app over a fresh data directory with the given agents.json and settings.json. */
async function openApp(agents: unknown[] = [], settings?: unknown): Promise<{ app: AgentTrayApp; dir: string }> {
  const { dir, cleanup } = await tempDir();
  writeFileSync(`${dir}/agents.json`, JSON.stringify({ agents }));
  if (settings) writeFileSync(`${dir}/settings.json`, JSON.stringify(settings));
  const app = await AgentTrayApp.open({ dataDir: dir });
  cleanups.push(cleanup, () => app.close());
  // every pid any agent gets is ended after the test, whatever happens
  app.subscribe((e) => {
    if (e.type === 'state' && e.status.pid) track(e.status.pid);
  });
  return { app, dir };
}

const good = (name = 'good') => ({ name, command: process.execPath, args: [fixture('well-behaved.mjs')] });

test('create, update and remove are saved to agents.json atomically, keeping the previous version', async () => {
  const { app, dir } = await openApp([good('first')]);
  const before = readFileSync(`${dir}/agents.json`, 'utf8');
  const created = await app.dispatch('createAgent', { definition: good('second') });
  assert.equal(created.state, 'stopped');
  const saved = JSON.parse(readFileSync(`${dir}/agents.json`, 'utf8')) as { agents: { name: string; port?: number }[] };
  assert.deepEqual(saved.agents.map((a) => a.name), ['first', 'second']);
  assert.equal(readFileSync(`${dir}/agents.json.bak`, 'utf8'), before);

  await app.dispatch('updateAgent', { name: 'second', definition: { ...good('second'), port: 8123 } });
  assert.equal((await app.dispatch('getAgent', { name: 'second' })).port, 8123);
  assert.equal((await app.dispatch('getDefinition', { name: 'second' })).port, 8123);

  await app.dispatch('removeAgent', { name: 'first' });
  const after = JSON.parse(readFileSync(`${dir}/agents.json`, 'utf8')) as { agents: { name: string }[] };
  assert.deepEqual(after.agents.map((a) => a.name), ['second']);
  await rejectsWith(app.dispatch('getAgent', { name: 'first' }), 'unknown-agent');
});

test('bad input names the field; a duplicate name is a conflict; nothing saved is lost', async () => {
  const { app, dir } = await openApp([good('only')]);
  const before = readFileSync(`${dir}/agents.json`, 'utf8');
  const err = await rejectsWith(app.dispatch('createAgent', { definition: { name: 'a/b', command: 'node', port: 0 } }), 'bad-request');
  assert.match(err.message, /name: "a\/b" has characters/);
  assert.match(err.message, /port: /);
  assert.doesNotMatch(err.message, /definition\./, 'fields are named as the client sent them');
  await rejectsWith(app.dispatch('createAgent', { definition: good('only') }), 'agent-exists');
  await rejectsWith(app.dispatch('getAgent', { name: '../etc' }), 'bad-request');
  assert.equal(readFileSync(`${dir}/agents.json`, 'utf8'), before);
  assert.equal(existsSync(`${dir}/agents.json.bak`), false);
});

test('the sandbox refuses definitions from the API, naming the rule; settings.json is the only way to loosen it', async () => {
  const { app, dir } = await openApp([], { sandbox: { allowedCommands: [process.execPath], allowedEnv: [] } });
  await app.dispatch('createAgent', { definition: good('allowed') });
  const err = await rejectsWith(app.dispatch('createAgent', { definition: { name: 'sh', command: 'sh', args: ['-c', 'id'] } }), 'sandbox-refused');
  assert.match(err.message, /sandbox\.allowedCommands/);
  assert.ok(err.message.includes(`${dir}/settings.json`));
  await rejectsWith(app.dispatch('updateAgent', { name: 'allowed', definition: { ...good('allowed'), env: { NODE_OPTIONS: '--require /tmp/x.js' } } }), 'sandbox-refused');
  await rejectsWith(app.dispatch('createAgent', { definition: { ...good('etc'), cwd: '/etc' } }), 'sandbox-refused');
  assert.deepEqual((await app.dispatch('listAgents', {})).agents.map((a) => a.name), ['allowed']);
});

test('a running agent is not removed unless asked to stop it; editing it applies on the next start', async () => {
  const { app } = await openApp([good()]);
  const started = await app.dispatch('startAgent', { name: 'good' });
  track(started.pid);
  await rejectsWith(app.dispatch('removeAgent', { name: 'good' }), 'conflict');
  await rejectsWith(app.dispatch('updateAgent', { name: 'good', definition: good('renamed') }), 'conflict');
  await app.dispatch('updateAgent', { name: 'good', definition: { ...good(), port: 9444 } });
  assert.equal((await app.dispatch('getAgent', { name: 'good' })).port, null, 'the running agent keeps its definition');
  const removed = await app.dispatch('removeAgent', { name: 'good', stop: true });
  assert.equal(removed.stopped?.outcome, 'graceful');
  assert.equal(alive(started.pid!), false);
});

test('a failed start is an error with its own code, carrying the errored status and its reason', async () => {
  const { app } = await openApp([{ name: 'missing', command: 'agent-tray-no-such-program' }]);
  const err = await rejectsWith(app.dispatch('startAgent', { name: 'missing' }), 'command-not-found');
  const status = err.details.status as AgentStatus;
  assert.equal(status.state, 'errored');
  assert.match(status.lastError?.message ?? '', /was not found on PATH/);
  assert.equal((await rejectsWith(app.dispatch('restartAgent', { name: 'missing' }), 'command-not-found')).details.status !== undefined, true, 'restart too');
});

test('ensure starts an agent unless it runs, refuses with the reason, and times out when asked to', async () => {
  const { app } = await openApp([good(), { name: 'crasher', command: process.execPath, args: [fixture('crasher.mjs')], restart: { policy: 'no' } }, { name: 'missing', command: 'agent-tray-no-such-program' }, { name: 'mule', command: process.execPath, args: [fixture('stubborn.mjs')], stop: { timeoutMs: 30_000, insistMs: 30_000 } }]);
  const first = await app.dispatch('ensureAgent', { name: 'good' });
  track(first.pid);
  assert.equal(first.state, 'running');
  const second = await app.dispatch('ensureAgent', { name: 'good', timeoutMs: '5s' });
  assert.equal(second.pid, first.pid, 'a running agent is left alone');

  const missing = await rejectsWith(app.dispatch('ensureAgent', { name: 'missing' }), 'not-ready');
  assert.match(missing.message, /could not be started: .*not found on PATH/);
  await rejectsWith(app.dispatch('ensureAgent', { name: 'ghost' }), 'unknown-agent');
  await rejectsWith(app.dispatch('ensureAgent', { name: 'good', timeoutMs: 'soon' }), 'bad-request');

  // a stop that takes long blocks a start behind it: ensure gives up at its deadline
  const ready = new Promise<void>((resolve) => app.subscribe((e) => e.type === 'log' && e.name === 'mule' && e.lines.some((l) => l.text.startsWith('ready')) && resolve()));
  const mule = await app.dispatch('startAgent', { name: 'mule' });
  track(mule.pid);
  await ready; // its SIGTERM handler is installed
  const inStopping = new Promise<void>((resolve) => app.subscribe((e) => e.type === 'state' && e.name === 'mule' && e.to === 'stopping' && resolve()));
  const stopping = app.dispatch('stopAgent', { name: 'mule' });
  await inStopping;
  const late = await rejectsWith(app.dispatch('ensureAgent', { name: 'mule', timeoutMs: 300 }), 'timeout');
  assert.match(late.message, /was not running within 300 ms \(it is stopping\)/);
  await app.dispatch('killAgent', { name: 'mule' });
  await stopping;
});

test('start-all, stop-all and kill-all report per agent; kill-all lists the pids it ended', async () => {
  const { app } = await openApp([good('a'), good('b'), { name: 'missing', command: 'agent-tray-no-such-program' }]);
  const started = await app.dispatch('startAll', {});
  for (const r of started.results) track(r.status?.pid);
  assert.deepEqual(started.results.map((r) => [r.name, r.ok, r.status?.state]), [['a', true, 'running'], ['b', true, 'running'], ['missing', false, 'errored']]);
  const summary = await app.dispatch('summary', {});
  const counts = summary as Record<string, unknown>;
  assert.deepEqual(['total', 'running', 'stopped', 'crashed', 'errored', 'activeProcesses', 'maxConcurrent', 'canStartNew'].map((k) => counts[k]), [3, 2, 0, 0, 1, 2, null, true]);
  assert.equal((counts.activePids as number[]).length, 2);
  const pids = started.results.filter((r) => r.ok).map((r) => r.status?.pid).filter((p): p is number => typeof p === 'number');
  assert.equal(pids.length, 2);
  const killed = await app.dispatch('killAll', {});
  for (const pid of pids) {
    assert.ok(killed.killedPids?.includes(pid), `kill-all lists ${pid}`);
    assert.equal(alive(pid), false);
  }
  const stopped = await app.dispatch('stopAll', {});
  assert.ok(stopped.results.every((r) => r.status?.state === 'stopped'));
});

test('logs come as {ts, stream, text}, newest last, bounded by lines', async () => {
  const { app } = await openApp([{ name: 'crasher', command: process.execPath, args: [fixture('crasher.mjs')], restart: { policy: 'no' } }]);
  const crashed = new Promise<void>((resolve) => app.subscribe((e) => e.type === 'state' && e.to === 'crashed' && resolve()));
  await app.dispatch('startAgent', { name: 'crasher' });
  await crashed;
  const all = await app.dispatch('agentLogs', { name: 'crasher', lines: '10', stream: 'all' });
  assert.deepEqual(all.lines.map((l) => `${l.stream}:${l.text}`).sort(), ['stderr:boom: OPENAI_API_KEY is not set', 'stderr:loading config from env', 'stdout:starting up']);
  assert.ok(all.lines.every((l) => !Number.isNaN(Date.parse(l.ts))));
  const last = await app.dispatch('agentLogs', { name: 'crasher', lines: 1, stream: 'stderr' });
  assert.deepEqual(last.lines.map((l) => l.text), ['boom: OPENAI_API_KEY is not set']);
  await rejectsWith(app.dispatch('agentLogs', { name: 'crasher', lines: 5000 }), 'bad-request');
});

test('a subscriber gets the snapshot first, then every change in order, with nothing lost between', async () => {
  const { app } = await openApp([good()]);
  const events: HostEvent[] = [];
  let done!: () => void;
  const stopped = new Promise<void>((resolve) => (done = resolve));
  const start = app.dispatch('startAgent', { name: 'good' }); // already under way when we subscribe
  app.subscribe((e) => {
    events.push(e);
    if (e.type === 'state' && e.to === 'stopped') done();
  });
  const status = await start;
  track(status.pid);
  await app.dispatch('createAgent', { definition: good('late') });
  await app.dispatch('stopAgent', { name: 'good' });
  await stopped;
  assert.equal(events[0]?.type, 'snapshot');
  const snapshot = events[0]!.type === 'snapshot' ? events[0]!.agents : [];
  assert.deepEqual(snapshot.map((s) => s.name), ['good']);
  const transitions = events.filter((e) => e.type === 'state').map((e) => (e.type === 'state' ? `${e.from}>${e.to}` : ''));
  const seenInSnapshot = snapshot[0]!.state;
  // whatever state the snapshot showed, the transitions continue from it without a gap
  const expected = ['stopped>starting', 'starting>running', 'running>stopping', 'stopping>stopped'];
  const from = expected.findIndex((t) => t.startsWith(`${seenInSnapshot}>`));
  assert.deepEqual(transitions, expected.slice(from));
  assert.ok(events.some((e) => e.type === 'agent-added' && e.name === 'late'));
});

test('ensure reports an agent that dies right after its spawn, with the reason', async () => {
  const { app } = await openApp([{ name: 'crasher', command: process.execPath, args: [fixture('crasher.mjs')], restart: { policy: 'no' } }]);
  const err = await rejectsWith(app.dispatch('ensureAgent', { name: 'crasher', timeoutMs: '10s' }), 'not-ready');
  assert.match(err.message, /Agent "crasher" is crashed: crasher exited with code 1: boom: OPENAI_API_KEY is not set/);
});
