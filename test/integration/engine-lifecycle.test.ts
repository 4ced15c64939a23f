// The engine on real processes: start, state events, output, PID files, stop of the whole tree,
// the stubborn agent, the crasher, errors a person can act on.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { AgentTrayError } from '../../electron/core/errors.js';
import { processStartTime } from '../../electron/core/platform/process-table.js';
import { parsePidFile } from '../../electron/core/pid-file.js';
import type { AgentDefinitionInput } from '../../shared/agent.js';
import { tempDir } from '../helpers/temp-dir.js';
import { engineWith as makeEngine, hasLine, isState } from '../helpers/engine.js';
import { waitForEvent } from '../helpers/wait.js';
import { alive, fixture, killTracked, track } from '../helpers/processes.js';
import { freePort } from '../helpers/ports.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** An engine over a fresh data directory with the given agents. */
const engineWith = (agents: AgentDefinitionInput[]) => makeEngine(cleanups, agents);

/** A fixture agent run by this Node. */
function agent(name: string, script: string, extra: Partial<AgentDefinitionInput> = {}): AgentDefinitionInput {
  return { name, command: process.execPath, args: [fixture(script)], ...extra };
}

test('a well-behaved agent starts, streams its output, and stops gracefully with its PID file removed', async () => {
  const engine = await engineWith([agent('good', 'well-behaved.mjs')]);
  const states: string[] = [];
  engine.subscribe((e) => {
    if (e.type === 'state') states.push(`${e.from}>${e.to}:${e.reason.kind}`);
  });
  const firstLine = waitForEvent(engine, hasLine('good', /^ready pid=\d+/), 5_000, 'the ready line');
  const status = await engine.start('good');
  track(status.pid);
  assert.equal(status.state, 'running');
  assert.ok(status.pid && alive(status.pid));
  await firstLine;

  const pidPath = `${engine.paths.run}/good.pid`;
  const record = parsePidFile(readFileSync(pidPath, 'utf8'));
  assert.equal(record.kind, 'record');
  if (record.kind === 'record') {
    assert.equal(record.record.pid, status.pid);
    assert.equal(record.record.processStartTime, await processStartTime(status.pid));
    assert.match(record.record.command, /well-behaved\.mjs/);
  }

  await waitForEvent(engine, hasLine('good', /^tick 2$/), 5_000, 'two ticks');
  const result = await engine.stop('good');
  assert.equal(result.outcome, 'graceful');
  assert.equal(result.exitCode, 0);
  assert.ok(result.durationMs >= 0);
  assert.equal(alive(status.pid), false);
  assert.equal(existsSync(pidPath), false);
  const after = engine.status('good');
  assert.equal(after.state, 'stopped');
  assert.equal(after.pid, null, 'a stopped agent has no pid');
  assert.equal(after.uptimeMs, null);
  assert.deepEqual(states, ['stopped>starting:user', 'starting>running:spawned', 'running>stopping:user', 'stopping>stopped:stopped']);
  const out = engine.logs('good', 'stdout').map((l) => l.text);
  assert.ok(out.includes('got SIGTERM, bye'), 'the last line written before exit is captured');
  assert.match(readFileSync(`${engine.paths.logs}/good.out.log`, 'utf8'), /tick 2\n/);
});

test('starting an agent that is already running starts nothing and returns its status', async () => {
  const engine = await engineWith([agent('once', 'well-behaved.mjs')]);
  const [a, b] = await Promise.all([engine.start('once'), engine.start('once')]);
  track(a.pid, b.pid);
  assert.equal(a.pid, b.pid);
  const c = await engine.start('once');
  assert.equal(c.pid, a.pid);
  await engine.stop('once');
});

test('a stubborn agent is asked twice, then killed, and its status says so', async () => {
  const engine = await engineWith([agent('mule', 'stubborn.mjs', { stop: { timeoutMs: 300, insistMs: 300 } })]);
  const ready = waitForEvent(engine, hasLine('mule', /^ready/), 5_000, 'ready');
  const { pid } = await engine.start('mule');
  track(pid);
  await ready;
  const result = await engine.stop('mule');
  assert.equal(result.outcome, 'killed');
  assert.equal(result.signal, 'SIGKILL');
  assert.equal(alive(pid!), false);
  const status = engine.status('mule');
  assert.equal(status.state, 'stopped');
  assert.equal(status.signal, 'SIGKILL');
  const lines = engine.logs('mule', 'stdout').map((l) => l.text);
  assert.ok(lines.includes('ignoring SIGTERM #1'), lines.join('|'));
  assert.ok(lines.includes('ignoring SIGTERM #2'), lines.join('|'));
});

test('kill ends a graceful stop that is waiting, at once', async () => {
  const engine = await engineWith([agent('mule2', 'stubborn.mjs', { stop: { timeoutMs: 60_000, insistMs: 60_000 } })]);
  const ready = waitForEvent(engine, hasLine('mule2', /^ready/), 5_000, 'ready');
  const { pid } = await engine.start('mule2');
  track(pid);
  await ready;
  const stopping = waitForEvent(engine, isState('mule2', 'stopping'), 5_000, 'stopping');
  const stop = engine.stop('mule2');
  await stopping;
  const killed = await engine.kill('mule2');
  const stopped = await stop;
  assert.equal(stopped.outcome, 'killed');
  assert.equal(killed.outcome, 'not-running');
  assert.equal(alive(pid!), false);
});

