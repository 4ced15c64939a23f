// The operating system's process table: every process with parent, group, state and start time; liveness checks.
import { runCommand } from './run-command.js';
import { readFileSync, readdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { inChunks } from './in-chunks.js';
import { parseBootTime, parseProcStat, startTimeMs, type ProcStat } from './proc-stat.js';
import { parseLstart, parsePsTable, psStartTimeCommand, psTableCommand } from './ps-output.js';
import { helperOrDefault, winProcessTable, winStartTime } from './win-facts.js';
import { WIN_HELPER_EXE, type WinHelper } from './win-helper.js';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  pgid: number | null;
  /** One letter as in /proc or ps; 'Z' is a zombie. */
  state: string;
  /** Creation time in epoch ms. */
  startTime: number | null;
}

let cachedBootTimeSec: number | undefined;

/** Boot time in seconds since the epoch, read once: the kernel recomputes btime on each read and it may jitter. */
async function bootTime(): Promise<number> {
  cachedBootTimeSec ??= parseBootTime(await readFile('/proc/stat', 'utf8'));
  return cachedBootTimeSec;
}

/** The same as bootTime(), synchronously. */
function bootTimeSync(): number {
  cachedBootTimeSec ??= parseBootTime(readFileSync('/proc/stat', 'utf8'));
  return cachedBootTimeSec;
}

/** True for the errors of a process that exited between listing and reading. */
function vanished(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ESRCH';
}

/** True for a positive integer, the only values that name one process. */
function isPid(pid: number): boolean {
  return Number.isInteger(pid) && pid > 0;
}

/** A ProcessInfo from parsed /proc/<pid>/stat. */
function fromProcStat(stat: ProcStat, bootSec: number): ProcessInfo {
  return { pid: stat.pid, ppid: stat.ppid, pgid: stat.pgid, state: stat.state, startTime: startTimeMs(stat.startTicks, bootSec) };
}

/** Parsed /proc/<pid>/stat text, or null when the process is gone (an exiting process may yield empty text). */
function parseOrGone(text: string): ProcStat | null {
  return text.trim() === '' ? null : parseProcStat(text);
}

/** The numeric entries of a /proc listing. */
function pidEntries(names: string[]): number[] {
  return names.filter((name) => /^\d+$/.test(name)).map(Number);
}

/** Reads /proc/<pid>/stat, or null when the process does not exist. */
async function readProcStat(pid: number): Promise<ProcStat | null> {
  try {
    return parseOrGone(await readFile(`/proc/${pid}/stat`, 'utf8'));
  } catch (error) {
    if (vanished(error)) return null;
    throw error;
  }
}

