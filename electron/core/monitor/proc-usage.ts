// Linux: CPU, memory, threads and open fds of whole process trees, from one /proc scan per tick.
import { readFileSync, readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { ProcessInfo } from '../platform/process-table.js';
import { inChunks } from '../platform/in-chunks.js';
import { parseProcStat } from '../platform/proc-stat.js';
import { treeMembers } from '../stop-tree.js';
import type { TreeUsage, UsageReader, UsageRoot } from './sampler.js';

/** The fields of /proc/<pid>/stat that resource monitoring needs. */
export interface ProcStatUsage {
  pid: number;
  ppid: number;
  pgid: number;
  /** One letter; 'Z' is a zombie, 'X' dead. */
  state: string;
  /** Field 22: start time in clock ticks since boot; with the pid it names one process. */
  startTicks: number;
  /** Fields 14 + 15: user + system CPU time, clock ticks. */
  cpuTicks: number;
  /** Field 20. */
  threads: number;
  /** Field 24: resident set size, pages. */
  rssPages: number;
}

/** One reading of the whole process table. */
export interface ProcSnapshot {
  /** Seconds since boot (/proc/uptime), the clock of startTicks. */
  uptimeSec: number;
  /** Monotonic ms (performance.now()) when the scan started: the clock of CPU deltas. */
  atMs: number;
  processes: ProcStatUsage[];
}

/** CPU ticks of the previous tick's tree members, keyed by cpuKey(). */
export interface CpuHistory {
  atMs: number;
  ticks: Map<string, number>;
}

/**
 * USER_HZ, the unit of /proc times: 100 on every Linux architecture that Node runs on (the
 * kernel converts to it whatever its internal HZ); `getconf CLK_TCK` says the same.
 */
export const CLOCK_TICKS_PER_SEC = 100;


// Field positions among the fields after the comm's ")": field 3 (state) is index 0.
const UTIME = 14 - 3;
const STIME = 15 - 3;
const NUM_THREADS = 20 - 3;
const RSS = 24 - 3;

/** A non-negative integer field, or an Error naming the field. */
function count(value: string | undefined, name: string, text: string): number {
  if (value === undefined || !/^\d+$/.test(value)) {
    throw new Error(`malformed /proc/<pid>/stat: field ${name} is ${value === undefined ? 'missing' : `"${value}"`} in ${JSON.stringify(text.slice(0, 200))}`);
  }
  return Number(value);
}

/** Parses /proc/<pid>/stat into the fields resource monitoring needs. */
export function parseProcStatUsage(text: string): ProcStatUsage {
  const base = parseProcStat(text);
  const rest = text.slice(text.lastIndexOf(')') + 1).trim().split(/\s+/);
  return {
    pid: base.pid,
    ppid: base.ppid,
    pgid: base.pgid,
    state: base.state,
    startTicks: base.startTicks,
    cpuTicks: count(rest[UTIME], 'utime', text) + count(rest[STIME], 'stime', text),
    threads: count(rest[NUM_THREADS], 'num_threads', text),
    rssPages: count(rest[RSS], 'rss', text),
  };
}

/** Parses /proc/uptime: the seconds since boot (its first number). */
export function parseUptime(text: string): number {
  const first = text.trim().split(/\s+/)[0] ?? '';
  if (!/^\d+(\.\d+)?$/.test(first)) throw new Error(`malformed /proc/uptime: ${JSON.stringify(text.slice(0, 100))}`);
  return Number(first);
}

/** The page size from one process's RSS in bytes and in pages: the nearest power of two of their ratio, 4096 when unclear. */
export function pageSizeFromRss(rssBytes: number, rssPages: number): number {
  if (!(rssPages > 0) || !(rssBytes > 0)) return 4096;
  const size = 2 ** Math.round(Math.log2(rssBytes / rssPages));
  return size >= 4096 && size <= 65536 ? size : 4096;
}

let cachedPageSize: number | undefined;

/**
 * The kernel's page size, measured once: Node computes process.memoryUsage.rss() as the rss
 * field of /proc/self/stat times getpagesize(), so their ratio is the page size (4096 on x86-64,
 * 16 K or 64 K on some arm64 kernels) without spawning `getconf`.
 */
export function pageSize(): number {
  if (cachedPageSize === undefined) {
    try {
      const pages = parseProcStatUsage(readFileSync('/proc/self/stat', 'utf8')).rssPages;
      cachedPageSize = pageSizeFromRss(process.memoryUsage.rss(), pages);
    } catch {
      cachedPageSize = 4096;
    }
  }
  return cachedPageSize;
}

/** True for the errors of a process that exited between listing and reading. */
function vanished(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ESRCH';
}

/** Reads and parses /proc/<pid>/stat, or null when the process is gone. */
function readUsage(pid: number): ProcStatUsage | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.trim() === '' ? null : parseProcStatUsage(text);
  } catch (error) {
    if (vanished(error)) return null;
    throw error;
  }
}

/** Reads every process's stat once: the whole table with what monitoring needs. */
export async function readProcSnapshot(): Promise<ProcSnapshot> {
  const atMs = performance.now();
  const uptimeSec = parseUptime(readFileSync('/proc/uptime', 'utf8'));
  const pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name)).map(Number);
  const processes = (await inChunks(pids, readUsage)).filter((p): p is ProcStatUsage => p !== null);
  return { uptimeSec, atMs, processes };
}

