// Unit tests for the /proc parsers and the per-tree sums of the Linux usage reader, on hand-made text.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  cpuKey,
  pageSizeFromRss,
  parseProcStatUsage,
  parseUptime,
  processCpuPercent,
  sumTree,
  treeOf,
  type ProcSnapshot,
  type ProcStatUsage,
} from '../../../../electron/core/monitor/proc-usage.js';

/** A /proc/<pid>/stat line with the given fields and zeros or plausible values elsewhere. */
function statLine(p: { pid: number; comm?: string; state?: string; ppid?: number; pgid?: number; utime?: number; stime?: number; threads?: number; startTicks?: number; rss?: number }): string {
  const f = [
    p.state ?? 'S', p.ppid ?? 1, p.pgid ?? p.pid, 4912, 0, -1, 4194304, 99, 0, 0, 0, // fields 3-13
    p.utime ?? 0, p.stime ?? 0, 0, 0, 20, 0, p.threads ?? 1, 0, p.startTicks ?? 1000, 3133440, p.rss ?? 100, // fields 14-24
    '18446744073709551615', 1, 2, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0, 17, 0, 0, 0, 0, 0, 0,
  ];
  return `${p.pid} (${p.comm ?? 'node'}) ${f.join(' ')}\n`;
}

/** A parsed process with defaults. */
function proc(p: Partial<ProcStatUsage> & { pid: number }): ProcStatUsage {
  return { ppid: 1, pgid: p.pid, state: 'S', startTicks: 1000, cpuTicks: 0, threads: 1, rssPages: 0, ...p };
}

test('parseProcStatUsage reads utime+stime, threads, rss and start ticks of a real line', () => {
  const real = '9501 (cat) R 9497 9497 4912 0 -1 4194304 99 0 0 0 7 3 0 0 20 0 1 0 334290 3133440 424 18446744073709551615 94252282068992 94252282088873 140721118680560 0 0 0 0 0 0 0 0 0 17 0 0 0 0 0 0 94252282104880 94252282106496 94252407250944 140721118685913 140721118685933 140721118685933 140721118687211 0\n';
  assert.deepEqual(parseProcStatUsage(real), { pid: 9501, ppid: 9497, pgid: 9497, state: 'R', startTicks: 334290, cpuTicks: 10, threads: 1, rssPages: 424 });
});

test('parseProcStatUsage survives a comm with spaces and parentheses', () => {
  const text = statLine({ pid: 42, comm: 'evil) S 1 2 (x', state: 'Z', ppid: 7, utime: 150, stime: 50, threads: 12, startTicks: 99, rss: 2048 });
  assert.deepEqual(parseProcStatUsage(text), { pid: 42, ppid: 7, pgid: 42, state: 'Z', startTicks: 99, cpuTicks: 200, threads: 12, rssPages: 2048 });
});

test('parseProcStatUsage names the field that is malformed or missing', () => {
  const fields = statLine({ pid: 1 }).trim().split(' ');
  const withField = (n: number, value: string) => fields.map((f, i) => (i === n - 1 ? value : f)).join(' ');
  assert.throws(() => parseProcStatUsage(withField(14, 'x')), /field utime is "x"/);
  assert.throws(() => parseProcStatUsage(withField(20, '-1')), /field num_threads is "-1"/);
  assert.throws(() => parseProcStatUsage(fields.slice(0, 23).join(' ')), /field rss is missing/);
  assert.throws(() => parseProcStatUsage('no comm here'), /no "\(comm\)"/);
});

test('parseUptime reads the seconds since boot and rejects garbage', () => {
  assert.equal(parseUptime('3342.91 4990.61\n'), 3342.91);
  assert.equal(parseUptime('12 5'), 12);
  assert.throws(() => parseUptime(''), /malformed \/proc\/uptime/);
  assert.throws(() => parseUptime('abc 1'), /malformed/);
});

test('pageSizeFromRss finds the page size from bytes over pages, 4096 when unclear', () => {
  assert.equal(pageSizeFromRss(424 * 4096, 424), 4096);
  assert.equal(pageSizeFromRss(424 * 4096 + 3000, 424), 4096, 'rss moved a little between the two reads');
  assert.equal(pageSizeFromRss(300 * 16384, 300), 16384);
  assert.equal(pageSizeFromRss(300 * 65536, 300), 65536);
  assert.equal(pageSizeFromRss(1000, 0), 4096);
  assert.equal(pageSizeFromRss(0, 10), 4096);
  assert.equal(pageSizeFromRss(10 * 2 ** 30, 10), 4096, 'an absurd ratio falls back');
});