/** Reads /proc/<pid>/stat synchronously, or null when the process does not exist. */
function readProcStatSync(pid: number): ProcStat | null {
  try {
    return parseOrGone(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch (error) {
    if (vanished(error)) return null;
    throw error;
  }
}

/** Runs a command without a window and with C-locale output; resolves with its stdout. */
function run(command: string, args: string[], timeoutMs = 15_000): Promise<string> {
  return runCommand(command, args, { timeoutMs });
}

/** Every process on Linux, from /proc, read synchronously a batch at a time (see in-chunks.ts). */
async function readLinuxTable(): Promise<ProcessInfo[]> {
  const bootSec = await bootTime();
  const stats = await inChunks(pidEntries(readdirSync('/proc')), readProcStatSync);
  return stats.filter((stat): stat is ProcStat => stat !== null).map((stat) => fromProcStat(stat, bootSec));
}

/** Every process: /proc on Linux, `ps` on macOS and other POSIX systems, the helper's `list` on Windows (none without it). */
export async function readProcessTable(platform: NodeJS.Platform = process.platform, helper?: WinHelper | null): Promise<ProcessInfo[]> {
  if (platform === 'linux') return readLinuxTable();
  if (platform === 'win32') {
    const h = helperOrDefault(helper);
    if (h) return winProcessTable(h);
    throw new Error(`the process table is not read on Windows without ${WIN_HELPER_EXE}: taskkill /T walks the process tree there`);
  }
  const { command, args } = psTableCommand();
  return parsePsTable(await run(command, args));
}

/** Every process, synchronously, from /proc (Linux only): a snapshot taken right before signalling. */
export function readProcessTableSync(): ProcessInfo[] {
  if (process.platform !== 'linux') {
    throw new Error(`readProcessTableSync reads /proc and works on Linux only, not ${process.platform}; use readProcessTable`);
  }
  const bootSec = bootTimeSync();
  const table: ProcessInfo[] = [];
  for (const pid of pidEntries(readdirSync('/proc'))) {
    const stat = readProcStatSync(pid);
    if (stat) table.push(fromProcStat(stat, bootSec));
  }
  return table;
}

/** The PowerShell command that prints a process's creation time as an ISO UTC timestamp, or nothing if it does not exist. */
export function win32StartTimeCommand(pid: number): { command: string; args: string[] } {
  if (!isPid(pid)) throw new Error(`not a process id: ${pid}`);
  const script =
    `$p = Get-CimInstance Win32_Process -Filter 'ProcessId=${pid}'; ` +
    `if ($p) { $p.CreationDate.ToUniversalTime().ToString('o') }`;
  return { command: 'powershell.exe', args: ['-NoProfile', '-NonInteractive', '-Command', script] };
}

const ISO_TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:\d{2})?$/;

/** Parses the output of win32StartTimeCommand: epoch ms (fraction truncated to ms), or null for empty output. */
export function parseWin32StartTime(text: string): number | null {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') return null;
  const match = ISO_TIMESTAMP.exec(trimmed);
  if (!match) throw new Error(`malformed process creation time from PowerShell: ${JSON.stringify(trimmed.slice(0, 200))}`);
  const [, year, month, day, hours, minutes, seconds, fraction = '', zone = 'Z'] = match;
  const ms = Number(fraction.slice(0, 3).padEnd(3, '0'));
  const utc = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hours), Number(minutes), Number(seconds), ms);
  if (zone === 'Z') return utc;
  const sign = zone.startsWith('-') ? -1 : 1;
  const offsetMin = Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6));
  return utc - sign * offsetMin * 60_000;
}

/** A process's creation time in epoch ms, or null if it does not exist. Windows: the helper's `info`, PowerShell without it. */
export async function processStartTime(pid: number, platform: NodeJS.Platform = process.platform, helper?: WinHelper | null): Promise<number | null> {
  if (!isPid(pid)) return null;
  if (platform === 'linux') {
    const stat = await readProcStat(pid);
    return stat ? startTimeMs(stat.startTicks, await bootTime()) : null;
  }
  if (platform === 'win32') {
    const h = helperOrDefault(helper);
    if (h) {
      const fromHelper = await winStartTime(h, pid).then(
        (ms) => ({ ms }),
        () => null, // the helper failed: PowerShell still knows
      );
      if (fromHelper) return fromHelper.ms;
    }
    const { command, args } = win32StartTimeCommand(pid);
    return parseWin32StartTime(await run(command, args, 30_000));
  }
  const { command, args } = psStartTimeCommand(pid);
  let out: string;
  try {
    out = await run(command, args);
  } catch (error) {
    const { code, stdout } = error as { code?: unknown; stdout?: string };
    if (code === 1 && !stdout?.trim()) return null; // ps: no such process
    throw error;
  }
  return out.trim() === '' ? null : parseLstart(out);
}

/** Whether a process exists and is not a zombie (on Linux a zombie that nobody reaps still answers kill(pid, 0)). */
export function isProcessAlive(pid: number, platform: NodeJS.Platform = process.platform): boolean {
  if (!isPid(pid)) return false;
  if (platform === 'linux') {
    try {
      const stat = readProcStatSync(pid);
      return stat !== null && stat.state !== 'Z' && stat.state !== 'X';
    } catch {
      // /proc unreadable (e.g. hidepid): fall back to the signal check below.
    }
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
