// Surviving a restart, on real processes: a SIGKILLed host is started again and takes its agents
// back (same pids, nothing started twice, whole trees stopped through the new host); a PID file
// of an unrelated process is not adopted; adoption by port; a port conflict; orphans.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, writeFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { AgentTrayApp } from '../../electron/app/application.js';
import { processStartTime } from '../../electron/core/platform/process-table.js';
import type { AgentStatus } from '../../shared/status.js';
import { startCli } from '../helpers/cli-process.js';
import { alive, fixture, track } from '../helpers/processes.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';
import { agentRoots } from '../helpers/markers.js';
import { testDataDirs } from '../helpers/data-dirs.js';

const dirs = testDataDirs();
const { cleanups, dataDir } = dirs;
afterEach(() => dirs.afterEach());

const node = (name: string, script: string, extra: Record<string, unknown> = {}) => ({ name, command: process.execPath, args: [fixture(script)], ...extra });

/** A host (`agent-tray serve`) on a free port; resolves once it listens, with a small API client. */
async function serve(dir: string) {
  const host = startCli(['serve', '--data-dir', dir, '--port', '0']);
  const m = await host.waitForLine(/Agent Tray listening on (http:\/\/\S+)\/\?token=(\S+)/, 20_000);
  const [base, token] = [m[1]!, m[2]!];
  const api = async <T>(method: string, p: string): Promise<T> => {
    const res = await fetch(`${base}${p}`, { method, headers: { authorization: `Bearer ${token}` } });
    const body = (await res.json()) as T;
    if (!res.ok) throw new Error(`${method} ${p}: ${res.status} ${JSON.stringify(body)}`);
    return body;
  };
  return { host, api };
}

test('a SIGKILLed host comes back and re-adopts its three agents: same pids, nothing started twice, logs flow, stops end whole trees', { skip: process.platform !== 'linux' ? 'counts processes through /proc' : false }, async () => {
  const dir = await dataDir([node('chatty', 'chatty.mjs', { env: { INTERVAL_MS: '100' } }), node('good', 'well-behaved.mjs'), node('forker', 'forker.mjs')]);
  const first = await serve(dir);
  track(first.host.pid);
  await first.api('POST', '/api/agents/start-all');
  const before = (await first.api<{ agents: AgentStatus[] }>('GET', '/api/agents')).agents;
  for (const a of before) track(a.pid);
  assert.deepEqual(before.map((a) => a.state), ['running', 'running', 'running']);
  // the forker's whole tree, to check the stop through the new host later
  await waitFor(async () => (await first.api<{ lines: { text: string }[] }>('GET', '/api/agents/forker/logs')).lines.some((l) => l.text.startsWith('tree ')), 10_000, 'the forker tree');
  const treeLine = (await first.api<{ lines: { text: string }[] }>('GET', '/api/agents/forker/logs')).lines.find((l) => l.text.startsWith('tree '))!.text;
  const descendants = (JSON.parse(treeLine.slice(5)) as { kids: { child: number; grandchild: number }[] }).kids.flatMap((k) => [k.child, k.grandchild]);
  track(...descendants);

  process.kill(first.host.pid, 'SIGKILL');
  await first.host.exit;
  for (const a of before) assert.ok(alive(a.pid!), `${a.name} outlived its host`);

  const second = await serve(dir);
  track(second.host.pid);
  const after = (await second.api<{ agents: AgentStatus[] }>('GET', '/api/agents')).agents;
  assert.deepEqual(after.map((a) => [a.name, a.state, a.pid, a.adopted]), before.map((a) => [a.name, 'running', a.pid, true]));
  assert.ok(after.every((a) => a.outputCaptured), 'agents found by their PID file keep their captured output');
  for (const a of after) assert.deepEqual(agentRoots(dir, a.name), [a.pid], `${a.name} runs once`);

  // the chatty agent's lines keep arriving through the new host
  // the lines from before the restart are there (history), and new ones keep arriving after them
  const last = async () => (await second.api<{ lines: { text: string }[] }>('GET', '/api/agents/chatty/logs?lines=1')).lines.at(-1)?.text;
  const seen = await last();
  assert.ok(seen, 'the log view shows what the agent wrote before the restart');
  await waitFor(async () => (await last()) !== seen, 10_000, 'new lines of the re-adopted agent');

  for (const a of after) await second.api('POST', `/api/agents/${a.name}/stop`);
  for (const pid of [...after.map((a) => a.pid!), ...descendants]) assert.equal(alive(pid), false, `pid ${pid} is gone after the stop through the new host`);
  process.kill(second.host.pid, 'SIGTERM');
  assert.equal(await second.host.exit, 0);
});

