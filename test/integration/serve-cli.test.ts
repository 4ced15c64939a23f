// `agent-tray serve` as a process: the one line it prints, the lock against a second host, a
// port in use, and shutdown on SIGTERM (agents keep running unless --stop-agents-on-exit).
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { readLiveLock } from '../../electron/server/host-lock.js';
import { apiClient } from '../helpers/http-host.js';
import { alive, fixture, killTracked, track } from '../helpers/processes.js';
import { tempDir } from '../helpers/temp-dir.js';

const cli = new URL('../../electron/cli/index.ts', import.meta.url).pathname;
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  killTracked(); // the hosts, then every agent an answer named
  for (const c of cleanups.splice(0)) await c();
});

interface Serve {
  pid: number;
  stdout: string[];
  stderr: () => string;
  exit: Promise<number | null>;
  /** Resolves with the printed URL line's parts, or rejects (with the output) when the process exits first or after `timeoutMs`. */
  listening: (timeoutMs?: number) => Promise<{ url: string; token: string }>;
}

/** Starts `agent-tray serve` from source with `args`. */
function serve(args: string[]): Serve {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  track(child.pid);
  const stdout: string[] = [];
  let stderr = '';
  let partial = '';
  const lineWaiters = new Set<() => void>();
  child.stdout.on('data', (d: Buffer) => {
    const parts = (partial + d.toString()).split('\n');
    partial = parts.pop() ?? '';
    stdout.push(...parts);
    for (const w of lineWaiters) w();
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const listening = (timeoutMs = 20_000) =>
    new Promise<{ url: string; token: string }>((resolve, reject) => {
      const check = () => {
        const m = stdout.map((l) => /^Agent Tray listening on (http:\/\/127\.0\.0\.1:\d+)\/\?token=([A-Za-z0-9_-]+)$/.exec(l)).find(Boolean);
        if (!m) return;
        lineWaiters.delete(check);
        clearTimeout(timer);
        resolve({ url: m[1] as string, token: m[2] as string });
      };
      const timer = setTimeout(() => reject(new Error(`serve printed no URL within ${timeoutMs} ms; stdout:\n${stdout.join('\n')}\nstderr:\n${stderr}`)), timeoutMs);
      lineWaiters.add(check);
      check();
      void exit.then((code) => {
        clearTimeout(timer);
        reject(new Error(`serve exited with ${code} before listening; stdout:\n${stdout.join('\n')}\nstderr:\n${stderr}`));
      });
    });
  return { pid: child.pid as number, stdout, stderr: () => stderr, exit, listening };
}

async function dataDir(agents?: unknown[]): Promise<string> {
  const { dir, cleanup } = await tempDir('agent-tray-serve-');
  cleanups.push(cleanup);
  if (agents) await writeFile(path.join(dir, 'agents.json'), JSON.stringify({ agents }));
  return dir;
}

const behaves = { name: 'web', command: process.execPath, args: [fixture('well-behaved.mjs')] };

test('serve prints one line with the URL and the token; a second serve on the same data directory exits 1 naming the first', async () => {
  const dir = await dataDir();
  const first = serve(['--data-dir', dir, '--port', '0']);
  const { url, token } = await first.listening();

  const api = apiClient(url, token);
  const agents = await api('GET', '/api/agents');
  assert.equal(agents.status, 200);
  assert.deepEqual(agents.body, { agents: [] });
  assert.equal((await api('GET', '/api/agents', undefined, { authorization: null })).status, 401);
  const lock = await readLiveLock(dir);
  assert.equal(lock?.pid, first.pid);
  assert.equal(lock?.url, url);
  if (process.platform !== 'win32') assert.equal(statSync(path.join(dir, 'api-token')).mode & 0o777, 0o600);

  const second = serve(['--data-dir', dir, '--port', '0']);
  assert.equal(await second.exit, 1);
  assert.match(second.stderr(), new RegExp(`Another manager already supervises .*: \`agent-tray serve\`, pid ${first.pid}, since .*, at ${url.replace(/\./g, '\\.')}`));
  assert.deepEqual(second.stdout.filter(Boolean), []);
  assert.equal((await api('GET', '/api/summary')).status, 200, 'the first host still answers');

  process.kill(first.pid, 'SIGTERM');
  assert.equal(await first.exit, 0);
  assert.deepEqual(first.stdout.filter(Boolean), [`Agent Tray listening on ${url}/?token=${token}`], 'exactly one line on stdout');
  assert.match(first.stderr(), /SIGTERM: shutting down/);
  assert.equal(existsSync(path.join(dir, 'host.lock')), false, 'the lock is released');

  // the token is reused by the next host of the same data directory
  const third = serve(['--data-dir', dir, '--port', '0']);
  assert.equal((await third.listening()).token, token);
  process.kill(third.pid, 'SIGINT');
  assert.equal(await third.exit, 0);
});

test('SIGTERM stops the host and leaves a running agent running', async () => {
  const dir = await dataDir([behaves]);
  const host = serve(['--data-dir', dir, '--port', '0']);
  const { url, token } = await host.listening();
  const started = await apiClient(url, token)('POST', '/api/agents/web/start');
  assert.equal(started.body.state, 'running');
  const pid = started.body.pid as number;

  process.kill(host.pid, 'SIGTERM');
  assert.equal(await host.exit, 0);
  assert.equal(alive(pid), true, 'the agent outlives the host');
  assert.match(host.stderr(), new RegExp(`stopped; still running: web \\(pid ${pid}\\)`));
  assert.equal(existsSync(path.join(dir, 'host.lock')), false);
  await assert.rejects(fetch(`${url}/api/agents`), /fetch failed/);
});

test('--stop-agents-on-exit stops every agent before the host exits', async () => {
  const dir = await dataDir([behaves, { ...behaves, name: 'other' }]);
  const host = serve(['--data-dir', dir, '--port', '0', '--stop-agents-on-exit']);
  const { url, token } = await host.listening();
  const all = await apiClient(url, token)('POST', '/api/agents/start-all');
  const pids = all.body.results.map((r: { status: { pid: number } }) => r.status.pid);
  assert.equal(pids.length, 2);

  process.kill(host.pid, 'SIGINT');
  assert.equal(await host.exit, 0);
  for (const pid of pids) assert.equal(alive(pid), false, `agent ${pid} was stopped`);
  assert.match(host.stderr(), /shutting down and stopping every agent/);
  assert.match(host.stderr(), /agent-tray serve: stopped\n/);
  assert.equal(existsSync(path.join(dir, 'host.lock')), false);
});

test('a port in use exits 1 naming the port and the fix, and leaves no lock behind', async () => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
  const port = (blocker.address() as net.AddressInfo).port;
  const dir = await dataDir();
  const host = serve(['--data-dir', dir, '--port', String(port)]);
  assert.equal(await host.exit, 1);
  assert.match(host.stderr(), new RegExp(`Port ${port} on 127\\.0\\.0\\.1 is already in use by another program\\. Choose another port with --port N, or --port 0 for any free port`));
  assert.equal(existsSync(path.join(dir, 'host.lock')), false);
});

test('an invalid agents.json or --port is a usage error (exit 2) that leaves no lock behind', async () => {
  const dir = await dataDir([{ name: 'bad/name', command: 'node' }]);
  const host = serve(['--data-dir', dir, '--port', '0']);
  assert.equal(await host.exit, 2);
  assert.match(host.stderr(), /agent "bad\/name" \(agents\[0\]\)\.name/);
  assert.equal(existsSync(path.join(dir, 'host.lock')), false);

  const badPort = serve(['--data-dir', dir, '--port', 'http']);
  assert.equal(await badPort.exit, 2);
  assert.match(badPort.stderr(), /--port "http" is not a port number/);
});

test('a non-loopback --host warns on stderr; the printed URL still reaches it from this machine', async () => {
  const dir = await dataDir();
  const host = serve(['--data-dir', dir, '--port', '0', '--host', '0.0.0.0']);
  const { url, token } = await host.listening();
  assert.match(host.stderr(), /warning: listening on 0\.0\.0\.0, not only on this machine/);
  assert.equal((await apiClient(url, token)('GET', '/api/summary')).status, 200);
  process.kill(host.pid, 'SIGTERM');
  assert.equal(await host.exit, 0);
});
