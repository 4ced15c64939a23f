// Starting an agent's process: Node's spawn (POSIX, and Windows without the helper) or the Windows
// helper (no console window, its own process group, out of Agent Tray's job when allowed). The
// helper exits once the agent runs, so there is no child handle: its exit code comes from the
// engine's resident `wait` helper (win-exit-waiter.ts); where that cannot tell, the exit is polled,
// as for an adopted agent, and a pid reused by another process (another creation time) counts as exited.
import { spawn, type ChildProcess } from 'node:child_process';
import type { WindowsSpawn } from '../../shared/status.js';
import { isProcessAlive } from './platform/process-table.js';
import { buildSpawnOptions } from './platform/spawn-options.js';
import { windowsCommandLine } from './platform/win-command-line.js';
import type { WinExitWaiter } from './platform/win-exit-waiter.js';
import { alignedDelay, infoBatched } from './platform/win-info-batch.js';
import { isHelperUnusable, winHelperMissingNote, type WinHelper } from './platform/win-helper.js';
import { sameCreation } from './platform/win-process-tree.js';

export interface ExitStatus {
  code: number | null;
  signal: string | null;
}

/** A started agent process: with a child handle (Node's spawn) or without (the Windows helper's). */
export interface Spawned {
  pid: number;
  child: ChildProcess | null;
  /** Creation time as the helper reported it; null: read from the system when needed. */
  createdMs: number | null;
  /** Windows: how it was started; null elsewhere. */
  windows: WindowsSpawn | null;
  exited: Promise<ExitStatus>;
}

export interface SpawnAgentInput {
  platform: NodeJS.Platform;
  /** Windows: the helper to start it with (null: none, Node's spawn). */
  helper: WinHelper | null;
  /** Absolute path (preflight resolved it). */
  executable: string;
  args: readonly string[];
  cwd: string;
  /** The whole environment, marker variables included. */
  env: Record<string, string>;
  /** The agent is asked to stop on its stdin (Node's spawn then gives it a pipe). */
  stopStdin: boolean;
  /** Its log files, open (Node's spawn) and by path (the helper opens them itself). */
  fds: { stdoutFd: number; stderrFd: number };
  files: { stdout: string; stderr: string };
  /** Watches a process that has no child handle until it exits. */
  watchExit: (pid: number, createdMs: number | null) => Promise<ExitStatus>;
}

/** Starts the agent: through the helper when there is one (a helper that cannot run at all falls back to Node's spawn, and the status says so). */
export async function spawnAgent(input: SpawnAgentInput): Promise<Spawned> {
  let withoutHelper = 'it was not found';
  if (input.helper) {
    try {
      return await spawnWithHelper(input.helper, input);
    } catch (err) {
      if (!isHelperUnusable(err)) throw err; // the helper ran, and Windows refused the program: a failed start
      withoutHelper = (err as Error).message;
    }
  }
  const started = await spawnWithNode(input);
  if (input.platform === 'win32') started.windows = { helper: false, flags: [], breakaway: false, note: winHelperMissingNote(withoutHelper) };
  return started;
}

/** Node's spawn, output into the log files; the exit comes from the child handle. */
export async function spawnWithNode(input: SpawnAgentInput): Promise<Spawned> {
  const { platform, cwd, env, fds } = input;
  const child = spawn(input.executable, input.args, buildSpawnOptions({ platform, cwd, env, stdoutFd: fds.stdoutFd, stderrFd: fds.stderrFd, stdin: input.stopStdin ? 'pipe' : 'ignore' }));
  child.on('error', () => undefined); // reported through the spawn promise or the exit
  const exited = new Promise<ExitStatus>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  return { pid: child.pid as number, child, createdMs: null, windows: null, exited };
}

