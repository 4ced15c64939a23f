// The Windows helper (agent-tray-helper.exe, built from native/win-helper/): where it is, and one
// typed call per verb. Each call runs the helper once (no window) and parses its JSON lines;
// `watch` keeps one helper running that streams resource samples, `wait` one that reports exits. A `WinHelper` is an interface so
// that tests (and the Wine lane) can give the engine a helper over any transport.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { z } from 'zod';
import {
  EnvAllLineSchema,
  EnvLineSchema,
  InfoLineSchema,
  KillTreeReplySchema,
  ListLineSchema,
  OkSchema,
  SpawnReplySchema,
  WaitLineSchema,
  WatchTickSchema,
  helperUnusable,
  oneReply,
  repliesOf,
  unknownCommand,
  type EnvAllLine,
  type EnvLine,
  type HelperRun,
  type InfoLine,
  type KillTreeReply,
  type ListLine,
  type SpawnReply,
  type WaitLine,
  type WatchTick,
} from './win-helper-protocol.js';

export type { EnvAllLine, EnvLine, HelperRun, InfoLine, KillTreeReply, ListLine, SpawnReply, WaitLine, WatchTick } from './win-helper-protocol.js';
export { failureText, isHelperUnusable, isUnknownCommand } from './win-helper-protocol.js';

/** The helper's file name, in the build (dist/native/) and in the packaged app (resources/native/). */
export const WIN_HELPER_EXE = 'agent-tray-helper.exe';
/** A path in this variable overrides where the helper is looked for (the Wine lane, a development copy). */
export const WIN_HELPER_VARIABLE = 'AGENT_TRAY_WIN_HELPER';

/** What `spawn` gets on stdin: everything CreateProcessW needs, already resolved and quoted. */
export interface WinSpawnRequest {
  application: string;
  commandLine: string;
  cwd: string;
  /** The whole environment block. */
  env: Record<string, string>;
  /** Log files, opened for append (created when missing). */
  stdout: string;
  stderr: string;
}

/** A running `watch`: tell it which pids to sample; it calls back with every tick until closed. */
export interface WinWatch {
  set(pids: readonly number[]): void;
  /** Ticks as they arrive; returns the unsubscribe. */
  onTick(listener: (tick: WatchTick) => void): () => void;
  /** Resolves when the helper ended (null: closed by us; an Error: it died or printed garbage). */
  readonly ended: Promise<Error | null>;
  close(): void;
}

/** A running `wait`: every add(pid, createdMs) gets one answer, the exit code when that process ends or `gone` at once. */
export interface WinWait {
  add(pid: number, createdMs: number): void;
  /** Answers as they arrive; returns the unsubscribe. */
  onAnswer(listener: (line: WaitLine) => void): () => void;
  /** Resolves when the helper ended (null: closed by us; an Error: it died, printed garbage, or does not know `wait`: isUnknownCommand). */
  readonly ended: Promise<Error | null>;
  close(): void;
}

/** The verbs of the helper, typed. Errors are AgentTrayError `helper-failed` (see win-helper-protocol.ts). */
export interface WinHelper {
  /** Where it is, for messages. */
  readonly path: string;
  spawn(request: WinSpawnRequest): Promise<SpawnReply>;
  /** CTRL_BREAK to the process's console group; throws when Windows refused a step (AttachConsole, …). */
  stop(pid: number): Promise<void>;
  /** Terminates pid (when its creation time is createdMs; null: unchecked) and its descendants. */
  killTree(pid: number, createdMs: number | null): Promise<KillTreeReply>;
  /** One line per pid: alive (with parent, creation time, image, command line) or not. */
  info(pids: readonly number[]): Promise<InfoLine[]>;
  list(opts?: { commandLines?: boolean }): Promise<ListLine[]>;
  /** The named variables of pid's environment (env null when unreadable). */
  env(pid: number, names: readonly string[]): Promise<EnvLine>;
  /** Every process whose environment sets names[0], with the named variables, parent, creation time and command line: one snapshot, one run. */
  envAll(names: readonly string[]): Promise<EnvAllLine[]>;
  watch(intervalMs: number): WinWatch;
  /** A resident helper that reports how the processes it is given end (see WinWait). */
  wait(): WinWait;
}

