// Unit tests for the sampler's interval and history sizing rules.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { effectiveIntervalMs, historyCapacity, MIN_HISTORY_SAMPLES } from '../../../../electron/core/monitor/sampler.js';

test('the interval is at least 2 s on Windows (each tick runs PowerShell there), at least 100 ms elsewhere', () => {
  assert.equal(effectiveIntervalMs(500, 'win32'), 2000);
  assert.equal(effectiveIntervalMs(5000, 'win32'), 5000);
  assert.equal(effectiveIntervalMs(500, 'linux'), 500);
  assert.equal(effectiveIntervalMs(10, 'darwin'), 100);
  for (const bad of [0, -1, Number.NaN, Number.POSITIVE_INFINITY]) assert.throws(() => effectiveIntervalMs(bad, 'linux'), /positive/);
});

test('the history keeps historyMs / intervalMs samples, at least 10', () => {
  assert.equal(historyCapacity(600_000, 2000), 300);
  assert.equal(historyCapacity(600_000, 7000), 86);
  assert.equal(historyCapacity(1000, 2000), MIN_HISTORY_SAMPLES);
});
