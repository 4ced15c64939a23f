// Command lines of processes and the process list with command lines: /proc on Linux, ps on macOS, the helper on
// Windows (one CIM query through PowerShell without it).
import { runCommand } from './run-command.js';
import { readFile } from 'node:fs/promises';
import psList from 'ps-list';
import { parseWin32StartTime, readProcessTable } from './process-table.js';
import { helperOrDefault, winCommandLine, winProcessesWithCommandLines } from './win-facts.js';
import type { WinHelper } from './win-helper.js';

export interface ProcessWithCommandLine {
  pid: number;
  ppid: number;
  /** For display and substring matching; null when the system does not tell (kernel threads, protected processes). */
  commandLine: string | null;
  /** Creation time in epoch ms. */
  startTime: number | null;
}

/** Processes whose /proc/<pid>/cmdline are read at the same time. */
const READ_BATCH = 64;

/** The PowerShell script that prints processes (all, or one pid) as compressed JSON, in UTF-8 so non-ASCII paths survive. */
function win32ProcessScript(pid?: number): string {
  const filter = pid === undefined ? '' : ` -Filter 'ProcessId=${pid}'`;
  return (
    '[Console]::OutputEncoding = [System.Text.Encoding]::UTF8; ' +
    `Get-CimInstance Win32_Process${filter} | ` +
    'Select-Object ProcessId,ParentProcessId,CommandLine,CreationDate | ConvertTo-Json -Compress'
  );
}

/** True for a positive integer, the only values that name one process. */
function isPid(pid: number): boolean {
  return Number.isInteger(pid) && pid > 0;
}

/** Runs a command without a window in the user's locale (in the C locale macOS ps escapes non-ASCII characters of command lines). */
function run(command: string, args: string[], allowedExitCodes: number[] = [], timeoutMs = 30_000): Promise<string> {
  return runCommand(command, args, { allowedExitCodes, timeoutMs, cLocale: false });
}

/** Runs a PowerShell script without a profile and resolves with its output. */
function powershell(script: string): Promise<string> {
  return run('powershell.exe', ['-NoProfile', '-NonInteractive', '-Command', script]);
}

/** Parses /proc/<pid>/cmdline: argv split on NUL with the trailing NUL removed; null for an empty file (kernel thread, zombie). */
export function parseProcCmdline(buf: Buffer): string[] | null {
  if (buf.length === 0) return null;
  const text = buf.toString('utf8');
  return (text.endsWith('\0') ? text.slice(0, -1) : text).split('\0');
}

/** Joins argv into one string for display and substring matching (not for a shell): parts with whitespace, or empty, are double-quoted. */
export function joinCommandLine(argv: string[]): string {
  return argv.map((arg) => (arg === '' || /\s/.test(arg) ? `"${arg.replace(/"/g, '\\"')}"` : arg)).join(' ');
}

const DOTNET_DATE = /^\/Date\((-?\d+)(?:[+-]\d{4})?\)\/$/;

/** Parses a CreationDate of ConvertTo-Json: `/Date(ms)/` (Windows PowerShell 5.1), an ISO string (PowerShell 7), or null. */
function parseCreationDate(value: unknown): number | null {
  // A DateTime carrying note properties serializes as { value, DisplayHint, DateTime } in 5.1.
  if (value && typeof value === 'object' && 'value' in value) return parseCreationDate((value as { value: unknown }).value);
  if (typeof value !== 'string' || value === '') return null;
  const dotnet = DOTNET_DATE.exec(value);
  if (dotnet) return Number(dotnet[1]);
  return parseWin32StartTime(value);
}

/** An integer field of a Win32_Process JSON object, or an Error naming it. */
function intOf(record: Record<string, unknown>, key: string): number {
  const value = record[key];
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new Error(`malformed Win32_Process JSON: ${key} is ${JSON.stringify(value)} in ${JSON.stringify(record).slice(0, 200)}`);
  }
  return value;
}

/**
 * Parses `Get-CimInstance Win32_Process | Select-Object ProcessId,ParentProcessId,CommandLine,CreationDate |
 * ConvertTo-Json -Compress` output: an array, a single object (one process), or nothing (no process).
 * CommandLine is null for protected processes and processes of other users when not elevated.
 */
