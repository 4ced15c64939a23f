// What a person weighs before stopping an orphan: when it started and how much memory its tree
// holds. Read once per listing (one /proc scan on Linux, one ps table and pidusage batch on macOS);
// Windows gives the start time only (its memory readings come from the resident helper that
// samples supervised agents, not started for a one-off list).
import type { Orphan } from '../../shared/discovery.js';
import { readPidusageUsage } from './monitor/pidusage-usage.js';
import { ProcUsageReader } from './monitor/proc-usage.js';
import type { TreeUsage } from './monitor/sampler.js';
import { processStartTime } from './platform/process-table.js';

/** Each orphan's tree memory in MB, in order; null where it is gone or the platform is not read. */
async function treeMemory(pids: readonly number[], platform: NodeJS.Platform): Promise<(number | null)[]> {
  if (pids.length === 0 || platform === 'win32') return pids.map(() => null);
  const roots = pids.map((pid) => ({ pid, identity: null }));
  const usage: (TreeUsage | null)[] = await (platform === 'linux' ? new ProcUsageReader().read(roots) : readPidusageUsage(roots, platform)).catch(() => roots.map(() => null));
  return usage.map((u) => (u ? Math.round(u.memoryMB * 10) / 10 : null));
}

/** The orphans with `startedAt` and `memoryMB` filled in where the platform tells them (null where not). */
export async function describeOrphans(orphans: readonly Orphan[], platform: NodeJS.Platform = process.platform): Promise<Orphan[]> {
  const [memory, started] = await Promise.all([
    treeMemory(orphans.map((o) => o.pid), platform),
    Promise.all(orphans.map((o) => processStartTime(o.pid, platform).catch(() => null))),
  ]);
  return orphans.map((o, i) => ({ ...o, startedAt: started[i] ?? null, memoryMB: memory[i] ?? null }));
}
