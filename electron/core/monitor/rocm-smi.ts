// Pure parser for `rocm-smi --showpids` (AMD GPUs under ROCm): the VRAM each compute (KFD) process uses.
import type { ComputeApp } from './nvidia-smi.js';

/** The arguments of the per-process query. */
export const SHOWPIDS_ARGS = ['--showpids'] as const;

/** The line above the table (with a colon in ROCm 6, without in some 5.x releases). */
const TABLE_TITLE = /^KFD process information:?\s*$/;
/** What rocm-smi prints instead of the table when no process uses a GPU. */
const NO_PROCESS = 'No KFD PIDs currently running';
const BYTES_PER_MIB = 1024 * 1024;

/** VRAM in MiB from a byte count; null for UNKNOWN (the driver gives no per-process figure) or anything not a number. */
function vramMiB(cell: string | undefined): number | null {
  if (cell === undefined || !/^\d+$/.test(cell)) return null;
  return Math.round((Number(cell) / BYTES_PER_MIB) * 10) / 10;
}

/**
 * Parses `rocm-smi --showpids`: one entry per process with its VRAM summed over its GPUs (MiB),
 * usedMB null where rocm-smi says UNKNOWN. Columns are tab- or space-separated depending on the
 * release, and a process name may hold spaces, so the pid is the first cell and the VRAM the third
 * from the end (then SDMA USED and CU OCCUPANCY). Throws on output without the table or the
 * "no process" line (an older rocm-smi that lists bare pids, an error), so that it reads as unknown, not as 0.
 */
export function parseShowPids(text: string): ComputeApp[] {
  const lines = text.split(/\r?\n/).map((line) => line.trim());
  const title = lines.findIndex((line) => TABLE_TITLE.test(line));
  if (title === -1) {
    if (lines.some((line) => line.includes(NO_PROCESS))) return [];
    throw new Error('rocm-smi --showpids printed no "KFD process information" table');
  }
  const header = lines[title + 1] ?? '';
  if (!/^PID\s/.test(header) || !header.includes('VRAM USED')) throw new Error(`rocm-smi --showpids printed an unknown table header: ${header}`);
  const apps: ComputeApp[] = [];
  for (const line of lines.slice(title + 2)) {
    if (line.startsWith('=')) break;
    const cells = line.split(/\s+/);
    // pid, a name of one word or more, GPU(s), VRAM USED, SDMA USED, CU OCCUPANCY
    if (cells.length < 6 || !/^\d+$/.test(cells[0] ?? '')) continue;
    const pid = Number(cells[0]);
    if (pid === 0) continue;
    apps.push({ pid, usedMB: vramMiB(cells[cells.length - 3]) });
  }
  return apps;
}
