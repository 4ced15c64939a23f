// Stop on Windows: the agent's own request (stop.command) if it has one, then CTRL_BREAK through the
// helper (AttachConsole + GenerateConsoleCtrlEvent: what console programs understand as "please
// exit"), then, after the timeout, the whole tree by force: the helper's kill-tree, with
// `taskkill /PID n /T /F` as the fallback. The tree is read from the helper's process list before
// the first request and again before the kill (a child keeps its dead parent's pid on Windows, so
// the creation times tell children from strangers). A stop reports every process of the tree that
// is still alive at the end: it never says the tree is gone while one lives. Without the helper:
// the request, then taskkill, and only the root pid can be checked.
import { execFile } from 'node:child_process';
import { DEFAULT_STOP_INSIST_MS } from '../../shared/agent.js';
import { AgentTrayError } from './errors.js';
import { isProcessAlive } from './platform/process-table.js';
import { taskkillCommand } from './platform/spawn-options.js';
import { defaultWinHelper, failureText, isHelperUnusable, type WinHelper } from './platform/win-helper.js';
import { sameCreation, windowsTree } from './platform/win-process-tree.js';
import { tellPhase, type PhaseListener, type TreeStopOutcome } from './stop-tree.js';
import { waitUntil } from './wait-until.js';

export interface WindowsStopOptions {
  pid: number;
  /** The root's creation time (epoch ms, as the helper reported it at spawn): a recycled pid is never touched. */
  createdMs?: number | null;
  /** Wait after the first request. */
  timeoutMs: number;
  /** Wait after CTRL_BREAK when it was the second request (after stop.command); default DEFAULT_STOP_INSIST_MS. */
  insistMs?: number;
  /** Kill at once. */
  immediate?: boolean;
  /** The agent's own request (stop.command), before CTRL_BREAK. */
  ask?: () => void | Promise<void>;
  /** Wait for the tree to vanish after the kill (default 5 s). */
  killWaitMs?: number;
  /** The helper; undefined: defaultWinHelper(); null: none (taskkill only). */
  helper?: WinHelper | null;
  /** Runs taskkill for a tree (tests give their own); resolves with its exit code. */
  taskkill?: (pid: number) => Promise<number>;
  /** How often the helper is asked whether the tree is gone (default 100 ms: each ask runs the helper once). */
  pollMs?: number;
  /** Told as each phase begins (asking, insisting, killing), with when the kill will be forced. */
  onPhase?: PhaseListener;
}

export interface WindowsStopOutcome extends TreeStopOutcome {
  /** What did not go as planned, for the person: CTRL_BREAK refused, a process Windows would not end, no helper. */
  notes: string[];
}

/** Runs taskkill for the tree of `pid`; resolves with its exit code (128: no such process). */
export function runTaskkill(pid: number): Promise<number> {
  const { command, args } = taskkillCommand(pid);
  return new Promise((resolve) => {
    execFile(command, args, { windowsHide: true }, (err) => {
      resolve(err ? Number((err as NodeJS.ErrnoException & { code?: unknown }).code) || 1 : 0);
    });
  });
}

/** Stops the tree of `pid` on Windows: with the helper when there is one, else with taskkill alone. */
export async function stopWindowsTree(opts: WindowsStopOptions): Promise<WindowsStopOutcome> {
  const helper = opts.helper === undefined ? defaultWinHelper() : opts.helper;
  if (!helper) return stopWithTaskkill(opts);
  // the agent is asked once, whichever way the stop goes on
  let asked = false;
  const ask = opts.ask;
  const once = ask
    ? () => {
        if (asked) return undefined;
        asked = true;
        return ask();
      }
    : undefined;
  try {
    return await stopWithHelper(helper, { ...opts, ...(once ? { ask: once } : {}) });
  } catch (err) {
    if (!(err instanceof AgentTrayError && err.code === 'helper-failed')) throw err;
    const outcome = await stopWithTaskkill({ ...opts, ...(once ? { ask: once } : {}) });
    outcome.notes.unshift(`the Windows helper failed (${failureText(err)}); taskkill was used instead`);
    return outcome;
  }
}

/** Without the helper: the request, the wait, then taskkill /T /F; only the root can be checked. */
async function stopWithTaskkill(opts: WindowsStopOptions): Promise<WindowsStopOutcome> {
  const started = Date.now();
  const gone = () => !isProcessAlive(opts.pid, 'win32');
  const notes = ['without the Windows helper only the root process is checked; its descendants may survive taskkill'];
  if (!opts.immediate && opts.ask) {
    tellPhase(opts.onPhase, 'asking', Date.now() + opts.timeoutMs);
    await opts.ask();
    if (await waitUntil(gone, opts.timeoutMs)) {
      return { outcome: 'graceful', durationMs: Date.now() - started, pids: [opts.pid], survivors: [], notes };
    }
  }
  tellPhase(opts.onPhase, 'killing', Date.now());
  const code = await (opts.taskkill ?? runTaskkill)(opts.pid);
  if (code !== 0 && code !== 128) notes.push(`taskkill /PID ${opts.pid} /T /F exited with code ${code}`);
  await waitUntil(gone, opts.killWaitMs ?? 5_000);
  return { outcome: 'killed', durationMs: Date.now() - started, pids: [opts.pid], survivors: gone() ? [] : [opts.pid], notes };
}

