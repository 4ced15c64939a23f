// A real `agent-tray serve` whose data directory is on a disk that fills up (a tiny tmpfs), turns
// read-only (remounted ro) or refuses a file (chattr +i): an API save answers 507 `disk-full`,
// 409 `not-writable` or 403 `permission-denied` naming the file, never a 500 "bug"; the host and
// its agents keep running; a run the history file cannot take is alerted and still listed.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TestHost } from '../helpers/http-host.js';
import { alive, fixture, killTracked } from '../helpers/processes.js';
import { hostApi, startServe, type ServeProcess } from '../helpers/serve-process.js';
import { tempDir } from '../helpers/temp-dir.js';
import { makeImmutable, mountTinyDisk, type TinyDisk } from '../helpers/tiny-disk.js';
import { waitFor } from '../helpers/wait.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  killTracked(); // the host and every agent an answer named, before the disk goes
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** An agent that prints one line and then only listens: it needs no disk while it runs. */
const quiet = (name: string) => ({ name, command: process.execPath, args: [fixture('http-server.mjs'), '0'] });

/**
 * A data directory on the tiny disk whose logs/ and run/ are on the machine's disk (symlinks): the
 * agents' log files stay open for writing (a remount read-only would be refused as busy) and a
 * stop deletes a PID file (which would give the full disk a page back).
 */
async function dataDirOn(disk: TinyDisk): Promise<string> {
  const dir = path.join(disk.dir, 'data');
  await mkdir(dir, { mode: 0o700 });
  const { dir: elsewhere, cleanup } = await tempDir('agent-tray-logs-run-');
  cleanups.push(cleanup);
  for (const sub of ['logs', 'run']) {
    await mkdir(path.join(elsewhere, sub));
    await symlink(path.join(elsewhere, sub), path.join(dir, sub));
  }
  return dir;
}

/** A host over `dir` with two running agents, `keeper` and `ender`. */
async function hostWithAgents(dir: string): Promise<{ serve: ServeProcess; api: TestHost['api']; stderr: () => string }> {
  await writeFile(path.join(dir, 'agents.json'), JSON.stringify({ agents: [quiet('keeper'), quiet('ender')] }));
  const serve = startServe(dir, 'ignore', 'pipe');
  let stderr = '';
  serve.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const { api } = await hostApi(dir, serve);
  for (const name of ['keeper', 'ender']) {
    const started = await api('POST', `/api/agents/${name}/start`);
    assert.equal(started.body.state, 'running', `${name} runs: ${JSON.stringify(started.body)}`);
  }
  return { serve, api, stderr: () => stderr };
}

/** The tiny disk, or the reason this machine cannot mount one. */
function tinyDisk(): TinyDisk | string {
  const disk = mountTinyDisk(512);
  if ('skip' in disk) return disk.skip;
  cleanups.push(() => disk.remove());
  return disk;
}

/** An API save of a new agent. */
const addAgent = (api: TestHost['api']) => api('POST', '/api/agents', quiet('newcomer'));

/** Stops `ender`; its run cannot be written to history.jsonl: a `disk` alert names the file, and the run is listed from memory. */
async function historyFailureIsAlerted(api: TestHost['api'], dir: string, code: RegExp): Promise<void> {
  const stopped = await api('POST', '/api/agents/ender/stop');
  assert.equal(stopped.status, 200, JSON.stringify(stopped.body));
  const history = path.join(dir, 'history.jsonl');
  let alerts: { kind: string; name: string | null; message: string }[] = [];
  await waitFor(
    async () => {
      alerts = (await api('GET', '/api/alerts')).body.alerts;
      return alerts.some((a) => a.kind === 'disk' && a.message.includes('history.jsonl'));
    },
    10_000,
    'a disk alert about the history',
  );
  // the history's append failed; the alerts file (alerts.jsonl) may well have failed on the same disk too
  const disk = alerts.filter((a) => a.kind === 'disk' && a.message.includes('history.jsonl'));
  assert.equal(disk.length, 1, JSON.stringify(alerts));
  assert.equal(disk[0]?.name, null);
  assert.ok(disk[0]?.message.startsWith(`Could not append to ${history}: `), disk[0]?.message);
  assert.match(disk[0]?.message ?? '', code);
  const runs = (await api('GET', '/api/history')).body.runs as { name: string }[];
  assert.deepEqual(runs.map((r) => r.name), ['ender'], 'the run is listed from memory');
  assert.ok((await api('GET', '/api/summary')).body.writeFailures >= 1, 'the failed write is counted in the summary');
}

/** The host still answers, `keeper` still runs, and the host process is alive. */
async function stillRunning(api: TestHost['api'], serve: ServeProcess): Promise<void> {
  const keeper = (await api('GET', '/api/agents/keeper')).body;
  assert.equal(keeper.state, 'running');
  assert.ok(alive(keeper.pid), 'the agent process is alive');
  assert.ok(alive(serve.pid), 'the host process is alive');
}

test('a full disk: a save answers 507 disk-full naming the file, the host and its agents keep running, the history failure is alerted', async (t) => {
  const disk = tinyDisk();
  if (typeof disk === 'string') return t.skip(disk);
  const dir = await dataDirOn(disk);
  const { serve, api, stderr } = await hostWithAgents(dir);
  disk.fill();

  const saved = await addAgent(api);
  assert.equal(saved.status, 507, JSON.stringify(saved.body));
  assert.equal(saved.body.error.code, 'disk-full');
  assert.match(saved.body.error.message, /agents\.json.*: the disk is full \(ENOSPC\)/);
  assert.match(saved.body.error.hint, /Free some space/);
  assert.doesNotMatch(stderr(), /internal error/);

  await historyFailureIsAlerted(api, dir, /the disk is full \(ENOSPC\)/);
  await stillRunning(api, serve);

  // room again: the same save goes through
  disk.free();
  const again = await addAgent(api);
  assert.equal(again.status, 200, JSON.stringify(again.body));
});

test('a read-only file system: a save answers 409 not-writable naming the file; the host and its agents keep running', async (t) => {
  const disk = tinyDisk();
  if (typeof disk === 'string') return t.skip(disk);
  const dir = await dataDirOn(disk);
  const { serve, api } = await hostWithAgents(dir);
  disk.readOnly(true);
  cleanups.push(() => disk.readOnly(false));

  const saved = await addAgent(api);
  assert.equal(saved.status, 409, JSON.stringify(saved.body));
  assert.equal(saved.body.error.code, 'not-writable');
  assert.match(saved.body.error.message, /agents\.json.*: the file system is read-only \(EROFS\)/);

  await historyFailureIsAlerted(api, dir, /read-only \(EROFS\)/);
  await stillRunning(api, serve);
});

test('a file the system refuses to change (chattr +i): a save answers 403 permission-denied naming the file', async (t) => {
  const { dir, cleanup } = await tempDir('agent-tray-immutable-');
  cleanups.push(cleanup);
  const { serve, api } = await hostWithAgents(dir);
  const agentsFile = path.join(dir, 'agents.json');
  if (!makeImmutable(agentsFile)) return t.skip('chattr +i is not supported here (not root, or a file system without the immutable flag such as tmpfs)');
  cleanups.push(() => void makeImmutable(agentsFile, false)); // before the folder is removed

  const saved = await addAgent(api);
  assert.equal(saved.status, 403, JSON.stringify(saved.body));
  assert.equal(saved.body.error.code, 'permission-denied');
  assert.match(saved.body.error.message, /agents\.json.*: the operation is not permitted \(EPERM\)/);
  await stillRunning(api, serve);
});
