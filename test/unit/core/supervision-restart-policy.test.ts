// The restart policy's decisions: which exits restart, the budget within a window, the growing
// backoff with bounded jitter, and the reset after a stable run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelay, decideAfterExit, EMPTY_HISTORY, resolveRestart, type CrashHistory } from '../../../electron/core/supervision/restart-policy.js';

const policy = resolveRestart({ maxRestarts: 3, windowMs: 10_000, stableMs: 5_000, backoff: { initialMs: 100, factor: 2, maxMs: 1_000 } });
const crash = { exitCode: 1, signal: null };
const clean = { exitCode: 0, signal: null };
const mid = () => 0.5; // no jitter

test('defaults: on-failure, 5 restarts in 60 s, backoff 1 s doubling to 30 s; settings defaults sit between', () => {
  const p = resolveRestart(undefined);
  assert.deepEqual(p, { policy: 'on-failure', maxRestarts: 5, windowMs: 60_000, stableMs: 30_000, backoff: { initialMs: 1_000, factor: 2, maxMs: 30_000 } });
  const q = resolveRestart({ backoff: { factor: 3 } }, { policy: 'always', backoff: { initialMs: 500 } });
  assert.equal(q.policy, 'always');
  assert.deepEqual(q.backoff, { initialMs: 500, factor: 3, maxMs: 30_000 });
});

test('which exits restart: no never, on-failure only unclean ones, always every one', () => {
  assert.equal(decideAfterExit({ ...policy, policy: 'no' }, crash, EMPTY_HISTORY, 0, 0).action, 'leave');
  assert.equal(decideAfterExit(policy, clean, EMPTY_HISTORY, 0, 0).action, 'leave');
  assert.equal(decideAfterExit(policy, crash, EMPTY_HISTORY, 0, 0).action, 'restart');
  assert.equal(decideAfterExit(policy, { exitCode: null, signal: 'SIGSEGV' }, EMPTY_HISTORY, 0, 0).action, 'restart');
  assert.equal(decideAfterExit({ ...policy, policy: 'always' }, clean, EMPTY_HISTORY, 0, 0).action, 'restart');
});

test('the backoff doubles per crash up to maxMs, and gives up after more than maxRestarts inside the window', () => {
  let history: CrashHistory = EMPTY_HISTORY;
  const delays: number[] = [];
  let now = 0;
  for (let i = 0; i < 3; i++) {
    const d = decideAfterExit(policy, crash, history, now, 10, mid);
    assert.equal(d.action, 'restart');
    if (d.action !== 'restart') return;
    delays.push(d.delayMs);
    assert.equal(d.restartsInWindow, i + 1);
    history = d.history;
    now += d.delayMs + 10;
  }
  assert.deepEqual(delays, [100, 200, 400]);
  const last = decideAfterExit(policy, crash, history, now, 10, mid);
  assert.deepEqual(last, { action: 'give-up', restartsInWindow: 3 });
});

test('restarts older than the window no longer count (intensity, not a lifetime count)', () => {
  const history: CrashHistory = { restartTimes: [0, 1_000, 2_000], attempt: 3 };
  assert.equal(decideAfterExit(policy, crash, history, 5_000, 10).action, 'give-up');
  const later = decideAfterExit(policy, crash, history, 11_500, 10, mid);
  assert.equal(later.action, 'restart');
  if (later.action === 'restart') assert.deepEqual(later.history.restartTimes, [2_000, 11_500]);
});

test('a run longer than stableMs starts the backoff again from initialMs', () => {
  const history: CrashHistory = { restartTimes: [0], attempt: 4 };
  const d = decideAfterExit(policy, crash, history, 6_000, 5_000, mid);
  assert.equal(d.action, 'restart');
  if (d.action === 'restart') {
    assert.equal(d.delayMs, 100);
    assert.equal(d.history.attempt, 1);
  }
});

test('jitter stays within ±20 % and never passes maxMs', () => {
  const b = { initialMs: 1_000, factor: 2, maxMs: 5_000 };
  assert.equal(backoffDelay(b, 0, () => 0), 800);
  assert.equal(backoffDelay(b, 0, () => 1), 1_200);
  assert.equal(backoffDelay(b, 10, () => 1), 5_000);
  assert.equal(backoffDelay(b, 10, () => 0), 4_000);
  for (let i = 0; i < 100; i++) {
    const d = backoffDelay(b, 1);
    assert.ok(d >= 1_600 && d <= 2_400, String(d));
  }
});