test('stopping the forker leaves no descendant, including the one in its own session', async () => {
  const engine = await engineWith([agent('forker', 'forker.mjs', { stop: { timeoutMs: 2_000 } })]);
  const treeLine = waitForEvent(engine, hasLine('forker', /^tree /), 10_000, 'the tree line');
  const { pid } = await engine.start('forker');
  track(pid);
  const event = await treeLine;
  assert.equal(event.type, 'log');
  const text = event.type === 'log' ? event.lines.find((l) => l.text.startsWith('tree '))!.text : '';
  const tree = JSON.parse(text.slice(5)) as { leader: number; kids: { child: number; grandchild: number; detached: boolean }[] };
  const descendants = tree.kids.flatMap((k) => [k.child, k.grandchild]);
  track(...descendants);
  assert.equal(descendants.length, 6);
  assert.ok(tree.kids.some((k) => k.detached), 'one child left the group');
  for (const d of descendants) assert.ok(alive(d), `descendant ${d} runs before the stop`);

  const result = await engine.stop('forker');
  for (const d of [pid!, ...descendants]) assert.equal(alive(d), false, `pid ${d} is gone after the stop`);
  for (const d of descendants) assert.ok(result.pids.includes(d), `the stop result lists ${d}`);
  assert.equal(result.outcome, 'graceful');
});

test('kill ends the whole tree immediately', async () => {
  const engine = await engineWith([agent('forker2', 'forker.mjs')]);
  const treeLine = waitForEvent(engine, hasLine('forker2', /^tree /), 10_000, 'the tree line');
  const { pid } = await engine.start('forker2');
  track(pid);
  const event = await treeLine;
  const text = event.type === 'log' ? event.lines.find((l) => l.text.startsWith('tree '))!.text : '';
  const descendants = (JSON.parse(text.slice(5)) as { kids: { child: number; grandchild: number }[] }).kids.flatMap((k) => [k.child, k.grandchild]);
  track(...descendants);
  const result = await engine.kill('forker2');
  assert.equal(result.outcome, 'killed');
  assert.equal(result.signal, 'SIGKILL');
  for (const d of [pid!, ...descendants]) assert.equal(alive(d), false, `pid ${d} is gone after kill`);
});

test('a crashing agent is crashed with its exit code and the stderr lines that explain it', async () => {
  const engine = await engineWith([agent('crasher', 'crasher.mjs', { restart: { policy: 'no' } })]);
  const crashed = waitForEvent(engine, isState('crasher', 'crashed'), 5_000, 'crashed');
  const started = await engine.start('crasher');
  track(started.pid);
  const event = await crashed;
  assert.equal(event.reason.kind, 'exited');
  assert.equal(event.reason.exitCode, 1);
  const status = engine.status('crasher');
  assert.equal(status.state, 'crashed');
  assert.equal(status.exitCode, 1);
  assert.ok(status.lastError);
  assert.deepEqual(status.lastError.stderr, ['loading config from env', 'boom: OPENAI_API_KEY is not set']);
  assert.match(status.lastError.message, /exited with code 1: boom: OPENAI_API_KEY is not set/);
  assert.equal(existsSync(`${engine.paths.run}/crasher.pid`), false);
  // a crashed agent can be started again, and a stop clears it
  const cleared = await engine.stop('crasher');
  assert.equal(cleared.outcome, 'not-running');
  assert.equal(engine.status('crasher').state, 'stopped');
});

test('an agent that exits 0 on its own is stopped, not crashed', async () => {
  const engine = await engineWith([{ name: 'oneshot', command: process.execPath, args: ['-e', 'console.log("done")'] }]);
  const stopped = waitForEvent(engine, isState('oneshot', 'stopped'), 5_000, 'stopped');
  await engine.start('oneshot');
  const event = await stopped;
  assert.equal(event.reason.kind, 'exited');
  assert.equal(engine.status('oneshot').exitCode, 0);
  assert.equal(engine.status('oneshot').lastError, null);
  assert.deepEqual(engine.logs('oneshot').map((l) => l.text), ['done']);
});

test('restart stops the running agent and starts a new process', async () => {
  const engine = await engineWith([agent('again', 'well-behaved.mjs')]);
  const first = await engine.start('again');
  track(first.pid);
  const second = await engine.restart('again');
  track(second.pid);
  assert.notEqual(first.pid, second.pid);
  assert.equal(alive(first.pid!), false);
  assert.equal(second.state, 'running');
  await engine.stop('again');
});

