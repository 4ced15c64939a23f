// "Kept means kept" across restarts of the host, on real processes: a script agent (run through
// its #! interpreter) is taken back; an agent whose PID file was never written (host killed between
// spawn and PID file) is found by its marker variables and not started twice; a retry that was
// pending goes on, and a crash keeps its reason.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AgentTrayApp } from '../../electron/app/application.js';
import { readEnvVar } from '../../electron/core/platform/process-env.js';
import type { HostEvent as HostEventLike } from '../../shared/events.js';
import type { AgentStatus } from '../../shared/status.js';
import { startCli } from '../helpers/cli-process.js';
import { alive, fixture, track } from '../helpers/processes.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait.js';
import { agentRoots } from '../helpers/markers.js';
import { testDataDirs } from '../helpers/data-dirs.js';

const dirs = testDataDirs();
const { cleanups, dataDir } = dirs;
afterEach(() => dirs.afterEach());

const linuxOnly = { skip: process.platform !== 'linux' ? 'reads markers through /proc' : false } as const;

async function open(dir: string): Promise<AgentTrayApp> {
  const app = await AgentTrayApp.open({ dataDir: dir });
  app.subscribe((e) => {
    if (e.type === 'state' && e.status.pid) track(e.status.pid);
  });
  return app;
}

/** Writes an executable script agent into `dir`. */
function script(dir: string, file: string, text: string): string {
  const p = path.join(dir, file);
  writeFileSync(p, text);
  chmodSync(p, 0o755);
  return p;
}

const node = (name: string, file: string, extra: Record<string, unknown> = {}) => ({ name, command: process.execPath, args: [fixture(file)], ...extra });

test('script agents (#!/bin/sh, #!/usr/bin/env python3) are taken back by a SIGKILLed host\'s successor: same pid, PID file kept, one copy after a start', linuxOnly, async () => {
  const { dir: scripts, cleanup } = await tempDir('agent-tray-scripts-');
  cleanups.push(cleanup);
  const sh = script(scripts, 'worker.sh', '#!/bin/sh\necho "worker up $$"\nwhile true; do sleep 1; done\n');
  const py = script(scripts, 'server.py', '#!/usr/bin/env python3\nimport time, sys\nprint("py up", flush=True)\nwhile True: time.sleep(1)\n');
  const dir = await dataDir([
    { name: 'sh-worker', command: sh, args: ['--queue', 'jobs'] },
    { name: 'py-server', command: py },
  ]);
  const host = startCli(['serve', '--data-dir', dir, '--port', '0']);
  track(host.pid);
  const m = await host.waitForLine(/Agent Tray listening on (http:\/\/\S+)\/\?token=(\S+)/, 20_000);
  const api = async <T>(method: string, p: string, url = m[1]!, token = m[2]!): Promise<T> => {
    const res = await fetch(`${url}${p}`, { method, headers: { authorization: `Bearer ${token}` } });
    return (await res.json()) as T;
  };
  await api('POST', '/api/agents/start-all');
  const before = (await api<{ agents: AgentStatus[] }>('GET', '/api/agents')).agents;
  for (const a of before) track(a.pid);
  assert.deepEqual(before.map((a) => a.state), ['running', 'running']);
  // as the kernel runs them: the interpreter first
  assert.match(readFileSync(`/proc/${before[0]!.pid}/cmdline`, 'utf8'), /^\/bin\/sh\0/);
  process.kill(host.pid, 'SIGKILL');
  await host.exit;

  const second = startCli(['serve', '--data-dir', dir, '--port', '0']);
  track(second.pid);
  const m2 = await second.waitForLine(/Agent Tray listening on (http:\/\/\S+)\/\?token=(\S+)/, 20_000);
  const after = (await api<{ agents: AgentStatus[] }>('GET', '/api/agents', m2[1]!, m2[2]!)).agents;
  assert.deepEqual(after.map((a) => [a.name, a.state, a.pid, a.adopted]), before.map((a) => [a.name, 'running', a.pid, true]));
  for (const a of after) assert.ok(existsSync(path.join(dir, 'run', `${a.name}.pid`)), `${a.name}'s PID file is kept`);
  await api('POST', '/api/agents/start-all', m2[1]!, m2[2]!);
  for (const a of after) assert.deepEqual(agentRoots(dir, a.name), [a.pid], `${a.name} runs once`);
  await api('POST', '/api/agents/stop-all', m2[1]!, m2[2]!);
  for (const a of after) assert.equal(alive(a.pid!), false);
  process.kill(second.pid, 'SIGTERM');
  assert.equal(await second.exit, 0);
});

