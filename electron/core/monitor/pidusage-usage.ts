// macOS and Windows: CPU and memory of every watched tree from one batched pidusage call per tick.
import type pidusage from 'pidusage';
import { readProcessTable, type ProcessInfo } from '../platform/process-table.js';
import { treeMembers } from '../stop-tree.js';
import type { TreeUsage, UsageReader, UsageRoot } from './sampler.js';

/**
 * How far two readings of one process's creation time may differ and still name the same
 * process: Windows reports it to the microsecond, but pidusage elsewhere derives it from
 * uptimes and wall clocks that disagree by some ms.
 */
const SAME_START_MS = 1000;

/** pidusage's answer for a batch; a pid that does not exist is missing (pidusage rejects with ENOENT when it was alone). */
async function readBatch(pids: number[]): Promise<Record<number, pidusage.Status | undefined>> {
  if (pids.length === 0) return {};
  try {
    // pidusage rewrites the array it is given; never call pidusage.clear(): it forgets the
    // per-pid history without closing the /proc fds that history holds open on Linux.
    // loaded on first use: Linux reads /proc itself and never needs it
    const { default: read } = await import('pidusage');
    return await read([...pids]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException | null)?.code === 'ENOENT') return {};
    throw error;
  }
}

/** The tree of each root from a process table; null where the root is gone or its pid was recycled. */
function treesFromTable(roots: readonly UsageRoot[], table: ProcessInfo[]): ({ identity: number | null; members: ProcessInfo[] } | null)[] {
  const byPid = new Map(table.map((p) => [p.pid, p]));
  return roots.map((root) => {
    const self = byPid.get(root.pid);
    if (!self || self.state === 'X') return null;
    if (root.identity !== null && self.startTime !== null && Math.abs(self.startTime - root.identity) > SAME_START_MS) return null;
    return { identity: self.startTime, members: treeMembers(root.pid, table) };
  });
}

/** Sums pidusage readings over a tree's live members; zombies are only listed. */
function sumReadings(identity: number | null, members: readonly { pid: number; zombie: boolean }[], stats: Record<number, pidusage.Status | undefined>): TreeUsage {
  const usage: TreeUsage = { identity, cpuPercent: 0, memoryMB: 0, threads: null, fileHandles: null, processes: 0, pids: [], zombiePids: [] };
  for (const m of members) {
    if (m.zombie) {
      usage.zombiePids.push(m.pid);
      continue;
    }
    const s = stats[m.pid];
    if (!s) continue; // exited since the table was read
    usage.pids.push(m.pid);
    usage.processes++;
    // pidusage keys its CPU history by pid alone, so a recycled pid can yield a negative delta.
    usage.cpuPercent += Number.isFinite(s.cpu) ? Math.max(0, s.cpu) : 0;
    usage.memoryMB += s.memory / (1024 * 1024);
  }
  return usage;
}

/**
 * Reads every root's tree with ONE pidusage call for all of them. On macOS (and other POSIX
 * systems) the trees come from one `ps` table; on Windows only the roots are read: the table
 * is not read there (each read would be another PowerShell), so an agent's child processes
 * are not counted. Threads and file handles stay null: pidusage does not report them.
 */
export async function readPidusageUsage(roots: readonly UsageRoot[], platform: NodeJS.Platform = process.platform): Promise<(TreeUsage | null)[]> {
  if (roots.length === 0) return [];
  if (platform === 'win32') {
    const stats = await readBatch([...new Set(roots.map((r) => r.pid))]);
    return roots.map((root) => {
      const s = stats[root.pid];
      if (!s) return null;
      const identity = s.timestamp - s.elapsed; // creation time, epoch ms
      if (root.identity !== null && Math.abs(identity - root.identity) > SAME_START_MS) return null;
      return sumReadings(identity, [{ pid: root.pid, zombie: false }], stats);
    });
  }
  const trees = treesFromTable(roots, await readProcessTable(platform));
  const live = new Set<number>();
  for (const t of trees) for (const m of t?.members ?? []) if (m.state !== 'Z') live.add(m.pid);
  const stats = await readBatch([...live]);
  return trees.map((t, i) => {
    if (!t) return null;
    const members = t.members.map((m) => ({ pid: m.pid, zombie: m.state === 'Z' }));
    const root = members.find((m) => m.pid === roots[i]!.pid);
    if (!root?.zombie && !stats[roots[i]!.pid]) return null; // the root exited after the table was read
    return sumReadings(t.identity, members, stats);
  });
}

/** A UsageReader over pidusage for the given platform. */
export function pidusageReader(platform: NodeJS.Platform = process.platform): UsageReader {
  return { read: (roots) => readPidusageUsage(roots, platform) };
}
