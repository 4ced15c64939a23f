// Unit tests for HealthTracker: starting → healthy → unhealthy → healthy, thresholds, the start period, history.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HealthTracker } from '../../../../electron/core/health/health-tracker.js';
import type { ProbeResult } from '../../../../shared/status.js';

const T0 = 1_000_000;
const ok = (at: number): ProbeResult => ({ at, ok: true, durationMs: 1, detail: 'HTTP 200' });
const bad = (at: number): ProbeResult => ({ at, ok: false, durationMs: 1, detail: 'HTTP 503' });
const policy = (over: Partial<{ startPeriodMs: number; failureThreshold: number; successThreshold: number }> = {}) => ({
  startPeriodMs: 0,
  failureThreshold: 3,
  successThreshold: 1,
  ...over,
});

test('starts in starting; one success (threshold 1) makes it healthy, and a second changes nothing', () => {
  const t = new HealthTracker(policy(), T0);
  assert.equal(t.state, 'starting');
  assert.deepEqual(t.record(ok(T0 + 10)), { from: 'starting', to: 'healthy' });
  assert.equal(t.state, 'healthy');
  assert.equal(t.record(ok(T0 + 20)), null);
});

test('failureThreshold consecutive failures after the start period turn healthy into unhealthy', () => {
  const t = new HealthTracker(policy(), T0);
  t.record(ok(T0 + 1));
  assert.equal(t.record(bad(T0 + 2)), null);
  assert.equal(t.record(bad(T0 + 3)), null);
  assert.equal(t.consecutiveFailures, 2);
  assert.deepEqual(t.record(bad(T0 + 4)), { from: 'healthy', to: 'unhealthy' });
  assert.equal(t.state, 'unhealthy');
  assert.equal(t.record(bad(T0 + 5)), null, 'more failures do not repeat the change');
  assert.equal(t.consecutiveFailures, 4);
});

test('a success in between resets the failure count', () => {
  const t = new HealthTracker(policy(), T0);
  t.record(ok(T0 + 1));
  t.record(bad(T0 + 2));
  t.record(bad(T0 + 3));
  t.record(ok(T0 + 4));
  assert.equal(t.consecutiveFailures, 0);
  t.record(bad(T0 + 5));
  assert.equal(t.record(bad(T0 + 6)), null);
  assert.equal(t.state, 'healthy');
});

test('from unhealthy, successThreshold consecutive successes make it healthy again', () => {
  const t = new HealthTracker(policy({ failureThreshold: 1, successThreshold: 3 }), T0);
  assert.deepEqual(t.record(bad(T0 + 1)), { from: 'starting', to: 'unhealthy' });
  assert.equal(t.record(ok(T0 + 2)), null);
  assert.equal(t.record(ok(T0 + 3)), null);
  assert.equal(t.consecutiveSuccesses, 2);
  assert.equal(t.record(bad(T0 + 4)), null, 'a failure breaks the run of successes');
  assert.equal(t.consecutiveSuccesses, 0);
  t.record(ok(T0 + 5));
  t.record(ok(T0 + 6));
  assert.deepEqual(t.record(ok(T0 + 7)), { from: 'unhealthy', to: 'healthy' });
});

test('during the start period failures do not count and the state stays starting', () => {
  const t = new HealthTracker(policy({ startPeriodMs: 5_000, failureThreshold: 2 }), T0);
  for (let i = 0; i < 10; i++) assert.equal(t.record(bad(T0 + i * 400)), null);
  assert.equal(t.state, 'starting');
  assert.equal(t.consecutiveFailures, 0);
  assert.equal(t.record(bad(T0 + 5_000)), null, 'the first failure after the period counts as one');
  assert.equal(t.consecutiveFailures, 1);
  assert.deepEqual(t.record(bad(T0 + 5_100)), { from: 'starting', to: 'unhealthy' });
});

test('successes count during the start period', () => {
  const t = new HealthTracker(policy({ startPeriodMs: 5_000, successThreshold: 2 }), T0);
  assert.equal(t.record(ok(T0 + 100)), null);
  assert.deepEqual(t.record(ok(T0 + 200)), { from: 'starting', to: 'healthy' });
});

test('once healthy, the grace is over: failures inside the start period count (as in Docker)', () => {
  const t = new HealthTracker(policy({ startPeriodMs: 60_000, failureThreshold: 2 }), T0);
  t.record(ok(T0 + 100));
  t.record(bad(T0 + 200));
  assert.deepEqual(t.record(bad(T0 + 300)), { from: 'healthy', to: 'unhealthy' });
});

test('recent(n) gives the last n results, oldest first; the default is 20', () => {
  const t = new HealthTracker(policy(), T0);
  for (let i = 1; i <= 30; i++) t.record(i % 2 ? ok(T0 + i) : bad(T0 + i));
  assert.deepEqual(t.recent(3).map((r) => r.at), [T0 + 28, T0 + 29, T0 + 30]);
  assert.equal(t.recent().length, 20);
  assert.equal(t.recent()[0]?.at, T0 + 11);
  assert.deepEqual(t.recent(0), []);
  assert.equal(t.recent(1000).length, 30);
});

test('thresholds below 1 behave as 1', () => {
  const t = new HealthTracker(policy({ failureThreshold: 0, successThreshold: 0 }), T0);
  assert.equal(t.record(ok(T0 + 1))?.to, 'healthy');
  assert.equal(t.record(bad(T0 + 2))?.to, 'unhealthy');
});