export function parseWin32ProcessJson(text: string): ProcessWithCommandLine[] {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch (error) {
    throw new Error(`malformed Win32_Process JSON from PowerShell: ${(error as Error).message}: ${JSON.stringify(trimmed.slice(0, 200))}`, { cause: error });
  }
  const records = Array.isArray(parsed) ? parsed : [parsed];
  return records.map((record: unknown) => {
    if (!record || typeof record !== 'object') throw new Error(`malformed Win32_Process JSON: ${JSON.stringify(record)}`);
    const r = record as Record<string, unknown>;
    return {
      pid: intOf(r, 'ProcessId'),
      ppid: intOf(r, 'ParentProcessId'),
      commandLine: typeof r.CommandLine === 'string' && r.CommandLine !== '' ? r.CommandLine : null,
      startTime: parseCreationDate(r.CreationDate),
    };
  });
}

/** Reads /proc/<pid>/cmdline: argv, null when it is empty or unreadable, undefined when the process is gone. */
async function readCmdline(pid: number): Promise<string[] | null | undefined> {
  try {
    return parseProcCmdline(await readFile(`/proc/${pid}/cmdline`));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH') return undefined;
    if (code === 'EACCES' || code === 'EPERM') return null;
    throw error;
  }
}

/**
 * A process's argv, or null when it does not exist or the system does not tell. On Linux the real argv from
 * /proc/<pid>/cmdline. On macOS (`ps -o command=`) and Windows (the helper's `info`, else Win32_Process.CommandLine)
 * the system keeps one string and argv boundaries are unknown: the result is that whole command line as the only element.
 */
export async function commandLineOf(pid: number, platform: NodeJS.Platform = process.platform, helper?: WinHelper | null): Promise<string[] | null> {
  if (!isPid(pid)) return null;
  if (platform === 'linux') return (await readCmdline(pid)) ?? null;
  if (platform === 'win32') {
    const h = helperOrDefault(helper);
    const fromHelper = h ? await winCommandLine(h, pid).then((line) => ({ line }), () => null) : null; // the helper failed: PowerShell
    if (fromHelper) return fromHelper.line ? [fromHelper.line] : null;
    const line = parseWin32ProcessJson(await powershell(win32ProcessScript(pid))).find((p) => p.pid === pid)?.commandLine;
    return line ? [line] : null;
  }
  // -ww: no truncation to a terminal width; exit 1 with no output: no such process.
  const line = (await run('ps', ['-ww', '-o', 'command=', '-p', String(pid)], [1])).replace(/\r?\n$/, '');
  return line.trim() === '' ? null : [line];
}

/** A process's command line as one string for display and matching: joined argv on Linux, the system's string elsewhere. */
export async function commandLineText(pid: number, platform: NodeJS.Platform = process.platform, helper?: WinHelper | null): Promise<string | null> {
  const argv = await commandLineOf(pid, platform, helper);
  if (!argv) return null;
  return platform === 'linux' ? joinCommandLine(argv) : argv.join(' ');
}

/** Every process with its command line on Linux: /proc/<pid>/stat for parents and start times, /proc/<pid>/cmdline. */
async function linuxProcesses(): Promise<ProcessWithCommandLine[]> {
  const table = await readProcessTable('linux');
  const result: ProcessWithCommandLine[] = [];
  for (let i = 0; i < table.length; i += READ_BATCH) {
    const batch = table.slice(i, i + READ_BATCH);
    const argvs = await Promise.all(batch.map((p) => readCmdline(p.pid)));
    batch.forEach((p, k) => {
      const argv = argvs[k];
      if (argv === undefined) return; // exited between the two reads
      result.push({ pid: p.pid, ppid: p.ppid, commandLine: argv ? joinCommandLine(argv) : null, startTime: p.startTime });
    });
  }
  return result;
}

/** Every process with its command line on macOS (and other POSIX systems), from ps-list (two `ps` calls). */
async function psListProcesses(): Promise<ProcessWithCommandLine[]> {
  return (await psList()).map((p) => ({
    pid: p.pid,
    ppid: p.ppid,
    commandLine: p.cmd ? p.cmd : null,
    startTime: p.startTime ? p.startTime.getTime() : null,
  }));
}

/** Every process with parent, command line and creation time; on Windows the helper's `list --command-lines`, else one PowerShell CIM query. */
export async function listProcesses(platform: NodeJS.Platform = process.platform, helper?: WinHelper | null): Promise<ProcessWithCommandLine[]> {
  if (platform === 'linux') return linuxProcesses();
  if (platform === 'win32') {
    const h = helperOrDefault(helper);
    const fromHelper = h ? await winProcessesWithCommandLines(h).catch(() => null) : null; // the helper failed: PowerShell
    return fromHelper ?? parseWin32ProcessJson(await powershell(win32ProcessScript()));
  }
  return psListProcesses();
}
