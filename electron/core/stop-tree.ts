// Stop = ask, wait, insist, kill, for the whole process tree (POSIX). The agent leads its own
// process group; descendants that left the group (setsid) are found from a snapshot of the
// process table taken before the first signal, and every new descendant seen while waiting joins.
// Trees stopping at the same time share their reads of the table; a tree whose group is empty and
// whose other members are dead is gone without reading the table at all.
import type { StopPhase } from '../../shared/status.js';
import { isProcessAlive, type ProcessInfo } from './platform/process-table.js';
import { readProcessTableShared } from './platform/shared-process-table.js';
import { descendantsOf } from './process-tree.js';
import { waitUntil } from './wait-until.js';

export interface TreeStopOptions {
  /** The agent's pid, which is also its process group id. */
  pid: number;
  signal: NodeJS.Signals;
  /** Wait after the first signal (or after `ask`, when given). */
  timeoutMs: number;
  /** Wait after the second signal, before SIGKILL. */
  insistMs: number;
  /** Wait for the tree to vanish after SIGKILL. */
  killWaitMs?: number;
  /** SIGKILL at once (kill, not stop). */
  immediate?: boolean;
  /** A gentler first request than a signal (stop.stdin, stop.command); the signal then comes second. */
  ask?: () => void | Promise<void>;
  platform?: NodeJS.Platform;
  /** Told as each phase begins, with when the kill will be forced (epoch ms). */
  onPhase?: PhaseListener;
}

/** Hears a stop's phases: asking, insisting, killing, each with when the kill will be forced (epoch ms; null: unknown). */
export type PhaseListener = (phase: StopPhase, forceAt: number | null) => void;

/** Tells `listener` of a phase; a listener that throws does not stop the stop. */
export function tellPhase(listener: PhaseListener | undefined, phase: StopPhase, forceAt: number | null): void {
  try {
    listener?.(phase, forceAt);
  } catch {
    // the stop goes on whatever its listener does
  }
}

export interface TreeStopOutcome {
  outcome: 'graceful' | 'insisted' | 'killed';
  durationMs: number;
  /** Every pid that belonged to the tree. */
  pids: number[];
  /** Pids still alive after SIGKILL and its wait (should be empty). */
  survivors: number[];
}

/** The processes of the tree rooted at `pid`: its group, its descendants, and the root itself. */
export function treeMembers(pid: number, table: readonly ProcessInfo[]): ProcessInfo[] {
  const members = new Map<number, ProcessInfo>();
  for (const p of table) if (p.pgid === pid || p.pid === pid) members.set(p.pid, p);
  for (const p of descendantsOf(pid, table)) members.set(p.pid, p);
  return [...members.values()];
}

/** Stops the whole tree of `pid`; resolves when every process of it is gone (or SIGKILL failed). */
export async function stopProcessTree(opts: TreeStopOptions): Promise<TreeStopOutcome> {
  const started = Date.now();
  const platform = opts.platform ?? process.platform;
  const tracked = new Map<number, number | null>(); // pid -> start time, to never signal a recycled pid

  const refresh = async (): Promise<ProcessInfo[]> => {
    const table = await readProcessTableShared(platform);
    const byPid = new Map(table.map((p) => [p.pid, p]));
    for (const p of treeMembers(opts.pid, table)) tracked.set(p.pid, p.startTime);
    // descendants of members that left the group, found after the snapshot
    for (const pid of [...tracked.keys()]) {
      for (const d of descendantsOf(pid, table)) if (!tracked.has(d.pid)) tracked.set(d.pid, d.startTime);
    }
    return [...tracked.entries()]
      .map(([pid, startTime]) => byPid.get(pid) && (startTime === null || byPid.get(pid)?.startTime === startTime) ? byPid.get(pid) : undefined)
      .filter((p): p is ProcessInfo => p !== undefined && p.state !== 'Z' && p.state !== 'X');
  };

  const send = (signal: NodeJS.Signals, live: ProcessInfo[]): void => {
    trySignal(-opts.pid, signal);
    for (const p of live) if (p.pgid !== opts.pid) trySignal(p.pid, signal);
  };

  // Without a table read when it can: no process is left in the group, and every member that left
  // the group is dead. (A zombie still answers for its group; the table read then decides.) A
  // descendant that left the group after the last read and whose parent is already dead could not
  // be found in a table either: it has been re-parented.
  const quicklyGone = (): boolean => {
    if (groupExists(opts.pid)) return false;
    for (const pid of tracked.keys()) if (isProcessAlive(pid, platform)) return false; // the root too: it may not lead a group
    return true;
  };
  const gone = async (): Promise<boolean> => quicklyGone() || (await refresh()).length === 0;

  let live = await refresh();
  if (!opts.immediate) {
    tellPhase(opts.onPhase, 'asking', Date.now() + opts.timeoutMs + opts.insistMs);
    if (opts.ask) {
      await opts.ask();
      if (await waitUntil(gone, opts.timeoutMs)) return finish('graceful');
    } else {
      send(opts.signal, live);
      if (await waitUntil(gone, opts.timeoutMs)) return finish('graceful');
    }
    tellPhase(opts.onPhase, 'insisting', Date.now() + opts.insistMs);
    send(opts.signal, await refresh());
    if (await waitUntil(gone, opts.insistMs)) return finish('insisted');
  }
  tellPhase(opts.onPhase, 'killing', Date.now());
  live = await refresh();
  send('SIGKILL', live);
  await waitUntil(gone, opts.killWaitMs ?? 5_000);
  return finish('killed');

  async function finish(outcome: TreeStopOutcome['outcome']): Promise<TreeStopOutcome> {
    const survivors = outcome === 'killed' ? (await refresh()).map((p) => p.pid) : [];
    return { outcome, durationMs: Date.now() - started, pids: [...tracked.keys()].sort((a, b) => a - b), survivors };
  }
}

/** Whether any process (a zombie too) is still in process group `pgid`. */
export function groupExists(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== 'ESRCH'; // EPERM: it exists, it is not ours
  }
}

/** Sends a signal; a process (or group) that is already gone is not an error. */
export function trySignal(target: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(target, signal);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ESRCH') return false;
    throw err;
  }
}

