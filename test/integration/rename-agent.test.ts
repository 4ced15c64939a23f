// Renaming an agent through the API, with real agents and a real data directory: its log files
// (both streams, rotated copies included) and its runs in the history go with it and nothing is
// left under the old name; a running agent is renamed only with restart=true (Stop, rename, start);
// leftovers of an earlier agent of the new name are set aside, never overwritten; a failed step
// puts back what was moved and leaves agents.json as it was.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AgentTrayApp } from '../../electron/app/application.js';
import { ensureToken, tokenFile } from '../../electron/server/api-token.js';
import { createHttpServer } from '../../electron/server/http-server.js';
import { testDataDirs } from '../helpers/data-dirs.js';
import { apiClient, type TestHost } from '../helpers/http-host.js';
import { alive, fixture, track } from '../helpers/processes.js';
import { mountTinyDisk } from '../helpers/tiny-disk.js';
import { waitFor } from '../helpers/wait.js';

const dirs = testDataDirs();
afterEach(() => dirs.afterEach());

/** The real application (logs rotated past 1 KiB, resources sampled every 100 ms) and HTTP host over `dir`; both closed after the test. */
async function openHost(dir: string): Promise<{ app: AgentTrayApp; api: TestHost['api'] }> {
  const token = await ensureToken(dir);
  const app = await AgentTrayApp.open({ dataDir: dir, watch: false, logs: { maxBytes: 1024, keep: 3 }, sampleIntervalMs: 100 });
  dirs.cleanups.push(() => app.close());
  const server = createHttpServer({ app, token, host: '127.0.0.1', port: 0, tokenFile: tokenFile(dir), log: () => undefined });
  dirs.cleanups.push(() => server.close());
  const { url } = await server.listen();
  return { app, api: apiClient(url, token) };
}

/** An agent that writes `count` numbered lines (odd ones on stderr) and exits 0. */
const writer = (name: string, count = 600) => ({ name, command: process.execPath, args: [fixture('alternator.mjs')], env: { COUNT: String(count), INTERVAL_MS: '1' }, restart: { policy: 'no' } });

/** The files in `dir`/logs whose names start with `<name>.`, with their contents, by the rest of their name. */
function logsOf(dir: string, name: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(path.join(dir, 'logs'))) if (f.startsWith(`${name}.`)) out[f.slice(name.length)] = readFileSync(path.join(dir, 'logs', f), 'utf8');
  return out;
}

/** Starts `name` and waits until it has exited and its run is in the history. */
async function runToEnd(api: TestHost['api'], name: string): Promise<void> {
  const started = await api('POST', `/api/agents/${name}/start`);
  assert.equal(started.status, 200, JSON.stringify(started.body));
  await waitFor(async () => (await api('GET', `/api/history?agent=${name}`)).body.runs.length === 1, 15_000, `the run of ${name} to be in the history`);
}

