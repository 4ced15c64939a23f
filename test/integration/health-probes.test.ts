// Health probes on real sockets and processes (http, tcp, command), and a HealthChecker against
// the flaky-http fixture turning healthy, then unhealthy after failureThreshold failures.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { createServer, type RequestListener, type Server } from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { HealthChecker } from '../../electron/core/health/health-checker.js';
import type { HealthProbe, ResolvedHealth } from '../../electron/core/health/health-defaults.js';
import type { HealthChange, HealthTracker } from '../../electron/core/health/health-tracker.js';
import { runProbe, type ProbeOptions } from '../../electron/core/health/probes.js';
import type { ProbeResult } from '../../shared/status.js';
import { alive, fixture, killTracked, track } from '../helpers/processes.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0).reverse()) await c();
});

const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined));
const opts = (timeoutMs = 2_000, extra: Partial<ProbeOptions> = {}): ProbeOptions => ({ timeoutMs, cwd: process.cwd(), env, ...extra });

/** An HTTP server on 127.0.0.1 and a free port; closed (with its open connections) after the test. */
async function listen(handler: RequestListener): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  cleanups.push(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { server, port: (server.address() as net.AddressInfo).port };
}

/** A port on 127.0.0.1 that nothing listens on (it was just bound and released). */
async function closedPort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const http = (url: string): HealthProbe => ({ kind: 'http', url });
const command = (...argv: string[]): HealthProbe => ({ kind: 'command', argv });

test('http: 200 is ok, 503 is not, each with its status in the detail', async () => {
  const { port } = await listen((req, res) => {
    res.writeHead(req.url === '/health' ? 200 : 503);
    res.end('body');
  });
  const good = await runProbe(http(`http://127.0.0.1:${port}/health`), opts());
  assert.equal(good.ok, true);
  assert.equal(good.detail, 'HTTP 200');
  assert.ok(good.durationMs >= 0 && good.durationMs < 2_000);
  assert.ok(Math.abs(good.at - Date.now()) < 5_000);

  const bad = await runProbe(http(`http://127.0.0.1:${port}/down`), opts());
  assert.equal(bad.ok, false);
  assert.equal(bad.detail, 'HTTP 503');
});

test('http: a 2xx whose body never ends is ok at once (the body is not awaited)', async () => {
  const { port } = await listen((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('streaming forever');
  });
  const result = await runProbe(http(`http://127.0.0.1:${port}/`), opts(1_500));
  assert.equal(result.ok, true);
  assert.equal(result.detail, 'HTTP 200');
  assert.ok(result.durationMs < 1_500, `took ${result.durationMs} ms`);
});

test('http: many probes do not pile up open connections (each body is released)', async () => {
  const { server, port } = await listen((_req, res) => {
    res.writeHead(200);
    res.end('x'.repeat(100_000));
  });
  for (let i = 0; i < 30; i++) assert.equal((await runProbe(http(`http://127.0.0.1:${port}/`), opts())).ok, true);
  const open = await new Promise<number>((resolve, reject) => server.getConnections((err, n) => (err ? reject(err) : resolve(n))));
  assert.ok(open <= 2, `${open} connections open after 30 probes`);
});

test('http: a closed port is "connection refused (ECONNREFUSED) to <url>"', async () => {
  const url = `http://127.0.0.1:${await closedPort()}/health`;
  const result = await runProbe(http(url), opts());
  assert.equal(result.ok, false);
  assert.equal(result.detail, `connection refused (ECONNREFUSED) to ${url}`);
});

test('http: a server that never answers is "timed out after N ms"', async () => {
  const { port } = await listen(() => {});
  const result = await runProbe(http(`http://127.0.0.1:${port}/health`), opts(200));
  assert.equal(result.ok, false);
  assert.equal(result.detail, 'timed out after 200 ms');
  assert.ok(result.durationMs >= 150 && result.durationMs < 2_000, `took ${result.durationMs} ms`);
});

