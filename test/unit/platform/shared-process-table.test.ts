// SharedTableReader: callers that ask together share one read, and nobody gets a read that began before they asked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { SharedTableReader, readProcessTableShared } from '../../../electron/core/platform/shared-process-table.js';
import type { ProcessInfo } from '../../../electron/core/platform/process-table.js';

/** A reader whose reads the test finishes by hand, in the order they began. */
function manualReads() {
  const reads: { resolve: (table: ProcessInfo[]) => void; reject: (error: Error) => void }[] = [];
  const reader = new SharedTableReader(() => new Promise<ProcessInfo[]>((resolve, reject) => reads.push({ resolve, reject })));
  const table = (pid: number): ProcessInfo[] => [{ pid, ppid: 1, pgid: pid, state: 'S', startTime: 0 }];
  return { reader, reads, table };
}

test('callers that ask together share one read', async () => {
  const { reader, reads, table } = manualReads();
  const asked = Array.from({ length: 100 }, () => reader.fresh());
  await nextTurn();
  assert.equal(reader.reads, 1);
  reads[0]!.resolve(table(1));
  for (const t of await Promise.all(asked)) assert.equal(t[0]?.pid, 1);
});

test('a caller who asks while a read is under way gets the next read, shared with everyone else who asked meanwhile', async () => {
  const { reader, reads, table } = manualReads();
  const first = reader.fresh();
  await nextTurn();
  assert.equal(reads.length, 1, 'the first read has begun');
  // it may already have passed the process these callers just saw exit: they must not get its table
  const c = reader.fresh();
  const d = reader.fresh();
  await nextTurn();
  assert.equal(reader.reads, 1, 'the next read begins only when the one under way ends');
  reads[0]!.resolve(table(1));
  assert.equal((await first)[0]?.pid, 1);
  await nextTurn();
  assert.equal(reader.reads, 2);
  reads[1]!.resolve(table(2));
  assert.equal((await c)[0]?.pid, 2);
  assert.equal((await d)[0]?.pid, 2);
  // nothing under way any more: a new caller starts a new read
  const e = reader.fresh();
  await nextTurn();
  assert.equal(reader.reads, 3);
  reads[2]!.resolve(table(3));
  assert.equal((await e)[0]?.pid, 3);
});

test('a failed read fails its own callers only; those waiting for the next read still get it', async () => {
  const { reader, reads, table } = manualReads();
  const first = reader.fresh();
  await nextTurn();
  const next = reader.fresh();
  reads[0]!.reject(new Error('EMFILE: too many open files'));
  await assert.rejects(first, /EMFILE/);
  await nextTurn();
  reads[1]!.resolve(table(7));
  assert.equal((await next)[0]?.pid, 7);
});

test('the shared reader returns this machine’s real process table, with this process in it, once for callers who ask together', { skip: process.platform === 'win32' && 'no table on Windows' }, async () => {
  const [a, b] = await Promise.all([readProcessTableShared(), readProcessTableShared()]);
  assert.equal(a, b);
  assert.ok(a.some((p) => p.pid === process.pid && p.ppid === process.ppid));
});