/** With the helper: request, CTRL_BREAK, kill-tree, taskkill; the tree's members are tracked by pid and creation time. */
async function stopWithHelper(helper: WinHelper, opts: WindowsStopOptions): Promise<WindowsStopOutcome> {
  const started = Date.now();
  const notes: string[] = [];
  const pollMs = opts.pollMs ?? 100;
  /** pid → creation time of every process seen in the tree. */
  const tracked = new Map<number, number | null>();
  /** Pids the helper reports it ended (members that appeared after the last list, too). */
  const killed = new Set<number>();
  let rootCreated = opts.createdMs ?? null;

  // every member, and the descendants of members whose parents have died since the last read
  const snapshot = async (): Promise<void> => {
    const table = await helper.list();
    const root = table.find((p) => p.pid === opts.pid);
    if (rootCreated === null && root && tracked.size === 0) rootCreated = root.createdMs;
    for (const p of windowsTree(opts.pid, rootCreated, table)) tracked.set(p.pid, p.createdMs);
    for (const [pid, createdMs] of [...tracked]) {
      if (pid === opts.pid || createdMs === null) continue;
      for (const p of windowsTree(pid, createdMs, table)) if (!tracked.has(p.pid)) tracked.set(p.pid, p.createdMs);
    }
  };
  // the tracked processes that still run as the processes we saw (a reused pid is not ours)
  const living = async (): Promise<number[]> => {
    if (tracked.size === 0) return [];
    const facts = await helper.info([...tracked.keys()]);
    return facts.filter((f) => f.alive && (tracked.get(f.pid) === null || sameCreation(f.createdMs, tracked.get(f.pid) ?? null))).map((f) => f.pid);
  };
  const gone = async (): Promise<boolean> => (await living()).length === 0;
  const finish = async (outcome: TreeStopOutcome['outcome']): Promise<WindowsStopOutcome> => {
    const survivors = outcome === 'killed' ? (await living()).sort((a, b) => a - b) : [];
    const all = new Set([...tracked.keys(), ...killed]);
    const pids = all.size ? [...all].sort((a, b) => a - b) : [opts.pid];
    return { outcome, durationMs: Date.now() - started, pids, survivors, notes };
  };

  await snapshot();
  if (tracked.size === 0 || (await gone())) return finish('graceful'); // nothing of it runs (any more)
  if (!opts.immediate) {
    const insistMs = opts.insistMs ?? DEFAULT_STOP_INSIST_MS;
    if (opts.ask) {
      tellPhase(opts.onPhase, 'asking', Date.now() + opts.timeoutMs + insistMs);
      await opts.ask();
      if (await waitUntil(gone, opts.timeoutMs, pollMs)) return finish('graceful');
    }
    // CTRL_BREAK is the first request, or (after stop.command) the second
    const wait = opts.ask ? insistMs : opts.timeoutMs;
    tellPhase(opts.onPhase, opts.ask ? 'insisting' : 'asking', Date.now() + wait);
    if (await ctrlBreak(helper, opts.pid, notes)) {
      if (await waitUntil(gone, wait, pollMs)) return finish(opts.ask ? 'insisted' : 'graceful');
    }
  }
  tellPhase(opts.onPhase, 'killing', Date.now());
  await snapshot(); // children started while it was asked
  const refused = await killTracked(helper, opts.pid, rootCreated, tracked, living, notes, killed);
  // wait for what was ended to vanish; a process Windows refused to end will not vanish by waiting
  await waitUntil(async () => (await living()).every((pid) => refused.has(pid)), opts.killWaitMs ?? 5_000, pollMs);
  const left = await living();
  if (left.length > 0) {
    // the last resort: taskkill per survivor (it also ends processes the helper may not open)
    const pending = new Set<number>();
    for (const pid of left) {
      const code = await (opts.taskkill ?? runTaskkill)(pid);
      if (code === 0 || code === 128) pending.add(pid);
      else notes.push(`taskkill /PID ${pid} /T /F exited with code ${code}`);
    }
    if (pending.size > 0) await waitUntil(async () => !(await living()).some((pid) => pending.has(pid)), opts.killWaitMs ?? 5_000, pollMs);
  }
  return finish('killed');
}

/** CTRL_BREAK to the agent's process group; false (with a note) when Windows refused a step. */
async function ctrlBreak(helper: WinHelper, pid: number, notes: string[]): Promise<boolean> {
  try {
    await helper.stop(pid);
    return true;
  } catch (err) {
    if (isHelperUnusable(err)) throw err;
    notes.push(`CTRL_BREAK could not be sent (${failureText(err)}), so the tree was ended by force`);
    return false;
  }
}

/**
 * kill-tree of the root, then of every tracked process that still lives (its parent died before:
 * the root's walk misses it); the pids ended go into `killed`. Resolves with the pids Windows
 * refused to end.
 */
async function killTracked(
  helper: WinHelper,
  rootPid: number,
  rootCreated: number | null,
  tracked: Map<number, number | null>,
  living: () => Promise<number[]>,
  notes: string[],
  killed: Set<number>,
): Promise<Set<number>> {
  const refused = new Set<number>();
  const attempt = async (pid: number, createdMs: number | null): Promise<void> => {
    try {
      const reply = await helper.killTree(pid, createdMs);
      for (const p of reply.killed) killed.add(p);
      for (const f of reply.failed) {
        if (refused.has(f.pid)) continue;
        refused.add(f.pid);
        notes.push(`pid ${f.pid} could not be ended: ${f.message} (Windows error ${f.code})`);
      }
    } catch (err) {
      if (isHelperUnusable(err)) throw err;
      notes.push(`kill-tree of pid ${pid} failed: ${failureText(err)}`);
    }
  };
  await attempt(rootPid, rootCreated);
  for (const pid of await living()) if (pid !== rootPid && !refused.has(pid)) await attempt(pid, tracked.get(pid) ?? null);
  return refused;
}