/** How many fds a process has open; null when not permitted (another user's process), 0 when it is gone. */
export function countOpenFds(pid: number): number | null {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException | null)?.code;
    if (code === 'EACCES' || code === 'EPERM') return null;
    if (vanished(error)) return 0;
    throw error;
  }
}

/** The history key of one process: a recycled pid has another start time, so it never inherits CPU history. */
export function cpuKey(p: Pick<ProcStatUsage, 'pid' | 'startTicks'>): string {
  return `${p.pid}@${p.startTicks}`;
}

/**
 * CPU % of one process (100 = one core): its ticks since the previous reading over the time
 * between, or, for a process seen for the first time, its ticks since it started over its age.
 * Capped at 100 per thread, which tick rounding can otherwise overshoot.
 */
export function processCpuPercent(p: ProcStatUsage, snapshot: ProcSnapshot, previous: CpuHistory | null, hz = CLOCK_TICKS_PER_SEC): number {
  const before = previous?.ticks.get(cpuKey(p));
  let percent: number;
  if (previous && before !== undefined) {
    const seconds = (snapshot.atMs - previous.atMs) / 1000;
    percent = seconds > 0 ? (Math.max(0, p.cpuTicks - before) / hz / seconds) * 100 : 0;
  } else {
    const ageSec = snapshot.uptimeSec - p.startTicks / hz;
    percent = ageSec > 0 ? (p.cpuTicks / hz / ageSec) * 100 : 0;
  }
  return Math.min(percent, Math.max(1, p.threads) * 100);
}

/** A snapshot's processes by pid, and as the process table the tree walk takes. */
export interface SnapshotIndex {
  byPid: ReadonlyMap<number, ProcStatUsage>;
  table: ProcessInfo[];
}

/** Indexes a snapshot once for all the trees read from it. */
export function indexSnapshot(snapshot: ProcSnapshot): SnapshotIndex {
  return {
    byPid: new Map(snapshot.processes.map((p) => [p.pid, p])),
    // start ticks, not ProcessInfo.startTime, tell processes apart here
    table: snapshot.processes.map((p) => ({ pid: p.pid, ppid: p.ppid, pgid: p.pgid, state: p.state, startTime: null })),
  };
}

/** The processes of a watched tree in a snapshot (root, its group, its descendants), or null when the root is gone or its pid was recycled. */
export function treeOf(root: UsageRoot, snapshot: ProcSnapshot, index: SnapshotIndex = indexSnapshot(snapshot)): ProcStatUsage[] | null {
  const self = index.byPid.get(root.pid);
  if (!self || self.state === 'X' || (root.identity !== null && self.startTicks !== root.identity)) return null;
  return treeMembers(root.pid, index.table)
    .map((m) => index.byPid.get(m.pid))
    .filter((p): p is ProcStatUsage => p !== undefined);
}

/**
 * Sums one tree: CPU, RSS, threads and fds of its live processes; zombies only listed. `fds`
 * gives each live member's open fd count (null when unreadable); the sum is null only when
 * none was readable. RSS counts pages shared between members (after fork) once per member,
 * as ps and top do.
 */
export function sumTree(
  members: readonly ProcStatUsage[],
  rootStartTicks: number,
  snapshot: ProcSnapshot,
  previous: CpuHistory | null,
  fds: ReadonlyMap<number, number | null>,
  bytesPerPage: number,
  hz = CLOCK_TICKS_PER_SEC,
): TreeUsage {
  const usage: TreeUsage = { identity: rootStartTicks, cpuPercent: 0, memoryMB: 0, threads: 0, fileHandles: null, processes: 0, pids: [], zombiePids: [] };
  let rssPages = 0;
  let threads = 0;
  for (const p of members) {
    if (p.state === 'Z') {
      usage.zombiePids.push(p.pid);
      continue;
    }
    usage.pids.push(p.pid);
    usage.processes++;
    usage.cpuPercent += processCpuPercent(p, snapshot, previous, hz);
    rssPages += p.rssPages;
    threads += p.threads;
    const open = fds.get(p.pid);
    if (typeof open === 'number') usage.fileHandles = (usage.fileHandles ?? 0) + open;
  }
  usage.memoryMB = (rssPages * bytesPerPage) / (1024 * 1024);
  usage.threads = threads;
  return usage;
}

/** Reads the usage of many trees per call, remembering CPU ticks between calls (create one per sampler). */
export class ProcUsageReader implements UsageReader {
  private previous: CpuHistory | null = null;

  /** One /proc scan, then each root's tree summed; null for a root that is gone. */
  async read(roots: readonly UsageRoot[]): Promise<(TreeUsage | null)[]> {
    const snapshot = await readProcSnapshot();
    const index = indexSnapshot(snapshot);
    const byPid = index.byPid;
    const trees = roots.map((root) => treeOf(root, snapshot, index));
    const live = [...new Set(trees.flatMap((t) => (t ?? []).filter((p) => p.state !== 'Z').map((p) => p.pid)))];
    const counts = await inChunks(live, countOpenFds);
    const fds = new Map(live.map((pid, i) => [pid, counts[i] ?? null]));
    const bytesPerPage = pageSize();
    const result = trees.map((members, i) => {
      const root = byPid.get(roots[i]!.pid);
      return members && root ? sumTree(members, root.startTicks, snapshot, this.previous, fds, bytesPerPage) : null;
    });
    const ticks = new Map<string, number>();
    for (const members of trees) for (const p of members ?? []) ticks.set(cpuKey(p), p.cpuTicks);
    this.previous = { atMs: snapshot.atMs, ticks };
    return result;
  }
}
