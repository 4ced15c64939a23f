// Supervision end to end through the application, on real processes: a leaking agent is
// restarted with a violation recorded, a failing /health turns unhealthy and is restarted, the
// sampler sees a busy child, the concurrency limit over the API, alerts, and kill-all.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { AgentTrayApp } from '../../electron/app/application.js';
import { AgentTrayError } from '../../electron/core/errors.js';
import type { HostEvent } from '../../shared/events.js';
import { tempDir } from '../helpers/temp-dir.js';
import { alive, fixture, killTracked, track } from '../helpers/processes.js';
import { freePort } from '../helpers/ports.js';
import { waitFor } from '../helpers/wait.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function openApp(agents: unknown[], settings: unknown = {}): Promise<{ app: AgentTrayApp; dir: string }> {
  const { dir, cleanup } = await tempDir();
  writeFileSync(`${dir}/agents.json`, JSON.stringify({ agents }));
  writeFileSync(`${dir}/settings.json`, JSON.stringify(settings));
  const app = await AgentTrayApp.open({ dataDir: dir, sampleIntervalMs: 200 });
  cleanups.push(cleanup, () => app.close({ stopAgents: true }));
  // every pid any agent gets is ended after the test, whatever happens
  app.subscribe((e) => {
    if (e.type === 'state' && e.status.pid) track(e.status.pid);
  });
  return { app, dir };
}

/** The first event that matches, or a rejection naming what was awaited. */
function next<E extends HostEvent>(app: AgentTrayApp, match: (e: HostEvent) => e is E, timeoutMs: number, what: string): Promise<E> {
  return new Promise((resolve, reject) => {
    let off = () => {};
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    off = app.subscribe((e) => {
      if (!match(e)) return;
      clearTimeout(timer);
      off();
      resolve(e);
    });
  });
}

const node = (name: string, script: string, extra: Record<string, unknown> = {}) => ({ name, command: process.execPath, args: [fixture(script)], ...extra });

test('an agent that leaks memory past maxMemoryMB is restarted, with the violation recorded and an alert raised', async () => {
  const { app } = await openApp([node('leaky', 'leaker.mjs', { env: { STEP_MB: '20', STEP_MS: '50', CAP_MB: '400' }, limits: { maxMemoryMB: 150, action: 'restart' } })]);
  const violated = next(app, (e): e is Extract<HostEvent, { type: 'limit-violated' }> => e.type === 'limit-violated' && e.name === 'leaky', 20_000, 'a memory violation');
  const restarted = next(app, (e): e is Extract<HostEvent, { type: 'state' }> => e.type === 'state' && e.name === 'leaky' && e.lifecycle === 'restarted', 20_000, 'the restart');
  const first = await app.dispatch('startAgent', { name: 'leaky' });
  const { violation } = await violated;
  assert.equal(violation.kind, 'memory');
  assert.equal(violation.limit, 150);
  assert.ok(violation.value > 150, `${violation.value}`);
  assert.equal(violation.action, 'restart');
  const event = await restarted;
  assert.notEqual(event.status.pid, first.pid);
  await waitFor(() => !alive(first.pid!), 5_000, 'the first run to be gone');
  const status = await app.dispatch('getAgent', { name: 'leaky' });
  assert.equal(status.restarts, 1, 'a limit restart counts in restarts');
  assert.ok(status.violations >= 1);
  const { violations } = await app.dispatch('agentViolations', { name: 'leaky' });
  assert.match(violations[0]!.message, /memory .* MB is over the limit of 150 MB/);
  const { alerts } = await app.dispatch('listAlerts', {});
  assert.ok(alerts.some((a) => a.kind === 'limit' && a.name === 'leaky' && a.severity === 'critical'), JSON.stringify(alerts));
});

test('an HTTP agent whose /health starts failing turns unhealthy after the threshold and is restarted', async () => {
  const port = await freePort();
  const { dir } = await tempDir();
  const failFile = `${dir}/fail`;
  const { app } = await openApp([
    node('web', 'flaky-http.mjs', {
      env: { PORT: String(port), FAIL_FILE: failFile },
      port,
      health: { http: { url: `http://127.0.0.1:${port}/health` }, intervalMs: 100, timeoutMs: 1_000, startPeriodMs: 2_000, failureThreshold: 3, restartOnFailure: true },
    }),
  ]);
  const healthy = next(app, (e): e is Extract<HostEvent, { type: 'health-changed' }> => e.type === 'health-changed' && e.name === 'web' && e.to === 'healthy', 10_000, 'healthy');
  const first = await app.dispatch('startAgent', { name: 'web' });
  await healthy;
  assert.equal((await app.dispatch('getAgent', { name: 'web' })).health, 'healthy');

  const changes: string[] = [];
  app.subscribe((e) => {
    if (e.type === 'health-changed' && e.name === 'web') changes.push(`${e.from}>${e.to}${e.probe ? ` (${e.probe.detail})` : ''}`);
  });
  const unhealthy = next(app, (e): e is Extract<HostEvent, { type: 'health-changed' }> => e.type === 'health-changed' && e.name === 'web' && e.to === 'unhealthy', 10_000, 'unhealthy');
  const stopping = next(app, (e): e is Extract<HostEvent, { type: 'state' }> => e.type === 'state' && e.name === 'web' && e.to === 'stopping', 10_000, 'the stop of the restart');
  const restarted = next(app, (e): e is Extract<HostEvent, { type: 'state' }> => e.type === 'state' && e.name === 'web' && e.lifecycle === 'restarted', 10_000, 'the restart');
  writeFileSync(failFile, '');
  const turned = await unhealthy;
  assert.equal(turned.probe?.detail, 'HTTP 503');
  assert.ok(turned.score <= 30, `an unhealthy agent scores low: ${turned.score}`);
  const why = await stopping;
  assert.equal(why.reason.kind, 'health');
  assert.match(why.reason.message, /web is unhealthy \(HTTP 503\); restarting it/);
  const event = await restarted;
  assert.notEqual(event.status.pid, first.pid);
  assert.equal(changes[0], 'healthy>unhealthy (HTTP 503)');
  const { alerts } = await app.dispatch('listAlerts', {});
  assert.ok(alerts.some((a) => a.kind === 'unhealthy' && a.name === 'web'));
  assert.equal((await app.dispatch('getAgent', { name: 'web' })).restarts, 1);
});