test('a stopped agent that ran is renamed with its logs (both streams, rotated copies too) and its runs; nothing is left under the old name', async () => {
  const dir = await dirs.dataDir([writer('writer')]);
  const { api } = await openHost(dir);
  await runToEnd(api, 'writer');
  const before = logsOf(dir, 'writer');
  for (const suffix of ['.out.log', '.out.log.1', '.err.log', '.err.log.1']) assert.ok(suffix in before, `writer${suffix} exists before the rename (has: ${Object.keys(before).join(', ')})`);
  const run = (await api('GET', '/api/history?agent=writer')).body.runs[0];
  const samples = (await api('GET', '/api/agents/writer/stats')).body.samples;
  assert.ok(samples.length > 0, 'it was sampled while it ran');

  const renamed = await api('PUT', '/api/agents/writer', writer('scribe'));
  assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
  assert.equal(renamed.body.name, 'scribe');
  assert.equal(renamed.body.state, 'stopped');

  assert.deepEqual(logsOf(dir, 'writer'), {}, 'no log file is left under the old name');
  assert.deepEqual(logsOf(dir, 'scribe'), before, 'every file moved, with what it held');
  const lines = (await api('GET', '/api/agents/scribe/logs?lines=1000')).body.lines.map((l: { text: string }) => l.text);
  assert.ok(lines.includes('n 600') && lines.includes('n 599'), `the old lines of both streams show under the new name (${lines.length} lines)`);
  const runs = (await api('GET', '/api/history?agent=scribe')).body.runs;
  assert.equal(runs.length, 1);
  assert.equal(runs[0].pid, run.pid);
  assert.equal(runs[0].ended, 'exited');
  assert.equal((await api('GET', '/api/history?agent=writer')).body.runs.length, 0);
  const inFile = readFileSync(path.join(dir, 'history.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).name);
  assert.deepEqual(inFile, ['scribe'], 'the history file itself was rewritten');
  assert.deepEqual((await api('GET', '/api/agents/scribe/stats')).body.samples, samples, 'its resource history goes with it');
  assert.equal((await api('GET', '/api/agents/writer')).status, 404);
});

test('restart=true renames a running agent: its whole tree is stopped, it starts under the new name with a new pid, its earlier output and run go with it', async () => {
  const tree = (name: string) => ({ name, command: process.execPath, args: [fixture('forker.mjs')] });
  const dir = await dirs.dataDir([tree('forest')]);
  const { api } = await openHost(dir);
  const started = await api('POST', '/api/agents/forest/start');
  assert.equal(started.status, 200, JSON.stringify(started.body));
  let treeLine = '';
  await waitFor(async () => {
    treeLine = (await api('GET', '/api/agents/forest/logs')).body.lines.map((l: { text: string }) => l.text).find((t: string) => t.startsWith('tree ')) ?? '';
    return treeLine !== '';
  }, 15_000, 'the forker to print its tree');
  const { leader, kids } = JSON.parse(treeLine.slice('tree '.length)) as { leader: number; kids: { child: number; grandchild: number }[] };
  const oldPids = [leader, ...kids.flatMap((k) => [k.child, k.grandchild])];
  track(...oldPids);
  assert.equal(started.body.pid, leader);

  const renamed = await api('PUT', '/api/agents/forest?restart=true', tree('grove'));
  assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
  assert.equal(renamed.body.name, 'grove');
  assert.equal(renamed.body.state, 'running');
  assert.notEqual(renamed.body.pid, leader, 'a new process');
  assert.ok(alive(renamed.body.pid), 'the new process runs');
  assert.deepEqual(oldPids.filter(alive), [], 'the old tree is gone, the one in its own session included');

  assert.deepEqual(logsOf(dir, 'forest'), {}, 'no log file is left under the old name');
  assert.ok(logsOf(dir, 'grove')['.out.log']?.includes(treeLine), 'grove.out.log holds the earlier output');
  const lines = (await api('GET', '/api/agents/grove/logs')).body.lines.map((l: { text: string }) => l.text);
  assert.ok(lines.includes(treeLine), 'the earlier output shows under the new name');
  const history = (await api('GET', '/api/history?agent=grove')).body;
  assert.equal(history.runs.length, 1);
  assert.equal(history.runs[0].pid, leader);
  assert.equal(history.runs[0].ended, 'stopped-by-user');
  assert.deepEqual(history.inProgress.map((r: { name: string; pid: number }) => [r.name, r.pid]), [['grove', renamed.body.pid]]);
  assert.equal((await api('GET', '/api/history?agent=forest')).body.runs.length, 0);
  assert.deepEqual(JSON.parse(readFileSync(path.join(dir, 'agents.json'), 'utf8')).agents.map((a: { name: string }) => a.name), ['grove']);
});

test('without restart a running agent is not renamed (409, saying how), and nothing changes; a plain edit with restart=true restarts it', async () => {
  const steady = (name: string, env: Record<string, string> = {}) => ({ name, command: process.execPath, args: [fixture('well-behaved.mjs')], env });
  const dir = await dirs.dataDir([steady('steady')]);
  const { app, api } = await openHost(dir);
  const started = await api('POST', '/api/agents/steady/start');
  assert.equal(started.status, 200, JSON.stringify(started.body));
  const agentsJson = readFileSync(path.join(dir, 'agents.json'), 'utf8');

  const refused = await api('PUT', '/api/agents/steady', steady('calm'));
  assert.equal(refused.status, 409, JSON.stringify(refused.body));
  assert.equal(refused.body.error.code, 'conflict');
  assert.equal(refused.body.error.message, 'Agent "steady" is running and cannot be renamed to "calm"');
  assert.equal(refused.body.error.hint, 'Stop it first, or save with restart=true (Stop, rename, start)');
  const status = (await api('GET', '/api/agents/steady')).body;
  assert.equal(status.state, 'running');
  assert.equal(status.pid, started.body.pid);
  assert.equal(readFileSync(path.join(dir, 'agents.json'), 'utf8'), agentsJson, 'agents.json untouched');
  assert.ok('.out.log' in logsOf(dir, 'steady'));
  assert.deepEqual(logsOf(dir, 'calm'), {});
  assert.equal((await api('GET', '/api/agents/calm')).status, 404);

  const edited = await api('PUT', '/api/agents/steady?restart=true', steady('steady', { MODE: 'new' }));
  assert.equal(edited.status, 200, JSON.stringify(edited.body));
  assert.equal(edited.body.state, 'running');
  assert.notEqual(edited.body.pid, started.body.pid, 'restarted');
  assert.equal(alive(started.body.pid), false, 'the old process is gone');
  assert.deepEqual(app.store.get('steady').env, { MODE: 'new' });
});

test('leftovers of an earlier agent of the new name are set aside as <name>.earlier-<time>, logs and runs; a live process in its PID file refuses the rename', async () => {
  const dir = await dirs.dataDir([writer('alpha', 20)]);
  // what an earlier "beta" left: logs, a run, a stale PID file (its process has ended) and state file
  mkdirSync(path.join(dir, 'logs'));
  mkdirSync(path.join(dir, 'run'));
  const earlier = { '.out.log': 'earlier beta out\n', '.out.log.1': 'older beta out\n', '.err.log': 'earlier beta err\n' };
  for (const [suffix, text] of Object.entries(earlier)) writeFileSync(path.join(dir, 'logs', `beta${suffix}`), text);
  const earlierRun = { id: 'beta-1000-42', name: 'beta', pid: 42, startedAt: 1000, endedAt: 2000, durationMs: 1000, startedBy: 'user', ended: 'exited', exitCode: 0, signal: null, restarts: 0, peakMemoryMB: null, avgCpuPercent: null, message: 'beta exited with code 0' };
  writeFileSync(path.join(dir, 'history.jsonl'), `${JSON.stringify(earlierRun)}\n`);
  const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  writeFileSync(path.join(dir, 'run', 'beta.pid'), JSON.stringify({ pid: Number(ended.stdout), processStartTime: null, command: 'node', name: 'beta', startedAt: 1000 }));
  writeFileSync(path.join(dir, 'run', 'beta.state.json'), JSON.stringify({ name: 'beta', state: 'crashed', runId: null, at: 1000, restarts: 0, crashes: { restartTimes: [], attempt: 0 }, nextAttemptAt: null, lastError: null, exitCode: 1, signal: null }));
  const { api } = await openHost(dir);
  await runToEnd(api, 'alpha');
  const alphaLogs = logsOf(dir, 'alpha');
  const alphaRun = (await api('GET', '/api/history?agent=alpha')).body.runs[0];

  const renamed = await api('PUT', '/api/agents/alpha', writer('beta', 20));
  assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
  assert.equal(renamed.body.state, 'stopped', 'the crashed state of the earlier beta is not carried on');
  assert.deepEqual(logsOf(dir, 'alpha'), {});
  const asideFiles = readdirSync(path.join(dir, 'logs')).filter((f) => /^beta\.earlier-/.test(f));
  const aside = /^(beta\.earlier-\d{8}T\d{6}Z)\./.exec(asideFiles[0] ?? '')?.[1];
  assert.ok(aside, `the leftovers are set aside (logs: ${readdirSync(path.join(dir, 'logs')).join(', ')})`);
  assert.deepEqual(logsOf(dir, aside), earlier, 'the earlier logs, whole, under the aside name');
  const betaLogs = Object.fromEntries(Object.entries(logsOf(dir, 'beta')).filter(([suffix]) => !suffix.startsWith('.earlier-')));
  assert.deepEqual(betaLogs, alphaLogs, 'beta\'s logs are alpha\'s');
  const betaRuns = (await api('GET', '/api/history?agent=beta')).body.runs;
  assert.deepEqual(betaRuns.map((r: { id: string }) => r.id), [alphaRun.id], 'beta\'s runs are alpha\'s only');
  assert.deepEqual((await api('GET', `/api/history?agent=${aside}`)).body.runs.map((r: { id: string }) => r.id), [earlierRun.id], 'the earlier run is kept under the aside name');
  assert.deepEqual(readdirSync(path.join(dir, 'run')).filter((f) => f.startsWith('beta') || f.startsWith('alpha')), [], 'the stale PID and state files are gone');

  // a process that still runs in the PID file of the new name: refused, nothing moves
  const live = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  track(live.pid);
  writeFileSync(path.join(dir, 'run', 'gamma.pid'), JSON.stringify({ pid: live.pid, processStartTime: null, command: 'node', name: 'gamma', startedAt: Date.now() }));
  const agentsJson = readFileSync(path.join(dir, 'agents.json'), 'utf8');
  const refused = await api('PUT', '/api/agents/beta', writer('gamma', 20));
  assert.equal(refused.status, 409, JSON.stringify(refused.body));
  assert.match(refused.body.error.message, new RegExp(`the PID file of "gamma" names pid ${live.pid}, which still runs`));
  assert.match(refused.body.error.hint, new RegExp(`POST /api/orphans/${live.pid}/stop`));
  assert.equal(readFileSync(path.join(dir, 'agents.json'), 'utf8'), agentsJson);
  assert.deepEqual(logsOf(dir, 'gamma'), {});
  assert.ok('.out.log' in logsOf(dir, 'beta'));
});

test('a rename that fails half-way (a full disk when the history is rewritten) puts the moved files back and leaves agents.json as it was', async (t) => {
  const disk = mountTinyDisk(1024);
  if ('skip' in disk) return t.skip(disk.skip);
  dirs.cleanups.push(() => disk.remove());
  writeFileSync(path.join(disk.dir, 'agents.json'), JSON.stringify({ agents: [writer('first', 20)] }));
  const { api } = await openHost(disk.dir);
  await runToEnd(api, 'first');
  const logs = logsOf(disk.dir, 'first');
  const agentsJson = readFileSync(path.join(disk.dir, 'agents.json'), 'utf8');

  disk.fill();
  const failed = await api('PUT', '/api/agents/first', writer('second', 20));
  assert.equal(failed.status, 507, JSON.stringify(failed.body));
  assert.equal(failed.body.error.code, 'disk-full');
  assert.match(failed.body.error.message, /^Agent "first" was not renamed to "second": Could not rewrite .*history\.jsonl: the disk is full \(ENOSPC\); nothing was changed/);
  assert.deepEqual(logsOf(disk.dir, 'first'), logs, 'the moved files are back');
  assert.deepEqual(logsOf(disk.dir, 'second'), {});
  assert.equal(readFileSync(path.join(disk.dir, 'agents.json'), 'utf8'), agentsJson);
  assert.equal((await api('GET', '/api/history?agent=first')).body.runs.length, 1);
  assert.equal((await api('GET', '/api/agents/first')).status, 200);

  disk.free();
  const renamed = await api('PUT', '/api/agents/first', writer('second', 20));
  assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
  assert.deepEqual(logsOf(disk.dir, 'second'), logs);
  assert.deepEqual(logsOf(disk.dir, 'first'), {});
});