test('a host killed between the spawn and the PID file: the next host finds the agent by its markers and does not start a second copy', linuxOnly, async () => {
  const dir = await dataDir([node('good', 'well-behaved.mjs')]);
  const first = await open(dir);
  const started = await first.dispatch('startAgent', { name: 'good' });
  track(started.pid);
  await first.close();
  // what a SIGKILL 30–60 ms into a start leaves: the process and the intent, no PID file
  rmSync(path.join(dir, 'run', 'good.pid'));
  const state = JSON.parse(readFileSync(path.join(dir, 'run', 'good.state.json'), 'utf8')) as { state: string; runId: string };
  assert.equal(state.state, 'running');
  assert.equal(readEnvVar(started.pid!, 'AGENT_TRAY_RUN_ID'), state.runId, 'the process carries the recorded run id');

  const second = await open(dir);
  cleanups.push(() => second.close({ stopAgents: true }));
  const { results } = await second.dispatch('discover', {});
  assert.deepEqual(results.map((r) => [r.outcome, r.via, r.pid]), [['adopted', 'marker', started.pid]]);
  const again = await second.dispatch('startAgent', { name: 'good' });
  assert.equal(again.pid, started.pid, 'start leaves the found copy alone');
  assert.deepEqual(agentRoots(dir, 'good'), [started.pid]);
  assert.ok(existsSync(path.join(dir, 'run', 'good.pid')), 'the PID file is written again');
  const status = await second.dispatch('getAgent', { name: 'good' });
  assert.equal(status.outputCaptured, true);
});

test('the intent is on disk before the process exists: a state file with the run id, written before the spawn', async () => {
  const dir = await dataDir([node('good', 'well-behaved.mjs')]);
  const app = await open(dir);
  cleanups.push(() => app.close({ stopAgents: true }));
  let seenAtSpawn: string | null = null;
  app.subscribe((e) => {
    // the `running` event is emitted right after the spawn, before the PID file is written
    if (e.type === 'state' && e.name === 'good' && e.to === 'running') seenAtSpawn = readFileSync(path.join(dir, 'run', 'good.state.json'), 'utf8');
  });
  await app.dispatch('startAgent', { name: 'good' });
  assert.ok(seenAtSpawn, 'the state file existed when the process was spawned');
  assert.match(seenAtSpawn!, /"state":"(starting|running)"/);
  if (process.platform !== 'win32') assert.equal(statSync(path.join(dir, 'run', 'good.state.json')).mode & 0o777, 0o600);
  await app.dispatch('stopAgent', { name: 'good' });
  await waitFor(() => !existsSync(path.join(dir, 'run', 'good.state.json')), 5_000, 'a stopped agent to leave no state behind');
});

