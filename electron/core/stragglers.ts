// Stragglers: processes that carry an agent's marker variables after its tree is gone (a daemon
// that double-forked and called setsid has left the tree and the process group, and nothing but
// its environment says whose it is). They are stopped the way a tree is: ask, wait, insist, kill;
// each by its pid, and only while its start time still matches, so a recycled pid is never hit.
import { findMarkedProcessesShared, type MarkedProcess } from './platform/marker-processes.js';
import { isProcessAlive, processStartTime } from './platform/process-table.js';
import { waitUntil } from './wait-until.js';

export interface StragglerStopOptions {
  /** The agent whose stragglers are stopped. */
  name: string;
  /** Its data directory (resolved root, as in AGENT_TRAY_DATA_DIR). */
  dataDir: string;
  platform?: NodeJS.Platform;
  /** Pids not to touch (the tree just stopped, a run that is supervised). */
  exclude?: ReadonlySet<number>;
  /** The first (and second) signal; SIGKILL means a kill: no waiting, no insisting. */
  signal: NodeJS.Signals;
  /** Wait after the first signal. */
  timeoutMs: number;
  /** Wait after the second signal, before SIGKILL. */
  insistMs: number;
  /** Wait for them to vanish after SIGKILL (default 2 s). */
  killWaitMs?: number;
}

export interface StragglerStopOutcome {
  /** Every straggler found (and signalled while it was still the same process). */
  pids: number[];
  /** Those still alive after SIGKILL and its wait (should be empty). */
  survivors: number[];
}

/** Whether `p` still runs as the same process (same start time, not a zombie). */
export async function stillRunning(p: Pick<MarkedProcess, 'pid' | 'startTime'>, platform: NodeJS.Platform = process.platform): Promise<boolean> {
  if (p.startTime === null || !isProcessAlive(p.pid, platform)) return false;
  return (await processStartTime(p.pid, platform).catch(() => null)) === p.startTime;
}

/** Sends `signal` to `p` by pid if it is still the same process (same start time); true when it was sent. */
export async function signalIfSame(p: Pick<MarkedProcess, 'pid' | 'startTime'>, signal: NodeJS.Signals, platform: NodeJS.Platform = process.platform): Promise<boolean> {
  if (!(await stillRunning(p, platform))) return false;
  try {
    process.kill(p.pid, signal);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw error;
  }
}

/**
 * After an agent's tree is gone: finds the processes that still carry its markers (same name and data
 * directory, not excluded), sends `signal`, waits `timeoutMs`, sends it again, waits `insistMs`, then
 * SIGKILLs the rest (and any marked process that appeared meanwhile). Windows: nothing to find yet.
 */
export async function stopStragglers(opts: StragglerStopOptions): Promise<StragglerStopOutcome> {
  const platform = opts.platform ?? process.platform;
  const exclude = opts.exclude ?? new Set<number>();
  const scan = async (): Promise<MarkedProcess[]> =>
    (await findMarkedProcessesShared({ dataDir: opts.dataDir, name: opts.name, platform })).filter((p) => !exclude.has(p.pid));
  const tracked = new Map<number, MarkedProcess>();
  for (const p of await scan()) tracked.set(p.pid, p);
  if (tracked.size === 0) return { pids: [], survivors: [] };

  // the same processes still running; polls on macOS only ask whether the pid lives (a start time costs a `ps`
  // there), and every signal and the final answer check the start time
  const living = async (exact = platform === 'linux'): Promise<MarkedProcess[]> => {
    const all = [...tracked.values()];
    const alive = await Promise.all(all.map((p) => (exact ? stillRunning(p, platform) : isProcessAlive(p.pid, platform))));
    return all.filter((_, i) => alive[i]);
  };
  const send = async (signal: NodeJS.Signals, targets: MarkedProcess[]): Promise<void> => {
    await Promise.all(targets.map((p) => signalIfSame(p, signal, platform)));
  };
  const allGone = async (): Promise<boolean> => (await living()).length === 0;

  await send(opts.signal, [...tracked.values()]);
  if (opts.signal === 'SIGKILL') {
    await waitUntil(allGone, opts.killWaitMs ?? 2_000); // a kill: nothing to insist on
  } else if (!(await waitUntil(allGone, opts.timeoutMs))) {
    await send(opts.signal, await living());
    if (!(await waitUntil(allGone, opts.insistMs))) {
      for (const p of await scan()) if (!tracked.has(p.pid)) tracked.set(p.pid, p); // started while we waited
      await send('SIGKILL', await living());
      await waitUntil(allGone, opts.killWaitMs ?? 2_000);
    }
  }
  const survivors = (await living(true)).map((p) => p.pid).sort((a, b) => a - b);
  return { pids: [...tracked.keys()].sort((a, b) => a - b), survivors };
}