test('tcp: an open port is ok, a closed one is refused', async () => {
  const { port } = await listen((_req, res) => res.end());
  const open = await runProbe({ kind: 'tcp', host: '127.0.0.1', port }, opts());
  assert.equal(open.ok, true);
  assert.equal(open.detail, `connected to 127.0.0.1:${port}`);

  const closed = await closedPort();
  const refused = await runProbe({ kind: 'tcp', host: '127.0.0.1', port: closed }, opts());
  assert.equal(refused.ok, false);
  assert.equal(refused.detail, `connection refused (ECONNREFUSED) to 127.0.0.1:${closed}`);
});

test('command: exit 0 is ok; exit 1 is not, with its last stderr line', async () => {
  const good = await runProbe(command(process.execPath, '-e', 'process.exit(0)'), opts(5_000));
  assert.deepEqual([good.ok, good.detail], [true, 'exit code 0']);

  const script = "console.error('loading weights'); console.error('model not loaded yet\\n'); process.exit(1)";
  const bad = await runProbe(command(process.execPath, '-e', script), opts(5_000));
  assert.equal(bad.ok, false);
  assert.equal(bad.detail, 'exit code 1: model not loaded yet');
});

test('command: runs with the given cwd and env', async () => {
  const { dir, cleanup } = await tempDir();
  cleanups.push(cleanup);
  const script = "process.exit(process.cwd() === process.env.EXPECTED_CWD ? 0 : (console.error('cwd ' + process.cwd()), 3))";
  const result = await runProbe(command(process.execPath, '-e', script), opts(5_000, { cwd: dir, env: { ...env, EXPECTED_CWD: dir } }));
  assert.deepEqual([result.ok, result.detail], [true, 'exit code 0']);
});

test('command: a program that does not exist is a failed probe that says so', async () => {
  const result = await runProbe(command('agent-tray-no-such-program', '--health'), opts());
  assert.equal(result.ok, false);
  assert.match(result.detail, /^could not start agent-tray-no-such-program: not found \(ENOENT\)/);
});

/** A node script that starts a child, writes "<pid> <childPid>" to pidFile, says so on stderr and sleeps forever. */
function foreverScript(pidFile: string): string[] {
  const script = [
    "const { spawn } = require('node:child_process');",
    "const fs = require('node:fs');",
    "const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });",
    'fs.writeFileSync(process.env.PID_FILE, process.pid + " " + child.pid);',
    "console.error('waiting forever');",
    'setInterval(() => {}, 1000);',
  ].join('\n');
  return [process.execPath, '-e', script, pidFile];
}

/** The pids the forever script wrote, tracked for cleanup. */
function readPids(pidFile: string): [number, number] {
  const [pid, childPid] = readFileSync(pidFile, 'utf8').trim().split(' ').map(Number);
  assert.ok(pid && childPid, `pids in ${pidFile}`);
  track(pid, childPid);
  return [pid, childPid];
}

test('command: one that runs forever is timed out, and its whole tree is gone afterwards', async () => {
  const { dir, cleanup } = await tempDir();
  cleanups.push(cleanup);
  const pidFile = path.join(dir, 'pids');
  const result = await runProbe(command(...foreverScript(pidFile)), opts(2_000, { env: { ...env, PID_FILE: pidFile } }));
  const [pid, childPid] = readPids(pidFile);
  assert.equal(result.ok, false);
  assert.equal(result.detail, 'timed out after 2000 ms: waiting forever');
  assert.equal(alive(pid), false, 'the probe command has exited when the result comes');
  await waitFor(() => !alive(childPid), 2_000, `its child ${childPid} to be gone`);
});

