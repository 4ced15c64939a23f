// Every process that carries an agent's marker variables (AGENT_TRAY_AGENT, AGENT_TRAY_DATA_DIR,
// AGENT_TRAY_RUN_ID), wherever it went: daemons that double-forked and called setsid left the
// agent's tree and process group, but not its environment. Linux reads /proc/*/environ (no process
// spawned); macOS runs one `ps -E` over the user's processes; Windows asks the helper (`env`) per process.
// A scan reads one file per process (Linux) or runs ps (macOS): it belongs to stop, discovery and
// orphans, never to the sampling path (see the cost in the README).
import { execFile } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { joinCommandLine, parseProcCmdline } from './command-lines.js';
import { inChunks } from './in-chunks.js';
import { AGENT_MARKER_VARIABLE, DATA_DIR_VARIABLE, RUN_ID_VARIABLE, type MarkedProcess, type MarkerFilter } from './marker-variables.js';
import { parseProcStat } from './proc-stat.js';
import { envVarFromEnviron, readEnviron } from './process-env.js';
import { processStartTime } from './process-table.js';
import { parsePsCommandLines, parsePsEnvironment, psCommandLinesCommand, psEnvironmentCommand } from './ps-environment.js';

import { SharedTableReader } from './shared-process-table.js';
import { helperOrDefault, winMarkedProcesses } from './win-facts.js';
import type { WinHelper } from './win-helper.js';
export { AGENT_MARKER_VARIABLE, DATA_DIR_VARIABLE, RUN_ID_VARIABLE, type MarkedProcess, type MarkerFilter } from './marker-variables.js';

export interface MarkerScanOptions extends MarkerFilter {
  platform?: NodeJS.Platform;
  /** Windows: the helper that reads other processes' environments (undefined: the default one; null: none). */
  helper?: WinHelper | null;
}

/** The markers read from one environ, when they match the filter. */
interface EnvironHit {
  pid: number;
  name: string;
  runId: string | null;
}

/** The markers of process `pid` when it carries those of `filter` (its environ read once), else null. */
function markersOf(pid: number, filter: MarkerFilter): EnvironHit | null {
  const environ = readEnviron(pid);
  if (environ === null || environ.length === 0) return null; // gone, not ours to read, or a zombie / kernel thread
  const name = envVarFromEnviron(environ, AGENT_MARKER_VARIABLE);
  if (name === null || (filter.name !== undefined && name !== filter.name)) return null;
  if (envVarFromEnviron(environ, DATA_DIR_VARIABLE) !== filter.dataDir) return null;
  return { pid, name, runId: envVarFromEnviron(environ, RUN_ID_VARIABLE) || null };
}

/** Parent and command line of a live process from /proc (read synchronously), or null when it is gone or a zombie. */
function liveDetails(pid: number): { ppid: number; commandLine: string | null } | null {
  let stat: string;
  let cmdline: Buffer;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    cmdline = readFileSync(`/proc/${pid}/cmdline`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH') return null;
    throw error;
  }
  if (stat.trim() === '') return null;
  const parsed = parseProcStat(stat);
  if (parsed.state === 'Z' || parsed.state === 'X') return null;
  const argv = parseProcCmdline(cmdline);
  return { ppid: parsed.ppid, commandLine: argv ? joinCommandLine(argv) : null };
}

/** Linux: every /proc/<pid>/environ read once (a batch at a time); parent, command line and start time only for the hits. */
async function scanLinux(filter: MarkerFilter): Promise<MarkedProcess[]> {
  const pids = readdirSync('/proc').filter((entry) => /^\d+$/.test(entry)).map(Number).filter((pid) => pid !== process.pid);
  const hits = (await inChunks(pids, (pid) => markersOf(pid, filter))).filter((hit): hit is EnvironHit => hit !== null);
  const details = hits.map((hit) => liveDetails(hit.pid));
  // the start time as processStartTime() gives it everywhere else (one boot time for all), so that comparisons hold
  const startTimes = await Promise.all(hits.map((hit, i) => (details[i] ? processStartTime(hit.pid, 'linux') : null)));
  const found: MarkedProcess[] = [];
  hits.forEach((hit, i) => {
    const detail = details[i];
    const startTime = startTimes[i];
    if (detail && startTime !== null && startTime !== undefined) found.push({ ...hit, ...detail, startTime }); // else: exited since its environ was read
  });
  return found;
}

/** The environment for macOS ps: dates in the C locale (parseable lstart), characters in the user's (non-ASCII paths unescaped). */
function psLocaleEnv(): NodeJS.ProcessEnv {
  const { LC_ALL, ...env } = process.env;
  return { ...env, LC_TIME: 'C', ...(LC_ALL ? { LC_CTYPE: LC_ALL } : {}) };
}

/** Runs ps with psLocaleEnv(); resolves with stdout (ps exits 1 when no process matched: that is an empty answer). */
function ps(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('ps', args, { env: psLocaleEnv(), timeout: 15_000, maxBuffer: 256 * 1024 * 1024, windowsHide: true }, (error, stdout, stderr) => {
      if (!error || (error.code === 1 && stderr.trim() === '')) resolve(stdout);
      else reject(Object.assign(error, { stdout, stderr }));
    });
  });
}

/** macOS (and other BSDs): one `ps -E` over the user's processes, then one `ps` for the command lines of the hits. */
async function scanPs(filter: MarkerFilter): Promise<MarkedProcess[]> {
  const uid = process.getuid?.() ?? 0;
  const hits = parsePsEnvironment(await ps(psEnvironmentCommand(uid).args), filter).filter((p) => p.pid !== process.pid);
  if (hits.length === 0) return hits;
  const lines = parsePsCommandLines(await ps(psCommandLinesCommand(hits.map((p) => p.pid)).args));
  return hits.map((p) => ({ ...p, commandLine: lines.get(p.pid) ?? null }));
}

/**
 * Every live process (this one excepted) that carries the marker variables of data directory `dataDir` (its
 * resolved root, exactly as the engine sets it), and of agent `name` when given, sorted by pid. Processes of
 * other users are not seen (their environment is not ours to read). Windows: the helper's `env` per process;
 * always empty without the helper.
 */
export async function findMarkedProcesses(opts: MarkerScanOptions): Promise<MarkedProcess[]> {
  const platform = opts.platform ?? process.platform;
  const filter: MarkerFilter = { dataDir: opts.dataDir, name: opts.name };
  if (platform === 'win32') {
    const helper = helperOrDefault(opts.helper);
    return helper ? winMarkedProcesses(helper, filter) : []; // no helper: no way to read another process's environment
  }
  const found = platform === 'linux' ? await scanLinux(filter) : await scanPs(filter);
  return found.sort((a, b) => a.pid - b.pid);
}

const sharedScans = new Map<string, SharedTableReader<MarkedProcess[]>>();

/**
 * findMarkedProcesses for many callers at once (a stop-all ends a hundred trees together, and each
 * then looks for its stragglers): one scan of the data directory's marked processes, begun after
 * the caller asked, is shared by everyone who asked meanwhile, and filtered by name for each.
 */
export async function findMarkedProcessesShared(opts: MarkerScanOptions): Promise<MarkedProcess[]> {
  const platform = opts.platform ?? process.platform;
  const key = `${platform}\0${opts.dataDir}`;
  let reader = sharedScans.get(key);
  if (!reader) {
    reader = new SharedTableReader(() => findMarkedProcesses({ dataDir: opts.dataDir, platform }));
    sharedScans.set(key, reader);
  }
  const all = await reader.fresh();
  return opts.name === undefined ? all : all.filter((p) => p.name === opts.name);
}