test('a PID file that names an unrelated live process is not adopted; the file is removed and the process left alone', async () => {
  const dir = await dataDir([node('good', 'well-behaved.mjs')]);
  const sleeper = spawn('sleep', ['1000'], { stdio: 'ignore' });
  track(sleeper.pid);
  await new Promise((resolve) => sleeper.once('spawn', resolve));
  mkdirSync(path.join(dir, 'run'), { recursive: true });
  const file = path.join(dir, 'run', 'good.pid');
  // same pid and even the right creation time: only the command line gives it away
  writeFileSync(file, JSON.stringify({ pid: sleeper.pid, processStartTime: await processStartTime(sleeper.pid!), command: `${process.execPath} ${fixture('well-behaved.mjs')}`, name: 'good', startedAt: Date.now() }));
  const app = await AgentTrayApp.open({ dataDir: dir });
  cleanups.push(() => app.close());
  const { results } = await app.dispatch('discover', {});
  assert.equal(results[0]?.outcome, 'recycled-pid');
  assert.match(results[0]!.message, new RegExp(`pid ${sleeper.pid} of the PID file is another process now .*: the PID file was removed and that process left alone`));
  assert.equal(existsSync(file), false);
  assert.equal((await app.dispatch('getAgent', { name: 'good' })).state, 'stopped');
  assert.ok(alive(sleeper.pid!), 'the sleep is untouched');

  // a recorded creation time that differs is a recycled pid too, whatever the command line
  writeFileSync(file, JSON.stringify({ pid: sleeper.pid, processStartTime: 12345, command: 'sleep 1000', name: 'good', startedAt: Date.now() }));
  assert.equal((await app.dispatch('discover', {})).results[0]?.outcome, 'recycled-pid');
  assert.ok(alive(sleeper.pid!));
});

test('an agent started outside Agent Tray on its port is adopted by port; an unrelated process on the port is a conflict and a start is refused naming it', async () => {
  const port = await freePort();
  const outside = spawn(process.execPath, [fixture('http-server.mjs')], { env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'ignore'] });
  track(outside.pid);
  await new Promise<void>((resolve) => outside.stdout!.once('data', () => resolve()));
  const dir = await dataDir([node('web', 'http-server.mjs', { port }), node('other', 'well-behaved.mjs', { port })]);
  const app = await AgentTrayApp.open({ dataDir: dir, sampleIntervalMs: 200 });
  cleanups.push(() => app.close());
  const { results } = await app.dispatch('discover', {});
  const web = results.find((r) => r.name === 'web')!;
  assert.deepEqual([web.outcome, web.via, web.pid], ['adopted', 'port', outside.pid]);
  const other = results.find((r) => r.name === 'other')!;
  assert.equal(other.outcome, 'conflict');
  assert.match(other.message, new RegExp(`port ${port} is held by pid ${outside.pid} \\(.*http-server\\.mjs\\), which is not other`));
  const otherStatus = await app.dispatch('getAgent', { name: 'other' });
  assert.equal(otherStatus.conflict?.pid, outside.pid);

  const status = await app.dispatch('getAgent', { name: 'web' });
  assert.equal(status.adopted, true);
  assert.equal(status.outputCaptured, false, 'never ours: no captured output');
  const refusal = await app.dispatch('startAgent', { name: 'other' }).then(
    () => assert.fail('the start must be refused'),
    (err: { code: string; details: Record<string, unknown> }) => err,
  );
  assert.equal(refusal.code, 'port-in-use');
  const refused = refusal.details.status as AgentStatus;
  assert.equal(refused.state, 'errored');
  assert.match(refused.lastError?.message ?? '', new RegExp(`port ${port} is already in use by pid ${outside.pid} \\(.*http-server\\.mjs\\)`));

  const stopped = await app.dispatch('stopAgent', { name: 'web' });
  assert.equal(stopped.stop.outcome, 'graceful');
  assert.equal(alive(outside.pid!), false);
});

