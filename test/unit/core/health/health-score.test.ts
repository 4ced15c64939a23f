// Unit tests for healthScore: its range, its monotonic properties, and the caps of each state.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { healthScore, weightedSuccessRatio, UNHEALTHY_CAP } from '../../../../electron/core/health/health-score.js';
import type { HealthState, ProbeResult } from '../../../../shared/status.js';

/** Probe results from a pattern: '+' ok, '-' failed, oldest first. */
const probes = (pattern: string): ProbeResult[] =>
  [...pattern].map((c, i) => ({ at: i * 1000, ok: c === '+', durationMs: 1, detail: c === '+' ? 'HTTP 200' : 'HTTP 503' }));

const score = (state: HealthState, pattern: string, restarts = 0, violations = 0) =>
  healthScore({ state, recent: probes(pattern), restartsInWindow: restarts, violationsInWindow: violations });

test('all good is 100', () => {
  assert.equal(score('healthy', '+'.repeat(20)), 100);
  assert.equal(score('healthy', '+'), 100);
  assert.equal(score('unknown', ''), 100, 'no probe, no restarts, no violations');
  assert.equal(score('starting', ''), 100);
});

test('the score is always an integer from 0 to 100', () => {
  for (const state of ['healthy', 'unhealthy', 'starting', 'unknown', 'zombie'] as const) {
    for (const pattern of ['', '+', '-', '+-+--+', '-'.repeat(20), '+'.repeat(7) + '-'.repeat(3)]) {
      for (const n of [0, 1, 3, 100]) {
        const s = score(state, pattern, n, n);
        assert.ok(Number.isInteger(s) && s >= 0 && s <= 100, `${state} ${pattern} ${n}: ${s}`);
      }
    }
  }
});

test('more failures among the recent probes → a lower score', () => {
  let previous = Infinity;
  for (let failures = 0; failures <= 20; failures++) {
    // turn one more result into a failure each time, at an arbitrary position
    const pattern = [...'+'.repeat(20)].map((c, i) => ((i * 7) % 20 < failures ? '-' : c)).join('');
    const s = score('healthy', pattern);
    assert.ok(s < previous, `${failures} failures: ${s} < ${previous}`);
    previous = s;
  }
});

test('a recent failure costs more than an old one', () => {
  assert.ok(score('healthy', '+++++++++-') < score('healthy', '-+++++++++'));
  assert.ok(weightedSuccessRatio(probes('+-')) < weightedSuccessRatio(probes('-+')));
  assert.equal(weightedSuccessRatio([]), 1);
});

test('more restarts → a lower score, until the cap', () => {
  const scores = [0, 1, 2, 3, 4].map((r) => score('healthy', '++++', r));
  for (let i = 1; i < scores.length; i++) assert.ok((scores[i] ?? 0) < (scores[i - 1] ?? 0), `restarts: ${scores.join(' ')}`);
  assert.ok(score('healthy', '++++', 50) <= score('healthy', '++++', 4), 'never higher beyond the cap');
  assert.ok(score('healthy', '++++', 50) > 0, 'restarts alone do not take every point');
});

test('more violations → a lower score, until the cap', () => {
  const scores = [0, 1, 2, 3].map((v) => score('healthy', '++++', 0, v));
  for (let i = 1; i < scores.length; i++) assert.ok((scores[i] ?? 0) < (scores[i - 1] ?? 0), `violations: ${scores.join(' ')}`);
  assert.ok(score('healthy', '++++', 0, 50) <= score('healthy', '++++', 0, 3));
});

test('probe results weigh most: all probes failing costs more than the most restarts or violations can', () => {
  const allFailing = 100 - score('starting', '-'.repeat(20));
  assert.ok(allFailing > 100 - score('healthy', '+'.repeat(20), 1000));
  assert.ok(allFailing > 100 - score('healthy', '+'.repeat(20), 0, 1000));
});

test('unhealthy caps the score low; zombie is 0', () => {
  assert.ok(score('unhealthy', '+++++++++---') <= UNHEALTHY_CAP);
  assert.ok(score('unhealthy', '+'.repeat(20)) <= UNHEALTHY_CAP);
  assert.equal(score('zombie', '+'.repeat(20)), 0);
  assert.equal(score('zombie', ''), 0);
});

test('unknown with no probes is based on restarts and violations only', () => {
  assert.ok(score('unknown', '', 2) < 100);
  assert.ok(score('unknown', '', 0, 2) < 100);
  assert.ok(score('unknown', '', 2, 2) < score('unknown', '', 2));
});

test('nonsense counts (negative, NaN) count as 0', () => {
  assert.equal(healthScore({ state: 'healthy', recent: [], restartsInWindow: -3, violationsInWindow: Number.NaN }), 100);
});
