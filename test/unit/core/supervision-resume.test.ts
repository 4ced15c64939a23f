// How supervision goes on under a new host from the state the previous one left (pure decision).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PersistedState } from '../../../electron/core/run-state.js';
import { RESTART_DEFAULTS } from '../../../electron/core/supervision/restart-policy.js';
import { resumeDecision } from '../../../electron/core/supervision/resume.js';

const NOW = 1_000_000;
const saved = (over: Partial<PersistedState>): PersistedState => ({
  name: 'web',
  state: 'running',
  runId: 'r1',
  at: NOW - 120_000,
  restarts: 2,
  crashes: { restartTimes: [NOW - 20_000, NOW - 10_000], attempt: 2 },
  nextAttemptAt: null,
  lastError: { message: 'web exited with code 1: boom', at: NOW - 10_000, exitCode: 1, signal: null, stderr: ['boom'] },
  exitCode: 1,
  signal: null,
  ...over,
});

test('a pending retry goes on at its recorded time (never in the past), keeping the budget and the last error', () => {
  const d = resumeDecision('web', saved({ state: 'backoff', nextAttemptAt: NOW + 4_000 }), RESTART_DEFAULTS, NOW, () => 0.5);
  assert.equal(d.action, 'retry');
  if (d.action !== 'retry') return;
  assert.equal(d.delayMs, 4_000);
  assert.deepEqual(d.crashes.restartTimes, [NOW - 20_000, NOW - 10_000]);
  assert.match(d.lastError?.message ?? '', /boom/);
  const late = resumeDecision('web', saved({ state: 'backoff', nextAttemptAt: NOW - 60_000 }), RESTART_DEFAULTS, NOW);
  assert.equal(late.action === 'retry' && late.delayMs, 0);
});

test('crashed and errored stay, with their reason', () => {
  for (const state of ['crashed', 'errored'] as const) {
    const d = resumeDecision('web', saved({ state }), RESTART_DEFAULTS, NOW);
    assert.deepEqual([d.action, d.action === 'restore' && d.to], ['restore', state]);
    assert.match(d.action === 'restore' ? d.message : '', new RegExp(`web is ${state}: web exited with code 1: boom \\(carried on`));
  }
});

test('a run that ended while no host watched is an exit of unknown status: restarted by on-failure, left by "no", given up when the budget is spent', () => {
  const d = resumeDecision('web', saved({ state: 'running' }), RESTART_DEFAULTS, NOW, () => 0.5);
  assert.equal(d.action, 'retry');
  assert.match(d.action === 'retry' ? d.message : '', /exited while Agent Tray was not running \(its exit status is unknown\); restarting in/);
  assert.equal(d.action === 'retry' && d.crashes.restartTimes.length, 3, 'this restart counts in the window');
  assert.deepEqual(resumeDecision('web', saved({ state: 'running' }), { ...RESTART_DEFAULTS, policy: 'no' }, NOW), { action: 'none' });
  const spent = resumeDecision('web', saved({ state: 'starting', crashes: { restartTimes: [1, 2, 3, 4, 5].map((i) => NOW - i * 1000), attempt: 5 } }), RESTART_DEFAULTS, NOW);
  assert.equal(spent.action === 'restore' && spent.to, 'crashed');
  assert.match(spent.action === 'restore' ? spent.message : '', /was being started when Agent Tray stopped, and is not running; gave up after 5 restarts within 60 s/);
});
