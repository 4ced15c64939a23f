// Integration tests of the platform readers on real sockets and real processes: port to pid, port holder, command lines, environment.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { createInterface } from 'node:readline';
import { commandLineOf, joinCommandLine, listProcesses } from '../../electron/core/platform/command-lines.js';
import { listTcpListeners, listenersOnPort } from '../../electron/core/platform/listeners.js';
import { canBind, portHolder } from '../../electron/core/platform/port-free.js';
import { readEnvVar } from '../../electron/core/platform/process-env.js';
import { processStartTime } from '../../electron/core/platform/process-table.js';

const linuxOnly = process.platform !== 'linux' && 'reads /proc/<pid>/environ: Linux only';
const NO_SUCH_PID = 2 ** 22 + 12345; // above Linux's largest pid_max (2^22)

/** A child that listens on 127.0.0.1 and a free port, prints the port, and idles. */
const LISTENER_SCRIPT =
  "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => console.log('port ' + s.address().port));";

const children: ChildProcess[] = [];
const servers: net.Server[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) {
    if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
});

/** Rejects after `ms` with a message saying what was awaited; the timer is cleared when `promise` settles. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A server of this test process listening on `host` and a free port. */
async function listenHere(host: string): Promise<number> {
  const server = net.createServer();
  servers.push(server);
  server.listen(0, host);
  await within(once(server, 'listening'), 5_000, `a listener on ${host}`);
  return (server.address() as net.AddressInfo).port;
}

/** Starts a child `node -e` listener with extra argv and env; resolves once it printed its port. */
async function startChildListener(env: Record<string, string>): Promise<{ child: ChildProcess; pid: number; port: number; argv: string[] }> {
  const args = ['-e', LISTENER_SCRIPT, 'agent arg with spaces', 'plain'];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, ...env } });
  children.push(child);
  assert.ok(child.pid, 'spawn gave no pid');
  const lines = createInterface({ input: child.stdout! });
  const died = once(child, 'exit').then(([code, signal]) => {
    throw new Error(`the listener child exited (${String(code ?? signal)}) before printing its port`);
  });
  const [line] = (await within(Promise.race([once(lines, 'line'), died]), 10_000, 'the child to print its port')) as [string];
  died.catch(() => {}); // it exits at the end of the test, after its port was read
  const port = Number(/^port (\d+)$/.exec(line)?.[1]);
  assert.ok(port > 0, `unexpected first line of the child: ${line}`);
  return { child, pid: child.pid, port, argv: [process.execPath, ...args] };
}

/** Ends a child by its pid and waits for its exit. */
async function endChild(child: ChildProcess): Promise<void> {
  const exited = once(child, 'exit');
  process.kill(child.pid!, 'SIGTERM');
  await within(exited, 10_000, `pid ${child.pid} to exit`);
}

test('listenersOnPort finds a listener of this process on 127.0.0.1 with this pid', async () => {
  const port = await listenHere('127.0.0.1');
  assert.deepEqual(await listenersOnPort(port), [{ port, address: '127.0.0.1', family: 4, pid: process.pid }]);
  const all = await listTcpListeners();
  assert.ok(all.some((l) => l.port === port && l.pid === process.pid), 'listTcpListeners misses the listener');
});

test('listenersOnPort finds an IPv6 wildcard listener of this process', async (t) => {
  let port: number;
  try {
    port = await listenHere('::');
  } catch (error) {
    t.skip(`no IPv6 on this machine: ${(error as Error).message}`);
    return;
  }
  assert.deepEqual(await listenersOnPort(port), [{ port, address: '::', family: 6, pid: process.pid }]);
  assert.equal(await canBind(port, '::'), false);
});

test('a child listener is found with its pid, named with its command line, and frees the port when ended', async () => {
  const { child, pid, port, argv } = await startChildListener({ AGENT_TRAY_AGENT: 'web=search' });

  assert.deepEqual(await listenersOnPort(port), [{ port, address: '127.0.0.1', family: 4, pid }]);
  assert.deepEqual(await portHolder(port), { pid, address: '127.0.0.1', commandLine: joinCommandLine(argv) });
  assert.match(joinCommandLine(argv), / "agent arg with spaces" plain$/);
  assert.equal(await canBind(port, '127.0.0.1'), false);
  if (process.platform === 'linux') assert.equal(await canBind(port), false, 'Linux refuses 0.0.0.0 while 127.0.0.1 listens');

  await endChild(child);
  assert.equal(await canBind(port, '127.0.0.1'), true);
  assert.equal(await canBind(port), true);
  assert.deepEqual(await listenersOnPort(port), []);
  assert.equal(await portHolder(port), null);
});

test('commandLineOf gives a child its argv, and null for a pid that does not exist', async () => {
  const { pid, argv } = await startChildListener({});
  const expected = process.platform === 'linux' ? argv : [joinCommandLine(argv)];
  assert.deepEqual(await commandLineOf(pid), expected);
  assert.equal(await commandLineOf(NO_SUCH_PID), null);
});

test('readEnvVar reads the marker a child was started with, and null for an unset key', { skip: linuxOnly }, async () => {
  const { pid } = await startChildListener({ AGENT_TRAY_AGENT: 'web=search', AGENT_TRAY_AGENT_X: 'not this one' });
  assert.equal(readEnvVar(pid, 'AGENT_TRAY_AGENT'), 'web=search');
  assert.equal(readEnvVar(pid, 'AGENT_TRAY_NOT_SET'), null);
  assert.equal(readEnvVar(pid, 'AGENT_TRAY'), null, 'a prefix of a key is not the key');
  assert.equal(readEnvVar(NO_SUCH_PID, 'AGENT_TRAY_AGENT'), null);
});

test('readEnvVar is null on platforms that do not let us read another process environment', async () => {
  assert.equal(readEnvVar(process.pid, 'PATH', 'darwin'), null);
  assert.equal(readEnvVar(process.pid, 'PATH', 'win32'), null);
});

test('listProcesses lists this process with its parent, start time and command line, and a child', async () => {
  const { pid, argv } = await startChildListener({});
  const list = await listProcesses();
  const self = list.find((p) => p.pid === process.pid);
  assert.ok(self, 'this process is not listed');
  assert.equal(self.ppid, process.ppid);
  assert.equal(self.startTime, await processStartTime(process.pid));
  assert.ok(self.commandLine?.includes(process.execPath), `unexpected command line ${self.commandLine}`);
  const child = list.find((p) => p.pid === pid);
  assert.equal(child?.ppid, process.pid);
  assert.equal(child?.commandLine, joinCommandLine(argv));
});

test('canBind is true on a free port of 0.0.0.0 and of :: (also without IPv6)', async () => {
  const port = await listenHere('127.0.0.1');
  await new Promise((resolve) => servers.pop()!.close(resolve)); // a port that was free a moment ago
  assert.equal(await canBind(port), true);
  assert.equal(await canBind(port, '::'), true);
});