test('an unknown agent, a missing cwd and a missing program get errors that name the thing and the fix', async () => {
  const engine = await engineWith([
    agent('nocwd', 'well-behaved.mjs', { cwd: '/nonexistent/agent-tray/dir' }),
    { name: 'noprog', command: 'agent-tray-no-such-program', args: [] },
  ]);
  await assert.rejects(engine.start('ghost'), (err: AgentTrayError) => {
    assert.equal(err.code, 'unknown-agent');
    assert.match(err.message, /No agent named "ghost" \(known agents: nocwd, noprog\)/);
    return true;
  });
  await assert.rejects(engine.start('nocwd'), (err: AgentTrayError) => {
    assert.equal(err.code, 'cwd-missing');
    assert.match(err.message, /\/nonexistent\/agent-tray\/dir does not exist.*Create the directory/);
    return true;
  });
  assert.equal(engine.status('nocwd').state, 'errored');
  assert.match(engine.status('nocwd').lastError?.message ?? '', /does not exist/);
  await assert.rejects(engine.start('noprog'), (err: AgentTrayError) => {
    assert.equal(err.code, 'command-not-found');
    assert.match(err.message, /"agent-tray-no-such-program" was not found on PATH/);
    return true;
  });
  assert.equal(engine.status('noprog').state, 'errored');
});

test('stop.stdin asks the agent through its stdin before any signal', async () => {
  const engine = await engineWith([agent('polite', 'well-behaved.mjs', { stop: { stdin: 'quit', timeoutMs: 5_000 } })]);
  const ready = waitForEvent(engine, hasLine('polite', /^ready/), 5_000, 'ready');
  const { pid } = await engine.start('polite');
  track(pid);
  await ready;
  const result = await engine.stop('polite');
  assert.equal(result.outcome, 'graceful');
  const lines = engine.logs('polite', 'stdout').map((l) => l.text);
  assert.ok(lines.includes('quit via stdin'), lines.join('|'));
  assert.ok(!lines.includes('got SIGTERM, bye'));
});

test('stop.command runs with the agent\'s cwd and env and stops an agent that ignores SIGTERM', async () => {
  const { dir, cleanup } = await tempDir();
  cleanups.push(cleanup);
  const stopFile = `${dir}/please-stop`;
  const engine = await engineWith([
    agent('mule3', 'stubborn.mjs', {
      env: { STOP_FILE: stopFile },
      stop: { command: [process.execPath, '-e', 'require("fs").writeFileSync(process.env.STOP_FILE, "")'], timeoutMs: 5_000, insistMs: 100 },
    }),
  ]);
  const ready = waitForEvent(engine, hasLine('mule3', /^ready/), 5_000, 'ready');
  const { pid } = await engine.start('mule3');
  track(pid);
  await ready;
  const result = await engine.stop('mule3');
  assert.equal(result.outcome, 'graceful');
  assert.equal(result.exitCode, 0);
  assert.ok(engine.logs('mule3', 'stdout').some((l) => l.text === 'stop file seen'));
});

test('the HTTP fixture serves /health on its port and stops on SIGTERM', async () => {
  const port = await freePort();
  const engine = await engineWith([agent('web', 'http-server.mjs', { env: { PORT: String(port) }, port })]);
  const listening = waitForEvent(engine, hasLine('web', /^listening on /), 5_000, 'listening');
  const { pid } = await engine.start('web');
  track(pid);
  await listening;
  assert.equal(engine.status('web').port, port);
  const res = await fetch(`http://127.0.0.1:${port}/health`);
  assert.equal(res.status, 200);
  assert.deepEqual(await res.json(), { ok: true, pid });
  const result = await engine.stop('web');
  assert.equal(result.outcome, 'graceful');
  await assert.rejects(fetch(`http://127.0.0.1:${port}/health`));
});

test('the environment is merged over the manager\'s, and a relative cwd is taken from the data directory', async () => {
  const engine = await engineWith([
    { name: 'envy', command: process.execPath, args: ['-e', 'console.log(process.env.AGENT_VAR + " " + (process.env.PATH ? "path" : "nopath") + " " + process.cwd())'], env: { AGENT_VAR: 'hello' }, cwd: '.' },
  ]);
  const stopped = waitForEvent(engine, isState('envy', 'stopped'), 5_000, 'stopped');
  await engine.start('envy');
  await stopped;
  assert.deepEqual(engine.logs('envy').map((l) => l.text), [`hello path ${engine.paths.root}`]);
});



test('an edited definition applies on the next start; a running agent keeps the one it started with', async () => {
  const engine = await engineWith([agent('edit', 'well-behaved.mjs', { port: 9001 })]);
  const first = await engine.start('edit');
  track(first.pid);
  engine.setDefinitions([agent('edit', 'well-behaved.mjs', { port: 9002 })]);
  assert.equal(engine.status('edit').port, 9001, 'the running agent keeps its definition');
  await engine.stop('edit');
  assert.equal(engine.status('edit').port, 9002, 'a stopped agent shows the new definition');
  engine.define(agent('edit', 'well-behaved.mjs', { port: 9003 }));
  const second = await engine.start('edit');
  track(second.pid);
  assert.equal(second.port, 9003);
  await engine.stop('edit');
});
