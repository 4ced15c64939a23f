// The host's own stdout and stderr failing under it: a full disk (/dev/full: ENOSPC on every
// write), a pipe whose reader is gone (EPIPE). A real `agent-tray serve` keeps answering its API,
// and a SIGTERM still shuts it down cleanly (exit 0, lock released).
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { lockFile } from '../../electron/server/host-lock.js';
import { killTracked } from '../helpers/processes.js';
import { hostApi, startServe, type ServeProcess } from '../helpers/serve-process.js';
import { tempDir } from '../helpers/temp-dir.js';
import { mountTinyDisk } from '../helpers/tiny-disk.js';
import { waitFor } from '../helpers/wait.js';
import type { TestHost } from '../helpers/http-host.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0)) await c();
});

/** A data directory with one autostart agent whose program does not exist: the host writes a line about it on stderr after it listens. */
async function dataDir(): Promise<string> {
  const { dir, cleanup } = await tempDir('agent-tray-stdio-');
  cleanups.push(cleanup);
  await writeFile(path.join(dir, 'agents.json'), JSON.stringify({ agents: [{ name: 'missing', command: '/nonexistent/agent-tray-no-such-program', autostart: true }] }));
  return dir;
}

/** /dev/full opened for writing: every write to it fails with ENOSPC, like a file on a full disk. */
function devFull(): number {
  const fd = openSync('/dev/full', 'w');
  cleanups.push(() => closeSync(fd));
  return fd;
}

/** Waits until autostart has failed (the host has written its stderr line and its URL line by then), then asks the API twice more. */
async function stillAnswers(api: TestHost['api']): Promise<void> {
  await waitFor(async () => (await api('GET', '/api/agents/missing')).body?.state === 'errored', 15_000, 'autostart of the missing program to fail');
  for (let i = 0; i < 2; i++) {
    const list = await api('GET', '/api/agents');
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.agents.map((a: { name: string }) => a.name), ['missing']);
  }
}

/** SIGTERM: the host shuts down gracefully although its last lines cannot be written. */
async function stopsCleanly(serve: ServeProcess, dir: string): Promise<void> {
  process.kill(serve.pid, 'SIGTERM');
  assert.equal(await serve.exit, 0);
  assert.equal(existsSync(lockFile(dir)), false, 'the lock is released');
}

const linux = process.platform === 'linux' ? false : 'needs /dev/full (Linux)';

test('stdout on a full disk (/dev/full): the host keeps answering, says so once on stderr, and stderr goes on', { skip: linux }, async () => {
  const dir = await dataDir();
  const serve = startServe(dir, devFull(), 'pipe');
  let stderr = '';
  serve.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const { api } = await hostApi(dir, serve);
  await stillAnswers(api);
  await stopsCleanly(serve, dir);
  assert.match(stderr, /the host's stdout cannot be written \(ENOSPC\)/);
  assert.match(stderr, /autostart of missing failed/);
  assert.match(stderr, /SIGTERM: shutting down[\s\S]*stopped/);
});

test('stdout and stderr both on a full disk (/dev/full): the host keeps answering and exits 0 on SIGTERM', { skip: linux }, async () => {
  const dir = await dataDir();
  const full = devFull();
  const serve = startServe(dir, full, full);
  const { api } = await hostApi(dir, serve);
  await stillAnswers(api);
  await stopsCleanly(serve, dir);
});

test('stdout and stderr pipes whose reader is gone (EPIPE): the host keeps answering and exits 0 on SIGTERM', async () => {
  const dir = await dataDir();
  const serve = startServe(dir, 'pipe', 'pipe');
  // the reader goes away before the host writes its first line
  serve.stdout?.destroy();
  serve.stderr?.destroy();
  const { api } = await hostApi(dir, serve);
  await stillAnswers(api);
  await stopsCleanly(serve, dir);
});

test('stderr in a file on a disk that fills up and then has room again: the lines written meanwhile are dropped, the later ones arrive', async (t) => {
  const disk = mountTinyDisk(256);
  if ('skip' in disk) return t.skip(disk.skip);
  cleanups.push(() => disk.remove());
  const file = path.join(disk.dir, 'host.err');
  const fd = openSync(file, 'a');
  cleanups.push(() => closeSync(fd));
  disk.fill();
  const dir = await dataDir();
  const serve = startServe(dir, 'ignore', fd);
  const { api } = await hostApi(dir, serve);
  await stillAnswers(api); // its line about the failed autostart found no room
  disk.free();
  await stopsCleanly(serve, dir);
  const text = readFileSync(file, 'utf8');
  assert.doesNotMatch(text, /autostart of missing failed/);
  assert.match(text, /SIGTERM: shutting down[\s\S]*stopped/);
});
