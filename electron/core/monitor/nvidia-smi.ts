// Pure parsers for nvidia-smi's CSV queries (noheader, nounits): per-process GPU memory and per-GPU totals.

/** One compute process as nvidia-smi lists it; usedMB null where the driver reports no figure ([N/A] under WDDM or MIG). */
export interface ComputeApp {
  pid: number;
  usedMB: number | null;
}

/** One GPU's memory; a figure nvidia-smi does not report is null. */
export interface GpuMemory {
  index: number;
  totalMB: number | null;
  usedMB: number | null;
}

/** The arguments of the per-process query. */
export const COMPUTE_APPS_ARGS = ['--query-compute-apps=pid,used_memory', '--format=csv,noheader,nounits'] as const;
/** The arguments of the per-GPU query. */
export const GPUS_ARGS = ['--query-gpu=index,memory.total,memory.used', '--format=csv,noheader,nounits'] as const;

/** The non-empty lines of an output, CRLF or LF, each split at commas and trimmed. */
function rows(text: string): string[][] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line.length > 0)
    .map((line) => line.split(',').map((cell) => cell.trim()));
}

/** A MiB figure; null for a bracketed placeholder ([N/A], [Not Supported], [Insufficient Permissions]) or anything not a number. */
function megabytes(cell: string | undefined): number | null {
  if (cell === undefined || !/^\d+(\.\d+)?$/.test(cell)) return null;
  return Number(cell);
}

/** A non-negative integer cell, or null. */
function integer(cell: string | undefined): number | null {
  return cell !== undefined && /^\d+$/.test(cell) ? Number(cell) : null;
}

/** Parses `--query-compute-apps=pid,used_memory` output; empty output means no compute process. Lines without a pid are skipped. */
export function parseComputeApps(text: string): ComputeApp[] {
  const apps: ComputeApp[] = [];
  for (const [pidCell, usedCell] of rows(text)) {
    const pid = integer(pidCell);
    if (pid === null || pid === 0) continue;
    apps.push({ pid, usedMB: megabytes(usedCell) });
  }
  return apps;
}

/** Parses `--query-gpu=index,memory.total,memory.used` output; lines without an index are skipped. */
export function parseGpus(text: string): GpuMemory[] {
  const gpus: GpuMemory[] = [];
  for (const [indexCell, totalCell, usedCell] of rows(text)) {
    const index = integer(indexCell);
    if (index === null) continue;
    gpus.push({ index, totalMB: megabytes(totalCell), usedMB: megabytes(usedCell) });
  }
  return gpus;
}

/**
 * The GPU memory of a set of pids (one agent's process tree), summed over every GPU they use:
 * 0 when none of them is listed, null when one of them is listed without a figure (n/a, not 0).
 */
export function gpuMemoryOf(apps: readonly ComputeApp[], pids: Iterable<number>): number | null {
  const wanted = new Set(pids);
  let total = 0;
  for (const app of apps) {
    if (!wanted.has(app.pid)) continue;
    if (app.usedMB === null) return null;
    total += app.usedMB;
  }
  return total;
}