test('command: an abort ends the probe at once and kills its tree', async () => {
  const { dir, cleanup } = await tempDir();
  cleanups.push(cleanup);
  const pidFile = path.join(dir, 'pids');
  const controller = new AbortController();
  const pending = runProbe(command(...foreverScript(pidFile)), opts(30_000, { env: { ...env, PID_FILE: pidFile }, signal: controller.signal }));
  await waitFor(() => existsSync(pidFile) && readFileSync(pidFile, 'utf8').includes(' '), 5_000, 'the probe command to start');
  const [pid, childPid] = readPids(pidFile);
  controller.abort();
  const result = await pending;
  assert.equal(result.ok, false);
  assert.match(result.detail, /^cancelled/);
  assert.ok(result.durationMs < 30_000);
  assert.equal(alive(pid), false);
  await waitFor(() => !alive(childPid), 2_000, `its child ${childPid} to be gone`);
});

/** Resolved health settings for tests: fast interval, no start period. */
function fastHealth(probe: HealthProbe, over: Partial<ResolvedHealth> = {}): ResolvedHealth {
  return { probe, intervalMs: 50, timeoutMs: 1_000, startPeriodMs: 0, failureThreshold: 3, successThreshold: 1, restartOnFailure: false, ...over };
}

type Report = { result: ProbeResult; change: HealthChange | null; failures: number };

/** A HealthChecker whose reports are collected, with a way to wait for a state change; stopped after the test. */
function collectingChecker(health: ResolvedHealth, extra: { runProbe?: typeof runProbe; now?: () => number; startedAt?: number } = {}) {
  const reports: Report[] = [];
  const waiters: { match: (r: Report) => boolean; resolve: () => void }[] = [];
  const checker = new HealthChecker({
    health,
    cwd: process.cwd(),
    env,
    startedAt: extra.startedAt ?? Date.now(),
    ...(extra.now ? { now: extra.now } : {}),
    ...(extra.runProbe ? { runProbe: extra.runProbe } : {}),
    onResult: (result, change, tracker: HealthTracker) => {
      const report = { result, change, failures: tracker.consecutiveFailures };
      reports.push(report);
      for (const w of [...waiters]) if (w.match(report)) w.resolve();
    },
  });
  cleanups.push(() => checker.stop());
  /** Resolves with the report that matches, or rejects after timeoutMs. */
  const next = (match: (r: Report) => boolean, timeoutMs: number, what: string) =>
    new Promise<Report>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)), timeoutMs);
      const waiter = {
        match,
        resolve: () => {
          clearTimeout(timer);
          waiters.splice(waiters.indexOf(waiter), 1);
          resolve(reports.at(-1) as Report);
        },
      };
      waiters.push(waiter);
    });
  return { checker, reports, next };
}

test('HealthChecker on the flaky-http fixture: healthy, then unhealthy after failureThreshold failures, then healthy again', async () => {
  const { dir, cleanup } = await tempDir();
  cleanups.push(cleanup);
  const failFile = path.join(dir, 'fail');
  const child = spawn(process.execPath, [fixture('flaky-http.mjs')], {
    env: { ...env, PORT: '0', FAIL_FILE: failFile },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  track(child.pid);
  cleanups.push(() => {
    child.stdout?.destroy();
  });
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('timed out after 5000 ms waiting for "listening on"')), 5_000);
    lines.on('line', (line) => {
      const m = /^listening on (\d+)$/.exec(line);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => reject(new Error(`the fixture exited with code ${code} before listening`)));
  });

  const { checker, reports, next } = collectingChecker(fastHealth(http(`http://127.0.0.1:${port}/health`)));
  assert.equal(checker.state, 'starting');
  const healthy = next((r) => r.change?.to === 'healthy', 5_000, 'healthy');
  checker.start();
  await healthy;
  assert.equal(checker.state, 'healthy');

  const unhealthy = next((r) => r.change?.to === 'unhealthy', 5_000, 'unhealthy');
  await writeFile(failFile, '');
  const turned = await unhealthy;
  assert.equal(turned.failures, 3);
  const lastFour = reports.slice(-4).map((r) => [r.result.ok, r.result.detail]);
  assert.deepEqual(lastFour, [[true, 'HTTP 200'], [false, 'HTTP 503'], [false, 'HTTP 503'], [false, 'HTTP 503']], 'exactly failureThreshold failures');

  const recovered = next((r) => r.change?.to === 'healthy', 5_000, 'healthy again');
  await rm(failFile);
  await recovered;
  checker.stop();
  const changes = reports.filter((r) => r.change).map((r) => `${r.change?.from}>${r.change?.to}`);
  assert.deepEqual(changes, ['starting>healthy', 'healthy>unhealthy', 'unhealthy>healthy']);
  for (let i = 1; i < reports.length; i++) {
    const gap = (reports[i]?.result.at ?? 0) - (reports[i - 1]?.result.at ?? 0);
    assert.ok(gap >= 49, `probes ${i - 1} and ${i} are ${gap} ms apart, less than intervalMs`);
  }

  const exited = once(child, 'exit');
  process.kill(child.pid!, 'SIGTERM');
  const [code] = await exited;
  assert.equal(code, 0, 'the fixture exits 0 on SIGTERM');
});

