// The run history on a disk that cannot take it: an append that fails (a full disk: a history
// file that is /dev/full) rejects with `disk-full` naming the file, the run stays listed from
// memory, and later appends go on. The file is created 0600, an older looser one made 0600.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, readFile, rm, stat, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { HistoryStore } from '../../../electron/app/history-store.js';
import { AgentTrayError } from '../../../electron/core/errors.js';
import type { RunRecord } from '../../../shared/history.js';
import { tempDir } from '../../helpers/temp-dir.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function dir(): Promise<string> {
  const { dir: d, cleanup } = await tempDir('agent-tray-history-io-');
  cleanups.push(cleanup);
  return d;
}

function run(n: number): RunRecord {
  const startedAt = 1_700_000_000_000 + n * 1_000;
  return { id: `a-${startedAt}-${n}`, name: 'a', pid: n, startedAt, endedAt: startedAt + 5, durationMs: 5, startedBy: 'user', ended: 'exited', exitCode: 0, signal: null, restarts: 0, peakMemoryMB: null, avgCpuPercent: null, message: `run ${n}` };
}

const posix = process.platform === 'win32' ? 'POSIX modes' : false;
const linux = process.platform === 'linux' ? false : 'needs /dev/full (Linux)';

test('an append on a full disk rejects with disk-full naming the file; the run is still listed and later appends go on', { skip: linux }, async () => {
  const file = path.join(await dir(), 'history.jsonl');
  const store = await HistoryStore.open(file);
  await store.append(run(1));
  // the disk fills up: every write to the history file now fails with ENOSPC
  await rm(file);
  await symlink('/dev/full', file);
  const failed = await store.append(run(2)).then(
    () => null,
    (err: unknown) => err,
  );
  assert.ok(failed instanceof AgentTrayError, `an AgentTrayError, not ${String(failed)}`);
  assert.equal(failed.code, 'disk-full');
  assert.match(failed.message, new RegExp(`^Could not append to ${file.replace(/[.]/g, '\\.')}: the disk is full \\(ENOSPC\\)`));
  assert.deepEqual(failed.details, { file, errno: 'ENOSPC' });
  assert.deepEqual(store.list().map((r) => r.pid), [2, 1], 'the failed run is kept in memory');
  // space again: the next run is written, on a line of its own
  await rm(file);
  await store.append(run(3));
  assert.deepEqual((await readFile(file, 'utf8')).trim().split('\n').map((l) => (JSON.parse(l) as RunRecord).pid), [3]);
  assert.deepEqual(store.list().map((r) => r.pid), [3, 2, 1]);
});

test('memory stays bounded while the disk is full', { skip: linux }, async () => {
  const file = path.join(await dir(), 'history.jsonl');
  const store = await HistoryStore.open(file, { retention: 4 });
  await symlink('/dev/full', file);
  for (let n = 1; n <= 20; n++) await assert.rejects(store.append(run(n)), { code: 'disk-full' });
  assert.deepEqual(store.list().map((r) => r.pid), [20, 19, 18, 17]);
  assert.ok((store as unknown as { records: unknown[] }).records.length <= 5, 'at most retention × 1.25 runs in memory');
});

test('the history file is created 0600; an older one readable by others is made 0600 when opened', { skip: posix }, async () => {
  const d = await dir();
  const fresh = path.join(d, 'new', 'history.jsonl');
  const store = await HistoryStore.open(fresh);
  await store.append(run(1));
  assert.equal((await stat(fresh)).mode & 0o777, 0o600);
  const old = path.join(d, 'old', 'history.jsonl');
  await mkdir(path.dirname(old));
  await writeFile(old, `${JSON.stringify(run(1))}\n`);
  await chmod(old, 0o644);
  const reopened = await HistoryStore.open(old);
  assert.equal(reopened.list().length, 1);
  assert.equal((await stat(old)).mode & 0o777, 0o600);
});