test('an adopted agent that exits is noticed by polling and handled by its restart policy', async () => {
  const dir = await dataDir([node('good', 'well-behaved.mjs', { restart: { policy: 'always', backoff: { initialMs: 50 } } })]);
  const first = await AgentTrayApp.open({ dataDir: dir });
  const started = await first.dispatch('startAgent', { name: 'good' });
  track(started.pid);
  await first.close(); // the host goes; the agent stays
  const app = await AgentTrayApp.open({ dataDir: dir });
  cleanups.push(() => app.close({ stopAgents: true }));
  app.subscribe((e) => {
    if (e.type === 'state' && e.status.pid) track(e.status.pid);
  });
  await app.dispatch('discover', {});
  assert.equal((await app.dispatch('getAgent', { name: 'good' })).adopted, true);
  const restarted = new Promise<AgentStatus>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no restart within 10 s')), 10_000);
    app.subscribe((e) => {
      if (e.type === 'state' && e.lifecycle === 'restarted') {
        clearTimeout(timer);
        resolve(e.status);
      }
    });
  });
  process.kill(started.pid!, 'SIGKILL'); // not through Agent Tray
  const again = await restarted;
  assert.notEqual(again.pid, started.pid);
  assert.equal(again.adopted, false);
});

test('orphans: a process of ours whose agent was removed from the config is listed, and stopped only on request', async () => {
  const dir = await dataDir([node('gone', 'well-behaved.mjs'), node('kept', 'well-behaved.mjs')]);
  const first = await AgentTrayApp.open({ dataDir: dir });
  const gone = await first.dispatch('startAgent', { name: 'gone' });
  track(gone.pid);
  await first.close();
  writeFileSync(`${dir}/agents.json`, JSON.stringify({ agents: [node('kept', 'well-behaved.mjs')] }));
  const app = await AgentTrayApp.open({ dataDir: dir });
  cleanups.push(() => app.close());
  const { orphans } = await app.dispatch('listOrphans', {});
  assert.deepEqual(orphans.map((o) => [o.name, o.pid]), [['gone', gone.pid]]);
  assert.ok(alive(gone.pid!), 'listing stops nothing');
  const { stopped } = await app.dispatch('cleanupOrphans', {});
  assert.deepEqual(stopped.map((s) => [s.name, s.pid]), [['gone', gone.pid]]);
  assert.equal(alive(gone.pid!), false);
  assert.deepEqual((await app.dispatch('listOrphans', {})).orphans, []);
});

test('the run history survives a SIGKILL of the host mid-run with every earlier record intact; an adopted run is recorded as such', async () => {
  const dir = await dataDir([node('good', 'well-behaved.mjs'), node('crasher', 'crasher.mjs', { restart: { policy: 'no' } })]);
  const first = await serve(dir);
  track(first.host.pid);
  for (let i = 0; i < 3; i++) {
    track((await first.api<AgentStatus>('POST', '/api/agents/good/start')).pid);
    await first.api('POST', '/api/agents/good/stop');
  }
  await first.api('POST', '/api/agents/crasher/start');
  await waitFor(async () => (await first.api<{ runs: unknown[] }>('GET', '/api/history?agent=crasher')).runs.length === 1, 10_000, 'the crash to be recorded');
  const running = await first.api<AgentStatus>('POST', '/api/agents/good/start');
  track(running.pid);
  const before = await first.api<{ runs: { id: string; ended: string }[]; inProgress: { name: string }[] }>('GET', '/api/history');
  assert.deepEqual(before.inProgress.map((r) => r.name), ['good']);
  process.kill(first.host.pid, 'SIGKILL');
  await first.host.exit;

  const second = await serve(dir);
  track(second.host.pid);
  const after = await second.api<{ runs: { id: string; ended: string; startedBy: string }[]; inProgress: { name: string; startedBy: string }[] }>('GET', '/api/history');
  assert.deepEqual(after.runs.map((r) => r.id), before.runs.map((r) => r.id), 'every earlier record is intact');
  assert.deepEqual(after.runs.map((r) => r.ended), ['crashed', 'stopped-by-user', 'stopped-by-user', 'stopped-by-user']);
  assert.deepEqual(after.inProgress.map((r) => [r.name, r.startedBy]), [['good', 'adopted']]);
  await second.api('POST', '/api/agents/good/stop');
  // the record is appended (and fsynced) right after the stop: wait for it
  const newest = async () => (await second.api<{ runs: { ended: string; startedBy: string }[] }>('GET', '/api/history?agent=good&limit=1')).runs;
  await waitFor(async () => (await second.api<{ runs: unknown[] }>('GET', '/api/history?agent=good')).runs.length === 4, 5_000, 'the adopted run to be recorded');
  assert.deepEqual((await newest()).map((r) => [r.startedBy, r.ended]), [['adopted', 'stopped-by-user']]);
  process.kill(second.host.pid, 'SIGTERM');
  assert.equal(await second.host.exit, 0);
});