/** A probe runner whose answers the test gives, one call at a time. */
function manualRunner() {
  const calls: { opts: ProbeOptions; answer: (ok: boolean) => void }[] = [];
  let active = 0;
  let maxActive = 0;
  const waiting: (() => void)[] = [];
  const run = (_probe: HealthProbe, opts: ProbeOptions) =>
    new Promise<ProbeResult>((resolve) => {
      active += 1;
      maxActive = Math.max(maxActive, active);
      calls.push({
        opts,
        answer: (ok) => {
          active -= 1;
          resolve({ at: 0, ok, durationMs: 1, detail: ok ? 'fine' : 'bad' });
        },
      });
      for (const w of waiting.splice(0)) w();
    });
  /** Resolves when the runner has been called n times, or rejects after timeoutMs. */
  const called = (n: number, timeoutMs = 2_000) => waitFor(() => calls.length >= n, timeoutMs, `probe call ${n}`, 5);
  return { run, calls, called, maxActive: () => maxActive };
}

/** Lets pending promise callbacks and immediates run. */
const settle = () => new Promise<void>((resolve) => setImmediate(() => setImmediate(resolve)));

test('HealthChecker: the first probe runs at once, the next only after the previous one finished', async () => {
  const runner = manualRunner();
  let clock = 1_000;
  const { checker, reports } = collectingChecker(fastHealth(http('http://unused/'), { startPeriodMs: 10_000 }), {
    runProbe: runner.run,
    now: () => clock,
    startedAt: 1_000,
  });
  checker.start();
  checker.start(); // a second start does nothing
  assert.equal(runner.calls.length, 1, 'the first probe starts synchronously');
  assert.equal(runner.calls[0]?.opts.timeoutMs, 1_000);

  clock = 2_000;
  runner.calls[0]?.answer(false);
  await runner.called(2);
  assert.equal(reports.length, 1);
  assert.equal(reports[0]?.result.at, 1_000, 'a result is stamped with the injected clock at the probe start');
  assert.equal(checker.state, 'starting', 'failures in the start period do not count');

  runner.calls[1]?.answer(false);
  await runner.called(3);
  runner.calls[2]?.answer(true);
  await runner.called(4);
  assert.equal(runner.maxActive(), 1, 'never two probes at once');
  assert.deepEqual(reports.map((r) => r.change?.to ?? null), [null, null, 'healthy']);
});

test('HealthChecker: after stop() a probe in flight is abandoned, its result ignored, and no probe follows', async () => {
  const runner = manualRunner();
  const { checker, reports } = collectingChecker(fastHealth(http('http://unused/')), { runProbe: runner.run });
  checker.start();
  assert.equal(runner.calls.length, 1);
  checker.stop();
  assert.equal(runner.calls[0]?.opts.signal?.aborted, true, 'the probe in flight is told to stop');
  runner.calls[0]?.answer(true);
  await settle();
  assert.equal(reports.length, 0, 'no callback after stop');
  assert.equal(checker.state, 'starting');
  checker.start();
  assert.equal(runner.calls.length, 1, 'a stopped checker does not start again');
});
