// Running Windows programs under Wine in tests: one cached WINEPREFIX, output through files
// (Wine's Windows children inherit Unix fds, so a pipe would keep a test waiting for every one of
// them), and a cleanup that ends the wineserver of this prefix only.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

/** The Wine launcher on PATH (Debian's script picks wine64 when wine32 is absent). */
const WINE = 'wine';
/** File in the prefix that says it was created completely (wineboot and winecfg both done). */
const READY_MARKER = '.agent-tray-ready';

/** Where this user's test prefix lives: `${XDG_CACHE_HOME:-~/.cache}/agent-tray/wine-prefix-<uid>`. */
export function winePrefix(): string {
  const cache = process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache');
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  return path.join(cache, 'agent-tray', `wine-prefix-${uid}`);
}

/** The environment every Wine call runs with: our prefix, no debug output, no Mono/Gecko install prompts. */
export function wineEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    WINEPREFIX: winePrefix(),
    WINEARCH: 'win64',
    WINEDEBUG: '-all',
    WINEDLLOVERRIDES: 'mscoree,mshtml=',
    ...extra,
  };
}

/** Why Wine cannot run Windows programs here (a sentence naming the fix), or null when it can. */
export function wineUnavailableReason(): string | null {
  if (process.platform !== 'linux') return `the Wine lane runs on Linux only (this is ${process.platform})`;
  for (const tool of [WINE, 'wineserver', 'wineboot']) {
    const found = spawnSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    if (found.status !== 0) return `${tool} is not installed (Debian: apt-get install wine wine64)`;
  }
  const version = spawnSync(WINE, ['--version'], { env: wineEnv(), encoding: 'utf8', timeout: 30_000 });
  if (version.status !== 0) return `\`wine --version\` failed (${version.error?.message ?? `exit ${version.status}`}): ${String(version.stderr).trim()}`;
  return null;
}

/** Converts a Linux path to the path Windows programs under Wine see (`/tmp/x` → `Z:\tmp\x`). */
export function winPath(linuxPath: string): string {
  return `Z:${path.resolve(linuxPath).split('/').join('\\')}`;
}

/** Runs a command to completion with output to /dev/null; throws naming the command when it fails. */
function runQuietly(command: string, args: string[], timeoutMs: number): void {
  const result = spawnSync(command, args, { env: wineEnv(), stdio: 'ignore', timeout: timeoutMs });
  if (result.error || result.status !== 0) {
    throw new Error(`\`${command} ${args.join(' ')}\` failed creating the Wine prefix ${winePrefix()} (${result.error?.message ?? `exit ${result.status}`}); delete that folder and retry`);
  }
}

/** Takes a lock folder next to the prefix (mkdir is atomic), waiting for another test process that holds it. */
async function withPrefixLock<T>(work: () => Promise<T> | T): Promise<T> {
  const lock = `${winePrefix()}.lock`;
  mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`the Wine prefix lock ${lock} is held for more than 3 minutes; remove it if no test is running`);
      await delay(200);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Creates the prefix once (wineboot -i, then Windows 10 as the version) and returns its path; later calls return at once. */
export async function ensureWinePrefix(): Promise<string> {
  const prefix = winePrefix();
  if (existsSync(path.join(prefix, READY_MARKER))) return prefix;
  return withPrefixLock(() => {
    if (existsSync(path.join(prefix, READY_MARKER))) return prefix;
    rmSync(prefix, { recursive: true, force: true }); // a half-made prefix from an interrupted run
    mkdirSync(path.dirname(prefix), { recursive: true });
    runQuietly('wineboot', ['-i'], 180_000);
    runQuietly('winecfg', ['-v', 'win10'], 60_000);
    runQuietly('wineserver', ['-w'], 60_000);
    writeFileSync(path.join(prefix, READY_MARKER), `${new Date().toISOString()}\n`);
    return prefix;
  });
}

