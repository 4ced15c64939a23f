// The three health probes (HTTP GET, TCP connect, a command's exit code); each answers with a
// ProbeResult whose detail a person can act on, and none of them ever throws.
import { spawn } from 'node:child_process';
import net from 'node:net';
import type { ProbeResult } from '../../../shared/status.js';
import { runTaskkill } from '../stop-windows.js';
import type { HealthProbe } from './health-defaults.js';

export interface ProbeOptions {
  timeoutMs: number;
  /** Working directory of a command probe. */
  cwd: string;
  /** Environment of a command probe. */
  env: Record<string, string>;
  /** Abandons the probe: the request is aborted, the socket destroyed, the command's tree killed. */
  signal?: AbortSignal;
  platform?: NodeJS.Platform;
}

/** How long a killed command probe may take to exit before its result is given anyway. */
const KILL_WAIT_MS = 2_000;
/** How long stderr may stay open after a command probe exited (a background child may hold it). */
const STDERR_DRAIN_MS = 200;
/** The longest stderr line kept for a detail. */
const MAX_LINE = 300;

/** Words for the network errors a probe meets most. */
const NETWORK_ERRORS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EPIPE: 'connection closed',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_SOCKET: 'connection closed by the server',
  UND_ERR_HEADERS_OVERFLOW: 'response headers too large',
};

/** Runs one probe; resolves with its result (ok false on every failure), never rejects. */
export async function runProbe(probe: HealthProbe, opts: ProbeOptions): Promise<ProbeResult> {
  const at = Date.now();
  const started = performance.now();
  let outcome: { ok: boolean; detail: string };
  try {
    if (opts.signal?.aborted) outcome = { ok: false, detail: 'cancelled' };
    else if (probe.kind === 'http') outcome = await httpProbe(probe.url, opts);
    else if (probe.kind === 'tcp') outcome = await tcpProbe(probe.host, probe.port, opts);
    else outcome = await commandProbe(probe.argv, opts);
  } catch (error) {
    outcome = { ok: false, detail: `probe failed: ${error instanceof Error ? error.message : String(error)}` };
  }
  return { at, ok: outcome.ok, durationMs: Math.round(performance.now() - started), detail: outcome.detail };
}

/** "timed out after N ms". */
function timedOut(timeoutMs: number): string {
  return `timed out after ${timeoutMs} ms`;
}

/** The error code of a network error, looking through fetch's `cause` chain. */
function errorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** "connection refused (ECONNREFUSED) to <target>", or the error's own message when it has no known code. */
function networkDetail(error: unknown, target: string): string {
  const code = errorCode(error);
  if (code) return `${NETWORK_ERRORS[code] ?? 'connection failed'} (${code}) to ${target}`;
  const deepest = (function last(e: unknown): unknown {
    const cause = (e as { cause?: unknown } | null)?.cause;
    return cause ? last(cause) : e;
  })(error);
  const message = deepest instanceof Error ? deepest.message : String(deepest);
  return `${message} (${target})`;
}

/** GET `url`: ok on 2xx; the body is cancelled unread so the socket is released. */
async function httpProbe(url: string, opts: ProbeOptions): Promise<{ ok: boolean; detail: string }> {
  const timeout = AbortSignal.timeout(opts.timeoutMs);
  const signal = opts.signal ? AbortSignal.any([timeout, opts.signal]) : timeout;
  try {
    const response = await fetch(url, { signal, headers: { 'user-agent': 'agent-tray-health' }, cache: 'no-store' });
    response.body?.cancel().catch(() => {});
    return { ok: response.status >= 200 && response.status < 300, detail: `HTTP ${response.status}` };
  } catch (error) {
    if (timeout.aborted) return { ok: false, detail: timedOut(opts.timeoutMs) };
    if (opts.signal?.aborted) return { ok: false, detail: 'cancelled' };
    return { ok: false, detail: networkDetail(error, url) };
  }
}

/** Connects to host:port: ok once connected (the socket is destroyed at once). */
function tcpProbe(host: string, port: number, opts: ProbeOptions): Promise<{ ok: boolean; detail: string }> {
  const target = `${host}:${port}`;
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const finish = (ok: boolean, detail: string) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve({ ok, detail });
    };
    const onAbort = () => finish(false, 'cancelled');
    const timer = setTimeout(() => finish(false, timedOut(opts.timeoutMs)), opts.timeoutMs);
    timer.unref();
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    socket.once('connect', () => finish(true, `connected to ${target}`));
    socket.once('error', (error) => finish(false, networkDetail(error, target)));
  });
}