/** The helper's spawn; stop.stdin needs a pipe the helper does not give, so CTRL_BREAK asks instead (said in the note). */
export async function spawnWithHelper(helper: WinHelper, input: SpawnAgentInput): Promise<Spawned> {
  const { cwd, env, files } = input;
  const reply = await helper.spawn({ ...windowsCommandLine(input.executable, input.args, env), cwd, env, stdout: files.stdout, stderr: files.stderr });
  const notes = [
    reply.note,
    input.stopStdin ? 'stop.stdin cannot reach an agent started by the Windows helper (it has no pipe to its input): CTRL_BREAK asks it to stop instead' : null,
  ].filter((n): n is string => !!n);
  return {
    pid: reply.pid,
    child: null,
    createdMs: reply.createdMs,
    windows: { helper: true, flags: reply.flags, breakaway: reply.breakaway, note: notes.length ? notes.join('; ') : null },
    exited: input.watchExit(reply.pid, reply.createdMs),
  };
}

export interface PollExitOptions {
  pid: number;
  /** Its creation time: with the helper, a pid held by a process created at another time has exited. */
  createdMs: number | null;
  platform: NodeJS.Platform;
  helper: WinHelper | null;
  /** Windows with the helper: the resident waiter that knows the exit code (null: poll only). */
  waiter?: WinExitWaiter | null;
  intervalMs: number;
  /** Where the current timer is kept; clearing it (and setting null) ends the polling. */
  holder: { exitPoll: NodeJS.Timeout | null };
}

/**
 * Resolves when the process has exited: with a waiter (and its creation time), as the waiter reports
 * it, with its exit code; otherwise, or where the waiter cannot tell, by polling (pollOnly).
 */
export function pollExit(opts: PollExitOptions): Promise<ExitStatus> {
  return opts.waiter && opts.createdMs !== null ? waitForExit(opts, opts.waiter, opts.createdMs) : pollOnly(opts);
}

/** The waiter's answer; `gone` or `unusable` → the poll, unless the run was finished meanwhile (then it never settles, like a stopped poll). */
function waitForExit(opts: PollExitOptions, waiter: WinExitWaiter, createdMs: number): Promise<ExitStatus> {
  const { holder } = opts;
  // a timer that never fires marks the holder as ours: finishRun() and close() clear it, as they stop a poll
  const mark = setTimeout(() => undefined, 2 ** 31 - 1);
  mark.unref();
  holder.exitPoll = mark;
  return waiter.exitOf(opts.pid, createdMs).then((outcome) => {
    const current = holder.exitPoll === mark;
    clearTimeout(mark);
    if ('exitCode' in outcome) {
      if (current) holder.exitPoll = null;
      return { code: outcome.exitCode, signal: null };
    }
    return current ? pollOnly(opts) : new Promise<ExitStatus>(() => undefined);
  });
}

/**
 * Resolves when the process has exited (exit code when the helper still knows it), checking every
 * intervalMs; with the helper, on the wall-clock multiples of intervalMs, so that the polls of all
 * agents share one `info` run (win-info-batch.ts).
 */
function pollOnly(opts: PollExitOptions): Promise<ExitStatus> {
  const { pid, createdMs, helper, holder } = opts;
  const exitOf = async (): Promise<{ code: number | null } | null> => {
    const fact = helper && createdMs !== null ? await infoBatched(helper, pid) : undefined;
    if (fact) return fact.alive && sameCreation(fact.createdMs, createdMs) ? null : { code: fact.alive ? null : (fact.exitCode ?? null) };
    return isProcessAlive(pid, opts.platform) ? null : { code: null };
  };
  return new Promise((resolve) => {
    const schedule = (): void => {
      const timer = setTimeout(() => {
        void exitOf().then((exit) => {
          if (holder.exitPoll !== timer) return; // the run was finished meanwhile
          if (!exit) return schedule();
          holder.exitPoll = null;
          resolve({ code: exit.code, signal: null });
        });
      }, helper ? alignedDelay(opts.intervalMs) : opts.intervalMs); // with the helper: on a shared beat, one `info` for all agents
      timer.unref();
      holder.exitPoll = timer;
    };
    schedule();
  });
}