/** A started long-lived helper: lines out, lines in. */
export interface HelperStream {
  write(line: string): void;
  onLine(listener: (line: string) => void): void;
  /** Resolves with the exit code (null when killed), or rejects when it could not start. */
  readonly exit: Promise<number | null>;
  close(): void;
}

/** How the helper is run: once per verb (`run`), or kept running (`start`, for watch and wait). Tests give their own. */
export interface HelperTransport {
  run(args: readonly string[], input?: string): Promise<HelperRun>;
  start(args: readonly string[]): HelperStream;
}

/** Where this module lies: <root>/electron/core/platform (sources) or <root>/dist/electron/core/platform (built). */
const HERE = path.dirname(fileURLToPath(import.meta.url));

export interface LocateInput {
  env?: Record<string, string | undefined>;
  /** Electron's process.resourcesPath in the packaged app. */
  resourcesPath?: string | undefined;
  moduleDir?: string;
  exists?: (file: string) => boolean;
}

/** The paths looked at, in order: AGENT_TRAY_WIN_HELPER, the packaged app's resources/native/, then <root>/dist/native/. */
export function winHelperCandidates(input: LocateInput = {}): string[] {
  const env = input.env ?? process.env;
  const candidates: string[] = [];
  const override = env[WIN_HELPER_VARIABLE];
  if (override) candidates.push(override);
  const resources = input.resourcesPath ?? (process as { resourcesPath?: string }).resourcesPath;
  if (resources) candidates.push(path.join(resources, 'native', WIN_HELPER_EXE));
  const threeUp = path.resolve(input.moduleDir ?? HERE, '..', '..', '..');
  const root = path.basename(threeUp) === 'dist' ? path.dirname(threeUp) : threeUp;
  candidates.push(path.join(root, 'dist', 'native', WIN_HELPER_EXE));
  return candidates;
}

/** The helper's path, or null when none of the candidates exists. An AGENT_TRAY_WIN_HELPER that does not exist is not skipped silently: it wins and fails loudly at the first call. */
export function locateWinHelper(input: LocateInput = {}): string | null {
  const exists = input.exists ?? existsSync;
  const env = input.env ?? process.env;
  if (env[WIN_HELPER_VARIABLE]) return env[WIN_HELPER_VARIABLE];
  return winHelperCandidates(input).find((file) => exists(file)) ?? null;
}

/** A transport that runs the real executable: no window, bounded time and output. */
export function execTransport(exe: string, timeoutMs = 15_000): HelperTransport {
  return {
    run: (args, input) =>
      new Promise((resolve, reject) => {
        const verb = args[0] ?? '';
        const child = execFile(exe, [...args], { windowsHide: true, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' }, (error, stdout, stderr) => {
          if (!error) return resolve({ stdout, stderr, exitCode: 0 });
          const code = (error as NodeJS.ErrnoException & { code?: unknown }).code;
          if (typeof code === 'number') return resolve({ stdout, stderr, exitCode: code });
          if (error.killed) return reject(helperUnusable(exe, verb, `it did not answer within ${timeoutMs} ms`, error));
          reject(helperUnusable(exe, verb, `it could not be run (${error.message})`, error));
        });
        child.stdin?.on('error', () => undefined); // a helper that exits without reading stdin
        child.stdin?.end(input ?? '');
      }),
    start: (args) => {
      const child = spawn(exe, [...args], { windowsHide: true, stdio: ['pipe', 'pipe', 'ignore'] });
      const exit = new Promise<number | null>((resolve, reject) => {
        child.once('error', reject);
        child.once('exit', (code) => resolve(code));
      });
      exit.catch(() => undefined);
      child.stdin.on('error', () => undefined);
      const lines = createInterface({ input: child.stdout });
      // never keep the host alive for the sampler's helper
      child.unref();
      (child.stdout as unknown as { unref?: () => void }).unref?.();
      (child.stdin as unknown as { unref?: () => void }).unref?.();
      return {
        write: (line) => void (child.stdin.writable && child.stdin.write(`${line}\n`)),
        onLine: (listener) => void lines.on('line', listener),
        exit,
        close: () => {
          child.stdin.end();
          setTimeout(() => child.exitCode === null && child.signalCode === null && child.kill(), 2_000).unref();
        },
      };
    },
  };
}

/** Calls of `info` carry at most this many pids (a command line holds 32767 characters). */
const INFO_CHUNK = 1000;