/** Keeps the tail of a stream's text, to find its last non-empty line. */
function tailKeeper(): { add: (chunk: Buffer) => void; lastLine: () => string } {
  let tail = '';
  return {
    add(chunk) {
      tail = (tail + chunk.toString('utf8')).slice(-4 * MAX_LINE);
    },
    lastLine() {
      const lines = tail.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
      const line = lines.at(-1) ?? '';
      return line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line;
    },
  };
}

/** Why a command could not be started, in words: "could not start foo: not found (ENOENT) …". */
function spawnFailure(command: string, cwd: string, error: NodeJS.ErrnoException): string {
  if (error.code === 'ENOENT') return `could not start ${command}: not found (ENOENT); check the program name and that the directory ${cwd} exists`;
  if (error.code === 'EACCES') return `could not start ${command}: permission denied (EACCES)`;
  return `could not start ${command}: ${error.message}`;
}

/** Runs argv with the agent's cwd and env: ok on exit 0; on timeout (or abort) its whole tree is killed. */
function commandProbe(argv: string[], opts: ProbeOptions): Promise<{ ok: boolean; detail: string }> {
  const [command, ...args] = argv;
  if (command === undefined || command === '') return Promise.resolve({ ok: false, detail: 'the health command is empty' });
  const platform = opts.platform ?? process.platform;
  const stderr = tailKeeper();
  const withStderr = (detail: string) => {
    const line = stderr.lastLine();
    return line ? `${detail}: ${line}` : detail;
  };

  return new Promise((resolve) => {
    let settled = false;
    let ending: string | null = null; // why we killed it: the timeout or an abort
    let exited = false;
    const timers: NodeJS.Timeout[] = [];
    const later = (ms: number, fn: () => void) => {
      const t = setTimeout(fn, ms);
      t.unref();
      timers.push(t);
    };
    const finish = (ok: boolean, detail: string) => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      opts.signal?.removeEventListener('abort', onAbort);
      child.stderr?.destroy();
      resolve({ ok, detail });
    };

    let child: ReturnType<typeof spawn>;
    try {
      child = spawn(command, args, {
        cwd: opts.cwd,
        env: opts.env,
        stdio: ['ignore', 'ignore', 'pipe'],
        // POSIX: its own process group, so a timeout kills the whole tree with one signal.
        detached: platform !== 'win32',
        windowsHide: true,
      });
    } catch (error) {
      resolve({ ok: false, detail: spawnFailure(command, opts.cwd, error as NodeJS.ErrnoException) });
      return;
    }

    const killTree = (why: string) => {
      if (settled || ending || exited) return;
      ending = why;
      const pid = child.pid;
      if (pid !== undefined) {
        if (platform === 'win32') void runTaskkill(pid);
        else {
          try {
            process.kill(-pid, 'SIGKILL');
          } catch {
            child.kill('SIGKILL'); // the group is gone already; make sure of the child itself
          }
        }
      }
      // resolve when it has exited (below), or after a bounded wait if it will not
      later(KILL_WAIT_MS, () => finish(false, withStderr(`${why}; the process did not exit after it was killed`)));
    };
    const onAbort = () => killTree('cancelled');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    later(opts.timeoutMs, () => killTree(timedOut(opts.timeoutMs)));

    child.stderr?.on('data', stderr.add);
    child.stderr?.on('error', () => {});
    child.once('error', (error: NodeJS.ErrnoException) => {
      // spawn failed: missing program or cwd, permissions
      finish(false, spawnFailure(command, opts.cwd, error));
    });
    child.once('exit', (code, signal) => {
      exited = true;
      const ok = ending === null && code === 0;
      const detail = ending ?? (code === 0 ? 'exit code 0' : code !== null ? `exit code ${code}` : `ended by ${signal ?? 'a signal'}`);
      const done = () => finish(ok, ok ? detail : withStderr(detail));
      // stderr's last chunks arrive with 'close'; do not wait on a background child that keeps it open
      child.once('close', done);
      later(STDERR_DRAIN_MS, done);
    });
  });
}