export interface WineRunOptions {
  /** Text given as the program's stdin (through a file); none = the null device. */
  stdin?: string;
  /** The run is killed (SIGKILL to the Wine loader) after this many ms; the result then says `timedOut`. */
  timeoutMs: number;
  /** Working directory (a Linux path). */
  cwd?: string;
  /** Extra environment for the Windows program (Wine passes the Unix environment through). */
  env?: NodeJS.ProcessEnv;
}

export interface WineRunResult {
  /** Exit code, or null when killed. */
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  /** Wall time of the run, in ms. */
  ms: number;
}

/** Runs a Windows program under Wine to its end; stdin, stdout and stderr go through files, never pipes. */
export async function runWine(exe: string, args: string[], options: WineRunOptions): Promise<WineRunResult> {
  await ensureWinePrefix();
  const dir = await mkdtemp(path.join(tmpdir(), 'agent-tray-wine-'));
  const files = { stdin: path.join(dir, 'stdin'), stdout: path.join(dir, 'stdout'), stderr: path.join(dir, 'stderr') };
  writeFileSync(files.stdin, options.stdin ?? '');
  const fds = [openSync(files.stdin, 'r'), openSync(files.stdout, 'w'), openSync(files.stderr, 'w')];
  const started = performance.now();
  try {
    const child = spawn(WINE, [exe, ...args], { cwd: options.cwd, env: wineEnv(options.env), stdio: fds });
    const { code, timedOut } = await exitOf(child, options.timeoutMs);
    const ms = performance.now() - started;
    return { code, timedOut, ms, stdout: await readFile(files.stdout, 'utf8'), stderr: await readFile(files.stderr, 'utf8') };
  } finally {
    for (const fd of fds) closeSync(fd);
    await rm(dir, { recursive: true, force: true });
  }
}

/** Waits for a child to exit, SIGKILLing it by pid after `timeoutMs`. */
function exitOf(child: ChildProcess, timeoutMs: number): Promise<{ code: number | null; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid) process.kill(child.pid, 'SIGKILL');
    }, timeoutMs);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, timedOut });
    });
  });
}

export interface WineProcess {
  child: ChildProcess;
  /** The file its stdout goes to (read it while it runs). */
  stdoutFile: string;
  stderrFile: string;
  /** Resolves when the Wine loader exits (code, or null when killed). */
  exited: Promise<number | null>;
  /** SIGKILLs the Wine loader by pid (if still running) and removes its output files. */
  dispose: () => Promise<void>;
}

/** Starts a long-lived Windows program under Wine, stdout/stderr to files; stdin a writable pipe (for `watch`) or, with `stdin: 'ignore'`, the null device. */
export async function startWine(exe: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; stdin?: 'pipe' | 'ignore' } = {}): Promise<WineProcess> {
  await ensureWinePrefix();
  const dir = await mkdtemp(path.join(tmpdir(), 'agent-tray-wine-'));
  const stdoutFile = path.join(dir, 'stdout');
  const stderrFile = path.join(dir, 'stderr');
  const fds = [openSync(stdoutFile, 'w'), openSync(stderrFile, 'w')];
  const child = spawn(WINE, [exe, ...args], { cwd: options.cwd, env: wineEnv(options.env), stdio: [options.stdin ?? 'pipe', fds[0], fds[1]] });
  for (const fd of fds) closeSync(fd);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  child.once('error', () => undefined);
  const dispose = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null && child.pid) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await rm(dir, { recursive: true, force: true });
  };
  return { child, stdoutFile, stderrFile, exited, dispose };
}

/** Ends every Windows process of this test prefix (`wineserver -k` with WINEPREFIX set; nothing is killed by name).
 *  Test files that share the prefix must not run at the same time (test/run.mjs runs the windows suite one file at a time). */
export function killWineServer(): void {
  if (!existsSync(winePrefix())) return;
  spawnSync('wineserver', ['-k'], { env: wineEnv(), stdio: 'ignore', timeout: 30_000 });
}
