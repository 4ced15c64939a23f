// Unit tests for the memory trend: the least-squares slope, the minutes to the limit, and the sentence for people.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeTrend, formatMB, memoryTrend } from '../../../../electron/core/monitor/memory-trend.js';
import type { ResourceSample } from '../../../../shared/status.js';

const T0 = 1_700_000_000_000;

/** Samples every stepMs whose memory is given by f(minutes since the first). */
function series(count: number, stepMs: number, f: (minutes: number, i: number) => number): ResourceSample[] {
  return Array.from({ length: count }, (_, i) => ({
    at: T0 + i * stepMs,
    cpuPercent: 0,
    memoryMB: f((i * stepMs) / 60_000, i),
    threads: null,
    fileHandles: null,
    processes: 1,
  }));
}

/** Asserts two numbers agree within epsilon. */
function near(actual: number | null, expected: number, epsilon = 1e-6): void {
  assert.ok(actual !== null && Math.abs(actual - expected) <= epsilon, `expected ${expected} ± ${epsilon}, got ${actual}`);
}

test('rising memory: the slope in MB per minute and the minutes left', () => {
  // 1000 MB growing 100 MB/min, sampled every 2 s for 2 minutes: at 1200 MB, 848 MB left to 2048
  const t = memoryTrend(series(61, 2000, (m) => 1000 + 100 * m), 2048);
  near(t.slopeMBPerMinute, 100);
  near(t.minutesToLimit, 8.48);
});

test('flat and falling memory never reach the limit', () => {
  const flat = memoryTrend(series(30, 2000, () => 500), 2048);
  assert.deepEqual(flat, { slopeMBPerMinute: 0, minutesToLimit: null });
  const falling = memoryTrend(series(30, 2000, (m) => 1500 - 50 * m), 2048);
  near(falling.slopeMBPerMinute, -50);
  assert.equal(falling.minutesToLimit, null);
});

test('noisy but rising memory: the fitted slope, not the last jump', () => {
  const noise = [12, -9, 4, -15, 7, 0, -3, 11, -6, 9];
  const t = memoryTrend(series(150, 2000, (m, i) => 800 + 20 * m + (noise[i % noise.length] ?? 0)), 2048);
  near(t.slopeMBPerMinute, 20, 1);
  assert.ok(t.minutesToLimit !== null && t.minutesToLimit > 40 && t.minutesToLimit < 80, `minutes ${t.minutesToLimit}`);
});

test('only the window counts: an old climb followed by a plateau is flat', () => {
  const h = series(600, 1000, (m) => (m < 5 ? 100 + 200 * m : 1100)); // 10 minutes, climb in the first 5
  const t = memoryTrend(h, 2048, { windowMs: 240_000 });
  near(t.slopeMBPerMinute, 0);
  assert.equal(t.minutesToLimit, null);
  assert.ok(memoryTrend(h, 2048, { windowMs: 600_000 }).slopeMBPerMinute > 0);
});

test('too few samples: no estimate', () => {
  const few = series(4, 2000, (m) => 1000 + 100 * m);
  assert.equal(memoryTrend(few, 2048).minutesToLimit, null);
  assert.ok(memoryTrend(few, 2048).slopeMBPerMinute > 0, 'the slope is still given');
  assert.notEqual(memoryTrend(few, 2048, { minSamples: 3 }).minutesToLimit, null);
  assert.deepEqual(memoryTrend([], 2048), { slopeMBPerMinute: 0, minutesToLimit: null });
  assert.deepEqual(memoryTrend(series(1, 2000, () => 10), 2048), { slopeMBPerMinute: 0, minutesToLimit: null });
});

test('already at or over the limit: no estimate', () => {
  assert.equal(memoryTrend(series(30, 2000, (m) => 2000 + 100 * m), 2048).minutesToLimit, null);
  assert.equal(memoryTrend(series(10, 2000, (_m, i) => 2040 + i), 2048).minutesToLimit, null, 'reaches 2049');
});

test('samples out of order give the same trend', () => {
  const h = series(30, 2000, (m) => 1000 + 60 * m);
  near(memoryTrend([...h].reverse(), 2048).minutesToLimit, memoryTrend(h, 2048).minutesToLimit ?? NaN);
});

test('describeTrend: MB under 1024, GB with at most one decimal, minutes in words', () => {
  assert.equal(describeTrend('researcher', 2048, 6.2), 'researcher will reach its 2 GB limit in about 6 minutes');
  assert.equal(describeTrend('indexer', 512, 1.2), 'indexer will reach its 512 MB limit in about 1 minute');
  assert.equal(describeTrend('w', 1536, 0.4), 'w will reach its 1.5 GB limit in less than a minute');
  assert.equal(describeTrend('w', 3000, 150), 'w will reach its 2.9 GB limit in about 2.5 hours');
  assert.equal(describeTrend('w', 4096, 60), 'w will reach its 4 GB limit in about 60 minutes');
  assert.equal(formatMB(1023.4), '1023 MB');
  assert.equal(formatMB(1023.6), '1 GB');
  assert.equal(formatMB(1024), '1 GB');
});
