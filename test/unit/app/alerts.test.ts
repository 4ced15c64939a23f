// Alerts raised from events: which events raise which alert, the cooldown, the bounded list.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AlertCenter } from '../../../electron/app/alerts.js';
import type { Alert, AgentStatus, EngineEvent } from '../../../shared/status.js';

const status = { name: 'w' } as AgentStatus;
const state = (to: 'backoff' | 'crashed' | 'running' | 'errored', kind: 'exited' | 'policy' | 'spawned' = 'exited', message = 'w exited with code 1'): EngineEvent => ({ type: 'state', name: 'w', from: 'running', to, reason: { kind, message }, at: 0, status });

function center(opts: { active?: number; max?: number; forecast?: string | null; cooldownMs?: number; maxAlerts?: number } = {}) {
  let now = 1_000;
  const published: Alert[] = [];
  const c = new AlertCenter(
    { utilization: () => ({ active: opts.active ?? 1, max: opts.max ?? 5 }), memoryForecast: () => (opts.forecast ? { message: opts.forecast } : null) },
    (a) => published.push(a),
    { cooldownMs: opts.cooldownMs ?? 60_000, maxAlerts: opts.maxAlerts ?? 200, now: () => now },
  );
  return { c, published, advance: (ms: number) => (now += ms) };
}

test('a crash is a warning, giving up and a failed spawn are critical', () => {
  const { c, published } = center();
  c.observe(state('backoff'));
  c.observe(state('crashed', 'policy', 'w exited with code 1; gave up after 5 restarts within 60 s'));
  c.observe(state('errored', 'exited', 'w: program not found'));
  assert.deepEqual(published.map((a) => [a.severity, a.kind, a.name]), [['warning', 'crashed', 'w'], ['critical', 'gave-up', 'w'], ['critical', 'errored', 'w']]);
  assert.match(published[1]!.message, /gave up after 5 restarts/);
  assert.deepEqual(c.list(1).map((a) => a.id), [2, 3]);
});

test('unhealthy, zombie, limit breaches and a memory forecast raise alerts', () => {
  const { c, published } = center({ forecast: 'w will reach its 2 GB limit in about 6 minutes' });
  c.observe({ type: 'health-changed', name: 'w', from: 'healthy', to: 'unhealthy', score: 20, probe: { at: 0, ok: false, durationMs: 3, detail: 'HTTP 503' }, at: 0 });
  c.observe({ type: 'limit-violated', name: 'w', violation: { at: 0, kind: 'memory', value: 2100, limit: 2048, action: 'restart', message: 'memory 2,100 MB is over the limit of 2,048 MB' } });
  c.observe({ type: 'stats', name: 'w', sample: { at: 0, cpuPercent: 1, memoryMB: 1500, threads: 4, fileHandles: 20, processes: 1 } });
  assert.deepEqual(published.map((a) => `${a.severity} ${a.kind}: ${a.message}`), [
    'critical unhealthy: w is unhealthy: HTTP 503',
    'critical limit: w: memory 2,100 MB is over the limit of 2,048 MB (restart)',
    'warning memory-trend: w will reach its 2 GB limit in about 6 minutes',
  ]);
});

test('the same alert for the same agent waits out its cooldown; other agents and kinds do not', () => {
  const { c, published, advance } = center({ cooldownMs: 10_000 });
  c.observe(state('backoff'));
  c.observe(state('backoff'));
  c.observe({ ...state('backoff'), name: 'other' } as EngineEvent);
  assert.equal(published.length, 2);
  advance(10_000);
  c.observe(state('backoff'));
  assert.equal(published.length, 3);
});

test('utilization over 80 % of the concurrency limit raises a host-wide warning', () => {
  const low = center({ active: 4, max: 5 });
  low.c.observe(state('running', 'spawned'));
  assert.equal(low.published.length, 0, '80 % is not over 80 %');
  const high = center({ active: 5, max: 5 });
  high.c.observe(state('running', 'spawned'));
  assert.deepEqual(high.published.map((a) => [a.kind, a.name, a.message]), [['utilization', null, '5 of 5 agents are running (100 % of the concurrency limit)']]);
});

test('the list is bounded, oldest dropped first', () => {
  const { c } = center({ cooldownMs: 0, maxAlerts: 3 });
  for (let i = 0; i < 5; i++) c.observe(state('backoff'));
  assert.deepEqual(c.list().map((a) => a.id), [3, 4, 5]);
});

test('a crash alert says why, with the stderr lines of the last error', () => {
  const { c, published } = center();
  const crashed: EngineEvent = { type: 'state', name: 'w', from: 'running', to: 'crashed', reason: { kind: 'exited', message: 'w exited with code 1' }, at: 0, status: { name: 'w', lastError: { message: 'w exited with code 1: boom: OPENAI_API_KEY is not set' } } as AgentStatus };
  c.observe(crashed);
  assert.equal(published[0]?.message, 'w exited with code 1: boom: OPENAI_API_KEY is not set');
});

test('without a concurrency limit (the default) no utilization alert is raised, however many agents run', () => {
  const published: Alert[] = [];
  const c = new AlertCenter({ utilization: () => ({ active: 40, max: null }), memoryForecast: () => null }, (a) => published.push(a));
  c.observe(state('running', 'spawned'));
  assert.deepEqual(published, []);
});
