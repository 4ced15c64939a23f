// Pure parser of macOS `ps -E` output: the processes that carry an agent's marker variables.
// macOS lets a user read the environment of their own processes only through sysctl(KERN_PROCARGS2),
// which `ps -E` prints after the arguments in the command column, as `KEY=value` entries separated
// by single spaces, unquoted. A value may therefore hold spaces (the default data directory is
// ".../Application Support/Agent Tray"), so the data directory is matched as the exact text that
// follows its key, up to the next `KEY=` entry or the end of the line; names and run ids never hold spaces.
import { AGENT_MARKER_VARIABLE, DATA_DIR_VARIABLE, RUN_ID_VARIABLE, type MarkedProcess, type MarkerFilter } from './marker-variables.js';
import { parseLstart, systemLocalTime, type LocalTimeFn } from './ps-output.js';

/** A row: pid, ppid, lstart (`Sun Nov 22 13:34:19 2026`), then the command with its environment. */
const ROW = /^\s*(\d+)\s+(\d+)\s+([A-Za-z]{3}\s+[A-Za-z]{3}\s+\d{1,2}\s+\d{1,2}:\d{2}:\d{2}\s+\d{4})\s(.*)$/;

/** The command that lists the processes of real user `uid` (with or without a terminal) with their environment, unabridged. */
export function psEnvironmentCommand(uid: number): { command: string; args: string[] } {
  if (!Number.isInteger(uid) || uid < 0) throw new Error(`not a user id: ${uid}`);
  return { command: 'ps', args: ['-E', '-ww', '-x', '-U', String(uid), '-o', 'pid=,ppid=,lstart=,command='] };
}

/** The command that prints the command lines (without environment) of the given pids. */
export function psCommandLinesCommand(pids: readonly number[]): { command: string; args: string[] } {
  if (pids.length === 0 || pids.some((pid) => !Number.isInteger(pid) || pid <= 0)) throw new Error(`not process ids: ${pids.join(',')}`);
  return { command: 'ps', args: ['-ww', '-o', 'pid=,command=', '-p', pids.join(',')] };
}

/** The text after the last ` KEY=` of `line` (the environment follows the arguments, so the last one is the variable), or null. */
function afterKey(line: string, key: string): string | null {
  const at = line.lastIndexOf(` ${key}=`);
  return at < 0 ? null : line.slice(at + key.length + 2);
}

/** A value that holds no spaces: the text after its key up to the next space. */
function wordAfter(line: string, key: string): string | null {
  const rest = afterKey(line, key);
  if (rest === null) return null;
  const end = rest.indexOf(' ');
  return end < 0 ? rest : rest.slice(0, end);
}

/**
 * Whether the data directory variable of `line` is exactly `dataDir` (which may hold spaces): its text is
 * followed by the end of the line or by the next `KEY=` entry (so `.../Agent Tray 2` is another directory).
 */
function hasDataDir(line: string, dataDir: string): boolean {
  const rest = afterKey(line, DATA_DIR_VARIABLE);
  if (rest === null || !rest.startsWith(dataDir)) return false;
  const after = rest.slice(dataDir.length);
  return after === '' || /^ [^ =]+=/.test(after);
}

/**
 * Parses the output of psEnvironmentCommand() into the processes that carry the marker variables of `filter`.
 * Their command lines are left null: the command column mixes arguments and environment, and where one ends is
 * not known (ask psCommandLinesCommand() for the matches).
 */
export function parsePsEnvironment(text: string, filter: MarkerFilter, localTime: LocalTimeFn = systemLocalTime): MarkedProcess[] {
  const found: MarkedProcess[] = [];
  for (const raw of text.split('\n')) {
    if (!raw.includes(AGENT_MARKER_VARIABLE)) continue; // most rows: not ours, not worth a regex
    const match = ROW.exec(raw.replace(/\r$/, ''));
    if (!match) continue;
    const [, pid, ppid, lstart, line] = match as unknown as [string, string, string, string, string];
    const name = wordAfter(line, AGENT_MARKER_VARIABLE);
    if (!name || (filter.name !== undefined && name !== filter.name) || !hasDataDir(line, filter.dataDir)) continue;
    found.push({
      pid: Number(pid),
      ppid: Number(ppid),
      name,
      runId: wordAfter(line, RUN_ID_VARIABLE) || null,
      startTime: parseLstart(lstart, localTime),
      commandLine: null,
    });
  }
  return found;
}

/** Parses the output of psCommandLinesCommand(): pid to command line. */
export function parsePsCommandLines(text: string): Map<number, string> {
  const lines = new Map<number, string>();
  for (const raw of text.split('\n')) {
    const match = /^\s*(\d+)\s(.*)$/.exec(raw.replace(/\r$/, ''));
    if (match?.[2]?.trim()) lines.set(Number(match[1]), match[2].trim());
  }
  return lines;
}