test('a retry that was pending when the host went away happens under the next host, with the restart budget already spent', async () => {
  const dir = await dataDir([node('crashy', 'crasher.mjs', { restart: { policy: 'on-failure', maxRestarts: 5, windowMs: 60_000, backoff: { initialMs: 1_500, factor: 1, maxMs: 1_500 } } })]);
  const first = await open(dir);
  const inBackoff = new Promise<AgentStatus>((resolve) => first.subscribe((e: HostEventLike) => e.type === 'state' && e.to === 'backoff' && resolve(e.status)));
  await first.dispatch('startAgent', { name: 'crashy' }).catch(() => undefined);
  const waiting = await inBackoff;
  await first.close();

  const second = await open(dir);
  cleanups.push(() => second.close({ stopAgents: true }));
  const restarted = new Promise<AgentStatus>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no restart within 10 s')), 10_000);
    second.subscribe((e: HostEventLike) => {
      if (e.type === 'state' && e.lifecycle === 'restarted') {
        clearTimeout(timer);
        resolve(e.status);
      }
    });
  });
  const { results } = await second.dispatch('discover', {});
  assert.match(results[0]!.message, /restart policy carries on/);
  assert.equal(results[0]!.resumed, 'backoff');
  const resumed = await second.dispatch('getAgent', { name: 'crashy' });
  assert.equal(resumed.state, 'backoff');
  assert.ok(resumed.nextAttemptAt !== null && Math.abs(resumed.nextAttemptAt - waiting.nextAttemptAt!) < 50, 'the same next attempt');
  const again = await restarted;
  assert.equal(again.restarts, waiting.restarts + 1, 'the budget spent before counts');
});

test('a crashed agent stays crashed with its reason under the next host', async () => {
  const dir = await dataDir([node('crashy', 'crasher.mjs', { restart: { policy: 'no' } })]);
  const first = await open(dir);
  const crashed = new Promise<AgentStatus>((resolve) => first.subscribe((e: HostEventLike) => e.type === 'state' && e.to === 'crashed' && resolve(e.status)));
  await first.dispatch('startAgent', { name: 'crashy' }).catch(() => undefined);
  const before = await crashed;
  assert.match(before.lastError?.message ?? '', /OPENAI_API_KEY is not set/);
  await first.close();

  const second = await open(dir);
  cleanups.push(() => second.close());
  await second.dispatch('discover', {});
  const after = await second.dispatch('getAgent', { name: 'crashy' });
  assert.equal(after.state, 'crashed');
  assert.equal(after.lastError?.message, before.lastError?.message);
  assert.deepEqual(after.lastError?.stderr, before.lastError?.stderr);
  const lines = await second.dispatch('agentLogs', { name: 'crashy', lines: 100, stream: 'all' });
  assert.ok(lines.lines.some((l) => /OPENAI_API_KEY is not set/.test(l.text)), 'its log view shows the lines from before the restart');
  // a person's stop clears it, and nothing is carried on after that
  await second.dispatch('stopAgent', { name: 'crashy' });
  await waitFor(() => !existsSync(path.join(dir, 'run', 'crashy.state.json')), 5_000, 'the state file to go');
});

test('an agent removed while crashed leaves nothing to carry on: a new agent of the same name starts afresh under the next host', async () => {
  const dir = await dataDir([node('crashy', 'crasher.mjs', { restart: { policy: 'no' } })]);
  const first = await open(dir);
  const crashed = new Promise<void>((resolve) => first.subscribe((e: HostEventLike) => e.type === 'state' && e.to === 'crashed' && resolve()));
  await first.dispatch('startAgent', { name: 'crashy' }).catch(() => undefined);
  await crashed;
  const file = path.join(dir, 'run', 'crashy.state.json');
  assert.ok(existsSync(file));
  await first.dispatch('removeAgent', { name: 'crashy', stop: false });
  await first.dispatch('createAgent', { definition: node('crashy', 'well-behaved.mjs') });
  await first.close();
  assert.equal(existsSync(file), false, 'the crash is forgotten with the agent');

  // the same when the agent was removed by hand while no host ran
  const second = await open(dir);
  cleanups.push(() => second.close({ stopAgents: true }));
  await second.dispatch('discover', {});
  assert.equal((await second.dispatch('getAgent', { name: 'crashy' })).state, 'stopped');
  writeFileSync(path.join(dir, 'run', 'gone.state.json'), JSON.stringify({ name: 'gone', state: 'crashed', runId: null, at: 1, restarts: 0, crashes: { restartTimes: [], attempt: 0 }, nextAttemptAt: null, lastError: null, exitCode: 1, signal: null }));
  await second.dispatch('discover', {});
  assert.equal(existsSync(path.join(dir, 'run', 'gone.state.json')), false);
});
