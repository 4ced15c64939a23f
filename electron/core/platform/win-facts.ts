// Process facts on Windows from the helper (`list`, `info`, `env --all`, `env`): the process table,
// creation times, command lines and the marker variables, without PowerShell. Each function takes the
// helper to use; the callers (process-table.ts, command-lines.ts, marker-processes.ts) fall back to
// PowerShell or to nothing where there is no helper.
import type { ProcessWithCommandLine } from './command-lines.js';
import { AGENT_MARKER_VARIABLE, DATA_DIR_VARIABLE, RUN_ID_VARIABLE, type MarkedProcess, type MarkerFilter } from './marker-variables.js';
import type { ProcessInfo } from './process-table.js';
import { defaultWinHelper, isHelperUnusable, isUnknownCommand, type WinHelper } from './win-helper.js';

/** The helper a caller gave (null: none), or the default one when it gave nothing. */
export function helperOrDefault(helper: WinHelper | null | undefined): WinHelper | null {
  return helper === undefined ? defaultWinHelper() : helper;
}

/** Every process as the POSIX code knows it (no process groups on Windows: pgid null; state 'R'). */
export async function winProcessTable(helper: WinHelper): Promise<ProcessInfo[]> {
  return (await helper.list()).map((p) => ({ pid: p.pid, ppid: p.ppid, pgid: null, state: 'R', startTime: p.createdMs }));
}

/** A process's creation time (epoch ms), or null when it does not run. */
export async function winStartTime(helper: WinHelper, pid: number): Promise<number | null> {
  const fact = (await helper.info([pid])).find((f) => f.pid === pid);
  return fact?.alive ? fact.createdMs : null;
}

/** A process's command line (one string: Windows keeps no argv), or null. */
export async function winCommandLine(helper: WinHelper, pid: number): Promise<string | null> {
  const fact = (await helper.info([pid])).find((f) => f.pid === pid);
  return fact?.alive ? fact.commandLine : null;
}

/** Every process with parent, command line and creation time, from one `list --command-lines`. */
export async function winProcessesWithCommandLines(helper: WinHelper): Promise<ProcessWithCommandLine[]> {
  return (await helper.list({ commandLines: true })).map((p) => ({ pid: p.pid, ppid: p.ppid, commandLine: p.commandLine ?? null, startTime: p.createdMs }));
}

/** Environments read at the same time by the per-process scan (each read is one run of the helper). */
const ENV_CONCURRENCY = 8;
/** The variables the scan reads; the first is the one a process must set to be listed by `env --all`. */
const MARKERS = [AGENT_MARKER_VARIABLE, DATA_DIR_VARIABLE, RUN_ID_VARIABLE];
/** Helpers that answered `env --all` with exit 2 (an older helper): the per-process scan from then on. */
const withoutEnvAll = new WeakSet<WinHelper>();

/** Pids that are never an agent's: the idle process, System, this process. */
function neverAnAgent(pid: number): boolean {
  return pid === 0 || pid === 4 || pid === process.pid;
}

/** A process with its marker variables, as either scan reads it. */
interface Candidate {
  pid: number;
  ppid: number;
  createdMs: number | null;
  commandLine: string | null;
  env: Record<string, string | null> | null;
}

/** The candidates that belong to `filter` (its data directory, and its agent when named), as MarkedProcess. */
function markedOf(candidate: Candidate, filter: MarkerFilter): MarkedProcess | null {
  const env = candidate.env;
  const name = env?.[AGENT_MARKER_VARIABLE];
  if (!env || !name || (filter.name !== undefined && name !== filter.name)) return null;
  if (env[DATA_DIR_VARIABLE] !== filter.dataDir) return null;
  return { pid: candidate.pid, ppid: candidate.ppid, name, runId: env[RUN_ID_VARIABLE] || null, startTime: candidate.createdMs, commandLine: candidate.commandLine };
}

/**
 * The processes that carry the marker variables of `filter`: one `env --all` run (one snapshot; a
 * process whose environment is not ours to read is left out). A helper that does not know it (an
 * older one) gets the per-process scan.
 */
export async function winMarkedProcesses(helper: WinHelper, filter: MarkerFilter): Promise<MarkedProcess[]> {
  if (!withoutEnvAll.has(helper)) {
    try {
      const lines = await helper.envAll(MARKERS);
      const found = lines.filter((l) => !neverAnAgent(l.pid)).map((l) => markedOf({ ...l, commandLine: l.commandLine ?? null }, filter));
      return found.filter((m): m is MarkedProcess => m !== null).sort((a, b) => a.pid - b.pid);
    } catch (err) {
      if (!isHelperUnusable(err)) throw err;
      if (isUnknownCommand(err)) withoutEnvAll.add(helper);
    }
  }
  return winMarkedProcessesOneByOne(helper, filter);
}

/**
 * The marker scan of helpers without `env --all`: one `list --command-lines`, then one `env` per
 * process (ENV_CONCURRENCY at a time; processes whose environment is not ours to read are skipped).
 * Costly on a busy system (a helper run per process).
 */
export async function winMarkedProcessesOneByOne(helper: WinHelper, filter: MarkerFilter): Promise<MarkedProcess[]> {
  const table = (await helper.list({ commandLines: true })).filter((p) => !neverAnAgent(p.pid));
  const found: MarkedProcess[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < table.length) {
      const p = table[next++]!;
      // a process that exited meanwhile is a failure report: skipped; a helper that cannot work at all is an error
      const line = await helper.env(p.pid, MARKERS).catch((err: unknown) => {
        if (isHelperUnusable(err)) throw err;
        return null;
      });
      const marked = markedOf({ pid: p.pid, ppid: p.ppid, createdMs: p.createdMs, commandLine: p.commandLine ?? null, env: line?.env ?? null }, filter);
      if (marked) found.push(marked);
    }
  };
  await Promise.all(Array.from({ length: Math.min(ENV_CONCURRENCY, table.length) }, worker));
  return found.sort((a, b) => a.pid - b.pid);
}