test('processCpuPercent: first sight is ticks since start over age, then the delta between ticks', () => {
  const snapshot: ProcSnapshot = { uptimeSec: 110, atMs: 5_000, processes: [] };
  // started at 100 s (10000 ticks), 5 s of CPU in 10 s of life: 50 %
  const p = proc({ pid: 10, startTicks: 10_000, cpuTicks: 500, threads: 4 });
  assert.equal(processCpuPercent(p, snapshot, null), 50);
  // 2 s later it has used 150 more ticks (1.5 s): 75 %
  const later: ProcSnapshot = { uptimeSec: 112, atMs: 7_000, processes: [] };
  const previous = { atMs: 5_000, ticks: new Map([[cpuKey(p), 500]]) };
  assert.equal(processCpuPercent({ ...p, cpuTicks: 650 }, later, previous), 75);
});

test('processCpuPercent: a recycled pid (other start time) never inherits the old history', () => {
  const previous = { atMs: 0, ticks: new Map([[cpuKey({ pid: 10, startTicks: 10_000 }), 90_000]]) };
  const snapshot: ProcSnapshot = { uptimeSec: 200, atMs: 2_000, processes: [] };
  const reborn = proc({ pid: 10, startTicks: 19_900, cpuTicks: 20 }); // 1 s old, 0.2 s of CPU
  assert.equal(processCpuPercent(reborn, snapshot, previous), 20);
});

test('processCpuPercent: no negative or absurd values', () => {
  const snapshot: ProcSnapshot = { uptimeSec: 100, atMs: 1_000, processes: [] };
  assert.equal(processCpuPercent(proc({ pid: 1, startTicks: 10_000, cpuTicks: 5 }), snapshot, null), 0, 'age 0');
  const previous = { atMs: 1_000, ticks: new Map([['1@1000', 50]]) };
  assert.equal(processCpuPercent(proc({ pid: 1, cpuTicks: 60 }), snapshot, previous), 0, 'no time passed');
  const earlier = { atMs: 0, ticks: new Map([['1@1000', 50]]) };
  assert.equal(processCpuPercent(proc({ pid: 1, cpuTicks: 40 }), snapshot, earlier), 0, 'ticks went down');
  assert.equal(processCpuPercent(proc({ pid: 1, cpuTicks: 170, threads: 1 }), snapshot, earlier), 100, 'one thread, at most one core');
});

/** A snapshot over hand-made processes. */
function snap(processes: ProcStatUsage[]): ProcSnapshot {
  return { uptimeSec: 1000, atMs: 0, processes };
}

test('treeOf: the root, its descendants and its group; null when the root is gone or recycled', () => {
  const s = snap([
    proc({ pid: 1, ppid: 0 }),
    proc({ pid: 100, startTicks: 500 }),
    proc({ pid: 101, ppid: 100, pgid: 100 }),
    proc({ pid: 102, ppid: 101, pgid: 102 }), // left the group, still a descendant
    proc({ pid: 103, ppid: 1, pgid: 100 }), // reparented to init, still in the group
    proc({ pid: 200, ppid: 1 }),
  ]);
  const pids = (t: ProcStatUsage[] | null) => t?.map((p) => p.pid).sort((a, b) => a - b) ?? null;
  assert.deepEqual(pids(treeOf({ pid: 100, identity: null }, s)), [100, 101, 102, 103]);
  assert.deepEqual(pids(treeOf({ pid: 100, identity: 500 }, s)), [100, 101, 102, 103]);
  assert.equal(treeOf({ pid: 100, identity: 499 }, s), null, 'the pid now names another process');
  assert.equal(treeOf({ pid: 999, identity: null }, s), null);
  assert.equal(treeOf({ pid: 100, identity: null }, snap([proc({ pid: 100, state: 'X' })])), null);
});

test('sumTree adds CPU, memory, threads and fds of live members and lists zombies apart', () => {
  const members = [
    proc({ pid: 100, startTicks: 99_000, cpuTicks: 100, threads: 7, rssPages: 10_000 }), // 10 s old, 1 s CPU
    proc({ pid: 101, startTicks: 99_000, cpuTicks: 900, threads: 1, rssPages: 2_800 }), // 9 s CPU
    proc({ pid: 102, state: 'Z', cpuTicks: 5_000, threads: 1, rssPages: 0 }),
  ];
  const fds = new Map<number, number | null>([[100, 21], [101, 4]]);
  const usage = sumTree(members, 99_000, snap(members), null, fds, 4096);
  assert.equal(usage.cpuPercent, 100);
  assert.equal(usage.memoryMB, (12_800 * 4096) / 1048576);
  assert.equal(usage.threads, 8);
  assert.equal(usage.fileHandles, 25);
  assert.equal(usage.processes, 2);
  assert.deepEqual(usage.pids, [100, 101]);
  assert.deepEqual(usage.zombiePids, [102]);
  assert.equal(usage.identity, 99_000);
});

test('sumTree: fileHandles is null only when no member could be read', () => {
  const members = [proc({ pid: 1 }), proc({ pid: 2 })];
  assert.equal(sumTree(members, 1000, snap(members), null, new Map([[1, null], [2, null]]), 4096).fileHandles, null);
  assert.equal(sumTree(members, 1000, snap(members), null, new Map([[1, null], [2, 3]]), 4096).fileHandles, 3);
});
