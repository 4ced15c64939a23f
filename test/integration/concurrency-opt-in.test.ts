// The concurrency limit is opt-in: with default settings a personal stack of seven agents starts
// whole, the summary says there is no limit and no utilization alert is raised; a limit set over
// the API refuses the agent past it as before, and PUT /api/limits {"maxConcurrent": null} removes it.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Cleanups } from '../helpers/engine.js';
import { startHost } from '../helpers/http-host.js';
import { fixture, killTracked } from '../helpers/processes.js';

const cleanups: Cleanups = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0).reverse()) await c();
});

const names = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
const agents = names.map((name) => ({ name, command: process.execPath, args: [fixture('well-behaved.mjs')] }));

test('default settings: seven agents start, the summary reports no limit, no utilization alert', async () => {
  const host = await startHost(cleanups, { agents });
  const all = await host.api('POST', '/api/agents/start-all');
  assert.equal(all.status, 200, JSON.stringify(all.body));
  assert.deepEqual(
    all.body.results.map((r: { name: string; ok: boolean; status?: { state: string } }) => [r.name, r.ok, r.status?.state]),
    names.map((n) => [n, true, 'running']),
  );
  const summary = await host.api('GET', '/api/summary');
  assert.deepEqual({ running: summary.body.running, max: summary.body.maxConcurrent, util: summary.body.utilizationPercent, can: summary.body.canStartNew }, { running: 7, max: null, util: null, can: true });
  const limits = await host.api('GET', '/api/limits');
  assert.deepEqual(limits.body, { maxConcurrent: null, activeProcesses: 7 });
  const alerts = await host.api('GET', '/api/alerts');
  assert.deepEqual(alerts.body.alerts.filter((a: { kind: string }) => a.kind === 'utilization'), []);
});

test('a limit set over the API refuses the seventh agent as before; {"maxConcurrent": null} removes it', async () => {
  const host = await startHost(cleanups, { agents });
  const set = await host.api('PUT', '/api/limits', { maxConcurrent: 6 });
  assert.deepEqual(set.body, { oldLimit: null, newLimit: 6 });
  for (const n of names.slice(0, 6)) assert.equal((await host.api('POST', `/api/agents/${n}/start`)).body.state, 'running');
  const refused = await host.api('POST', '/api/agents/g/start');
  assert.equal(refused.status, 409);
  assert.equal(refused.body.error.code, 'conflict');
  assert.match(refused.body.error.message, /concurrency limit of 6 agents is reached/);
  const summary = await host.api('GET', '/api/summary');
  assert.deepEqual({ max: summary.body.maxConcurrent, util: summary.body.utilizationPercent, can: summary.body.canStartNew }, { max: 6, util: 100, can: false });
  const alerts = await host.api('GET', '/api/alerts');
  assert.ok(alerts.body.alerts.some((a: { kind: string }) => a.kind === 'utilization'), 'utilization is alerted when a limit is set');

  const removed = await host.api('PUT', '/api/limits', { maxConcurrent: null });
  assert.deepEqual(removed.body, { oldLimit: 6, newLimit: null });
  assert.equal(JSON.parse(readFileSync(path.join(host.dataDir, 'settings.json'), 'utf8')).maxConcurrent, null, 'saved to settings.json');
  assert.equal((await host.api('POST', '/api/agents/g/start')).body.state, 'running');
  assert.equal((await host.api('GET', '/api/summary')).body.canStartNew, true);
});
