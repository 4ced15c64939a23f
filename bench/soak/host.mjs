// One `agent-tray serve` of the soak: started on the data directory, its URL and token read from
// its first line, an API client, and a SIGKILL by pid. The binary is bin/agent-tray.js (it runs
// dist/), AGENT_TRAY_BIN for another build, or the TypeScript sources through tsx (`source`).
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild } from '../lib/child.mjs';
import { killPid, waitGone } from '../lib/processes.mjs';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const URL_LINE = /Agent Tray listening on (http:\/\/\S+?)\/?\?token=(\S+)/;

/**
 * The command line that runs the CLI: the built bin (or AGENT_TRAY_BIN), or the sources via tsx.
 * @param {boolean} source
 * @returns {{ command: string, args: string[], label: string }}
 */
export function cliCommand(source, env = process.env) {
  if (source) return { command: process.execPath, args: ['--import', 'tsx', join(ROOT, 'electron', 'cli', 'index.ts')], label: 'electron/cli/index.ts (tsx)' };
  const bin = env.AGENT_TRAY_BIN || join(ROOT, 'bin', 'agent-tray.js');
  return { command: process.execPath, args: [bin], label: bin };
}

/**
 * Starts a host; resolves once it printed its URL, with the time that took.
 * @param {{ command: string, args: string[] }} cli @param {string} dataDir
 */
export async function startHost(cli, dataDir, timeoutMs = 60_000) {
  const t0 = performance.now();
  const child = startChild(cli.command, [...cli.args, 'serve', '--port', '0', '--data-dir', dataDir], { what: 'agent-tray serve', cwd: ROOT });
  const m = await child.waitForLine(URL_LINE, timeoutMs);
  const startMs = performance.now() - t0;
  const base = m[1];
  const token = m[2];

  /**
   * Calls the API; resolves with the status and the JSON body, rejects when no answer comes (the
   * host was killed, or `timeoutMs` passed).
   * @param {string} method @param {string} path @param {unknown} [body]
   * @returns {Promise<{ status: number, body: any }>}
   */
  const call = async (method, path, body, callTimeoutMs = 120_000) => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(callTimeoutMs),
    });
    const json = await res.json().catch(() => null);
    return { status: res.status, body: json };
  };

  /** Like call, but a non-2xx answer is an error naming it. */
  const api = async (method, path, body, callTimeoutMs) => {
    const r = await call(method, path, body, callTimeoutMs);
    if (r.status < 200 || r.status > 299) throw new Error(`${method} ${path}: HTTP ${r.status} ${JSON.stringify(r.body).slice(0, 300)}`);
    return r.body;
  };

  return {
    pid: child.pid,
    startMs,
    tail: child.tail,
    get done() {
      return child.done;
    },
    call,
    api,
    /** SIGKILL by pid; resolves once it has exited. */
    async kill() {
      killPid(child.pid);
      await child.exited;
    },
    /** SIGTERM (it lets requests finish and leaves the agents running), then SIGKILL after 5 s. */
    async close() {
      if (child.done) return;
      killPid(child.pid, 'SIGTERM');
      if (!(await waitGone([child.pid], 5000))) killPid(child.pid);
      await child.exited;
    },
  };
}

/** `count` free TCP ports on 127.0.0.1 (held open together while chosen, so they differ). @param {number} count */
export async function freePorts(count) {
  const servers = [];
  try {
    for (let i = 0; i < count; i++) {
      const s = createServer();
      await new Promise((resolve, reject) => s.once('error', reject).listen(0, '127.0.0.1', resolve));
      servers.push(s);
    }
    return servers.map((s) => /** @type {import('node:net').AddressInfo} */ (s.address()).port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
  }
}
