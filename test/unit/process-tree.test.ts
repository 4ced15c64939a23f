// Unit tests for the descendant walk over a hand-made process table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { descendantsOf } from '../../electron/core/process-tree.js';
import type { ProcessInfo } from '../../electron/core/platform/process-table.js';

/** A table row with defaults for the fields the walk ignores. */
function proc(pid: number, ppid: number, state = 'S'): ProcessInfo {
  return { pid, ppid, pgid: null, state, startTime: null };
}

const TABLE: ProcessInfo[] = [
  proc(1, 0),
  proc(100, 1), // the agent
  proc(101, 100),
  proc(102, 100, 'Z'),
  proc(110, 101),
  proc(111, 110),
  proc(200, 1), // unrelated
  proc(201, 200),
];

test('finds children, grandchildren and deeper, parents first', () => {
  assert.deepEqual(
    descendantsOf(100, TABLE).map((p) => p.pid),
    [101, 102, 110, 111],
  );
});

test('includes zombies and excludes the root and unrelated processes', () => {
  const pids = descendantsOf(100, TABLE).map((p) => p.pid);
  assert.ok(pids.includes(102));
  assert.ok(!pids.includes(100));
  assert.ok(!pids.includes(200) && !pids.includes(201));
  assert.equal(descendantsOf(100, TABLE).find((p) => p.pid === 102)?.state, 'Z');
});

test('a leaf, an unknown pid and an empty table have no descendants', () => {
  assert.deepEqual(descendantsOf(111, TABLE), []);
  assert.deepEqual(descendantsOf(999, TABLE), []);
  assert.deepEqual(descendantsOf(100, []), []);
});

test('the root need not be in the table (it may have exited)', () => {
  const orphaned = TABLE.filter((p) => p.pid !== 100);
  assert.deepEqual(descendantsOf(100, orphaned).map((p) => p.pid), [101, 102, 110, 111]);
});

test('cycles do not loop forever', () => {
  const cyclic = [proc(10, 12), proc(11, 10), proc(12, 11), proc(13, 13), proc(14, 13)];
  assert.deepEqual(descendantsOf(10, cyclic).map((p) => p.pid), [11, 12]);
  assert.deepEqual(descendantsOf(13, cyclic).map((p) => p.pid), [14]);
});

test('pid 0 as root walks the whole tree under it', () => {
  assert.equal(descendantsOf(0, TABLE).length, TABLE.length);
});