test('the sampler reports the CPU of a busy child process as the agent\'s, and the history is served', async () => {
  const { app } = await openApp([node('busy', 'busy-child.mjs')]);
  await app.dispatch('startAgent', { name: 'busy' });
  const busy = await next(app, (e): e is Extract<HostEvent, { type: 'stats' }> => e.type === 'stats' && e.name === 'busy' && e.sample.processes >= 2 && e.sample.cpuPercent > 50, 15_000, 'a sample with the busy child');
  assert.ok(busy.sample.memoryMB > 10);
  assert.ok((busy.sample.threads ?? 0) > 2);
  assert.ok((busy.sample.fileHandles ?? 0) > 0);
  const status = await app.dispatch('getAgent', { name: 'busy' });
  assert.ok(status.stats && status.stats.processes >= 2);
  const { samples } = await app.dispatch('agentStats', { name: 'busy', since: 0 });
  assert.ok(samples.length >= 1);
  assert.ok(samples.every((s, i) => i === 0 || s.at > samples[i - 1]!.at), 'oldest first');
  const summary = await app.dispatch('summary', {});
  assert.ok(summary.totalCpuPercent > 50, `${summary.totalCpuPercent}`);
  const later = await app.dispatch('agentStats', { name: 'busy', since: samples.at(-1)!.at });
  assert.ok(later.samples.every((s) => s.at > samples.at(-1)!.at));
});

test('the concurrency limit over the API: the third agent is refused when it is 2, admitted after one stops; utilization alerts', async () => {
  const { app, dir } = await openApp([node('a', 'well-behaved.mjs'), node('b', 'well-behaved.mjs'), node('c', 'well-behaved.mjs')], { maxConcurrent: 5 });
  assert.deepEqual(await app.dispatch('setLimits', { maxConcurrent: 2 }), { oldLimit: 5, newLimit: 2 });
  assert.equal(JSON.parse((await import('node:fs')).readFileSync(`${dir}/settings.json`, 'utf8')).maxConcurrent, 2, 'saved to settings.json');
  await app.dispatch('startAgent', { name: 'a' });
  await app.dispatch('startAgent', { name: 'b' });
  await assert.rejects(app.dispatch('startAgent', { name: 'c' }), (err: AgentTrayError) => {
    assert.equal(err.code, 'conflict');
    assert.match(err.message, /concurrency limit of 2 agents is reached \(running: a \(pid \d+\), b \(pid \d+\)\)/);
    return true;
  });
  const summary = await app.dispatch('summary', {});
  assert.equal(summary.canStartNew, false);
  assert.equal(summary.utilizationPercent, 100);
  const { alerts } = await app.dispatch('listAlerts', {});
  assert.ok(alerts.some((a) => a.kind === 'utilization' && a.name === null));
  await app.dispatch('stopAgent', { name: 'a' });
  assert.equal((await app.dispatch('startAgent', { name: 'c' })).state, 'running');
  await assert.rejects(app.dispatch('setLimits', { maxConcurrent: 0 }), /maxConcurrent/);
});

test('kill-all is the emergency stop: every managed tree is gone, including processes that left the group', async () => {
  const { app } = await openApp([node('forker', 'forker.mjs'), node('busy', 'busy-child.mjs'), node('good', 'well-behaved.mjs')]);
  const tree = next(app, (e): e is Extract<HostEvent, { type: 'log' }> => e.type === 'log' && e.name === 'forker' && e.lines.some((l) => l.text.startsWith('tree ')), 10_000, 'the forker tree');
  await app.dispatch('startAll', {});
  const text = (await tree).lines.find((l) => l.text.startsWith('tree '))!.text;
  const descendants = (JSON.parse(text.slice(5)) as { kids: { child: number; grandchild: number }[] }).kids.flatMap((k) => [k.child, k.grandchild]);
  track(...descendants);
  const killed = await app.dispatch('killAll', {});
  for (const pid of descendants) {
    assert.ok(killed.killedPids?.includes(pid), `killedPids lists ${pid}`);
    assert.equal(alive(pid), false, `${pid} is gone`);
  }
  for (const pid of killed.killedPids ?? []) assert.equal(alive(pid), false);
  assert.equal((await app.dispatch('summary', {})).activeProcesses, 0);
});

test('autostart agents start with the host, the others do not', async () => {
  const { app } = await openApp([node('auto', 'well-behaved.mjs', { autostart: true }), node('manual', 'well-behaved.mjs')]);
  const result = await app.startAutostartAgents();
  assert.deepEqual(result.results.map((r) => [r.name, r.ok]), [['auto', true]]);
  assert.equal((await app.dispatch('getAgent', { name: 'manual' })).state, 'stopped');
});