/** The helper at `exe`, reached through `transport` (the real executable by default). */
export function createWinHelper(exe: string, transport: HelperTransport = execTransport(exe)): WinHelper {
  const call = (verb: string, args: (string | number)[] = [], input?: string) => transport.run([verb, ...args.map(String)], input);
  return {
    path: exe,
    async spawn(request) {
      return oneReply(exe, 'spawn', await call('spawn', [], JSON.stringify(request)), SpawnReplySchema);
    },
    async stop(pid) {
      oneReply(exe, 'stop', await call('stop', [pid]), OkSchema);
    },
    async killTree(pid, createdMs) {
      return oneReply(exe, 'kill-tree', await call('kill-tree', [pid, createdMs ?? 0]), KillTreeReplySchema);
    },
    async info(pids) {
      const out: InfoLine[] = [];
      for (let i = 0; i < pids.length; i += INFO_CHUNK) {
        out.push(...repliesOf(exe, 'info', await call('info', pids.slice(i, i + INFO_CHUNK) as number[]), InfoLineSchema));
      }
      return out;
    },
    async list(opts = {}) {
      return repliesOf(exe, 'list', await call('list', opts.commandLines ? ['--command-lines'] : []), ListLineSchema);
    },
    async env(pid, names) {
      return oneReply(exe, 'env', await call('env', [pid, ...names]), EnvLineSchema);
    },
    async envAll(names) {
      return repliesOf(exe, 'env', await call('env', ['--all', ...names]), EnvAllLineSchema);
    },
    watch(intervalMs) {
      const resident = residentLines(exe, 'watch', transport.start(['watch', String(Math.round(intervalMs))]), WatchTickSchema);
      return { set: (pids) => resident.stream.write(['set', ...pids].join(' ')), onTick: resident.onLine, ended: resident.ended, close: resident.close };
    },
    wait() {
      const resident = residentLines(exe, 'wait', transport.start(['wait']), WaitLineSchema);
      return { add: (pid, createdMs) => resident.stream.write(`add ${pid} ${createdMs}`), onAnswer: resident.onLine, ended: resident.ended, close: resident.close };
    },
  };
}

/** The lines of a resident helper (`watch`, `wait`) as values of `schema`: garbage or an early exit ends it with an Error (exit 2: unknownCommand). */
function residentLines<S extends z.ZodType>(exe: string, verb: string, stream: HelperStream, schema: S) {
  const listeners = new Set<(value: z.infer<S>) => void>();
  let closedByUs = false;
  let failure: Error | null = null;
  stream.onLine((line) => {
    if (line.trim() === '' || failure) return;
    let value: z.infer<S>;
    try {
      value = repliesOf(exe, verb, { stdout: line, stderr: '', exitCode: 0 }, schema)[0] as z.infer<S>;
    } catch (err) {
      failure = err as Error;
      stream.close();
      return;
    }
    for (const listener of listeners) listener(value);
  });
  const ended = stream.exit.then(
    (code) => failure ?? (closedByUs ? null : code === 2 ? unknownCommand(exe, verb, '') : helperUnusable(exe, verb, `it ended on its own (exit code ${code})`)),
    (err: unknown) => helperUnusable(exe, verb, `it could not be run (${(err as Error).message})`, err),
  );
  return {
    stream,
    onLine: (listener: (value: z.infer<S>) => void) => {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    ended,
    close: () => {
      closedByUs = true;
      stream.close();
    },
  };
}

let cached: { exe: string; helper: WinHelper } | null = null;

/**
 * The helper for this process, or null where there is none: not on Windows (unless
 * AGENT_TRAY_WIN_HELPER names one), or not found (Agent Tray then does what it did before the
 * helper existed; see winHelperMissingNote()).
 */
export function defaultWinHelper(env: Record<string, string | undefined> = process.env): WinHelper | null {
  if (process.platform !== 'win32' && !env[WIN_HELPER_VARIABLE]) return null;
  const exe = locateWinHelper({ env });
  if (!exe) return null;
  if (cached?.exe !== exe) cached = { exe, helper: createWinHelper(exe) };
  return cached.helper;
}

/** What a person is told when an agent is started without the helper on Windows. */
export function winHelperMissingNote(why: string): string {
  return `started without ${WIN_HELPER_EXE} (${why}): this agent ends when Agent Tray ends, and a console window may show`;
}
