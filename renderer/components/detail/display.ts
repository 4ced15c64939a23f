// How the detail view writes times, command lines and run endings. Pure functions.
import { formatClock, MASK } from '../../store/format.js';
import type { RunEnding, RunStartedBy } from '../../../shared/history.js';

const pad = (n: number) => String(n).padStart(2, '0');

/** A moment: the time of day when it is today (by `now`), else the date and the time. */
export function formatWhen(epochMs: number, now: number): string {
  const d = new Date(epochMs);
  const today = new Date(now);
  if (d.getFullYear() === today.getFullYear() && d.getMonth() === today.getMonth() && d.getDate() === today.getDate()) return formatClock(epochMs);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** An argument as a POSIX shell would need it written (quoted when it has spaces or special characters); masked secrets stay as they are. */
export function quoteArg(arg: string): string {
  if (arg === '') return "''";
  if (/^[\w@%+=:,./-]+$/.test(arg) || arg.includes(MASK)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** A command line for display: the program, then its (already masked) arguments. */
export function commandLine(command: string, args: readonly string[]): string {
  return [command, ...args].map(quoteArg).join(' ');
}

const ENDINGS: Record<RunEnding, string> = {
  exited: 'exited',
  crashed: 'crashed',
  'stopped-by-user': 'stopped',
  'killed-by-user': 'killed',
  limit: 'stopped at a limit',
  health: 'stopped as unhealthy',
  'host-lost': 'Agent Tray lost track of it',
  idle: 'stopped when idle',
};

/** How a run ended, in words. */
export function endingText(ending: RunEnding, exitCode: number | null, signal: string | null): string {
  const how = ENDINGS[ending];
  if (signal) return `${how} (${signal})`;
  if (exitCode !== null) return `${how} (exit ${exitCode})`;
  return how;
}

const STARTERS: Record<RunStartedBy, string> = { user: 'by you', autostart: 'at launch', restart: 'by a restart', adopted: 'adopted', 'on-demand': 'by a client (on demand)' };

/** Who started a run, in words. */
export function startedByText(by: RunStartedBy): string {
  return STARTERS[by];
}
