// Pure parser of `ps` output (macOS and other BSD-style systems): the process table and lstart times.
import type { ProcessInfo } from './process-table.js';

/** Turns local calendar fields (month 0-11) into epoch ms; injectable so tests do not depend on the host's time zone. */
export type LocalTimeFn = (year: number, monthIndex: number, day: number, hours: number, minutes: number, seconds: number) => number;

/** The host's local time zone, as `ps` uses it. */
export const systemLocalTime: LocalTimeFn = (year, monthIndex, day, hours, minutes, seconds) =>
  new Date(year, monthIndex, day, hours, minutes, seconds).getTime();

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

const LSTART = /^[A-Za-z]{3}\s+([A-Za-z]{3})\s+(\d{1,2})\s+(\d{1,2}):(\d{2}):(\d{2})\s+(\d{4})$/;
const ROW = /^(\d+)\s+(\d+)\s+(\d+)\s+(\S+)\s+(.+)$/;

/** The command that lists every process as `pid ppid pgid stat lstart` without a header (run it with LC_ALL=C). */
export function psTableCommand(): { command: string; args: string[] } {
  return { command: 'ps', args: ['-A', '-o', 'pid=,ppid=,pgid=,stat=,lstart='] };
}

/** The command that prints one process's lstart, or nothing (exit 1) when it does not exist (run it with LC_ALL=C). */
export function psStartTimeCommand(pid: number): { command: string; args: string[] } {
  if (!Number.isInteger(pid) || pid <= 0) throw new Error(`not a process id: ${pid}`);
  return { command: 'ps', args: ['-o', 'lstart=', '-p', String(pid)] };
}

/** Parses an lstart value such as `Sun Nov 22 13:34:19 2026` (C locale, local time) into epoch ms. */
export function parseLstart(text: string, localTime: LocalTimeFn = systemLocalTime): number {
  const match = LSTART.exec(text.trim());
  const monthIndex = match ? MONTHS.indexOf((match[1] ?? '').toLowerCase()) : -1;
  if (!match || monthIndex < 0) throw new Error(`malformed ps lstart: ${JSON.stringify(text)}`);
  const [, , day, hours, minutes, seconds, year] = match;
  return localTime(Number(year), monthIndex, Number(day), Number(hours), Number(minutes), Number(seconds));
}

/** Parses the output of psTableCommand() into one ProcessInfo per line; the state is STAT's first letter. */
export function parsePsTable(text: string, localTime: LocalTimeFn = systemLocalTime): ProcessInfo[] {
  const table: ProcessInfo[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    const match = ROW.exec(line);
    if (!match) throw new Error(`malformed ps line: ${JSON.stringify(line)}`);
    const [, pid, ppid, pgid, stat, lstart] = match;
    table.push({
      pid: Number(pid),
      ppid: Number(ppid),
      pgid: Number(pgid),
      state: (stat ?? '?').charAt(0),
      startTime: parseLstart(lstart ?? '', localTime),
    });
  }
  return table;
}
