// Unit tests for evaluateLimits: each kind of limit, the CPU sustain window and the cooldown.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateLimits, formatDuration, LIMIT_DEFAULTS, newLimitTracker, type LimitTracker } from '../../../../electron/core/monitor/limits.js';
import type { Limits } from '../../../../shared/agent.js';
import type { ResourceSample, Violation } from '../../../../shared/status.js';

const START = 1_000_000;

/** A sample at START + offsetMs with quiet defaults. */
function sample(offsetMs: number, over: Partial<ResourceSample> = {}): ResourceSample {
  return { at: START + offsetMs, cpuPercent: 1, memoryMB: 100, threads: 5, fileHandles: 20, processes: 1, ...over };
}

/** Feeds samples in order through evaluateLimits; returns every violation and the last tracker. */
function run(limits: Limits, samples: ResourceSample[], cooldownMs?: number): { violations: Violation[]; tracker: LimitTracker } {
  let tracker = newLimitTracker();
  const violations: Violation[] = [];
  for (const s of samples) {
    const r = evaluateLimits(limits, s, START, tracker, cooldownMs);
    violations.push(...r.violations);
    tracker = r.tracker;
  }
  return { violations, tracker };
}

test('defaults: sustain 30 s, action warn', () => {
  assert.deepEqual(LIMIT_DEFAULTS, { sustainMs: 30_000, action: 'warn' });
  assert.deepEqual(newLimitTracker(), { cpuOverSince: null, lastViolationAt: {} });
});

test('memory over the limit is a violation at once, with the action and a readable message', () => {
  const { violations } = evaluateLimits({ maxMemoryMB: 2048, action: 'restart' }, sample(1000, { memoryMB: 2150.4 }), START, newLimitTracker());
  assert.deepEqual(violations, [
    { at: START + 1000, kind: 'memory', value: 2150.4, limit: 2048, action: 'restart', message: 'memory 2,150 MB is over the limit of 2,048 MB' },
  ]);
  assert.deepEqual(evaluateLimits({ maxMemoryMB: 2048 }, sample(1000, { memoryMB: 2048 }), START, newLimitTracker()).violations, [], 'at the limit is not over it');
});

test('CPU must stay over the limit for sustainMs; the message says for how long', () => {
  const limits: Limits = { maxCpuPercent: 90 };
  const samples = [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30].map((s) => sample(s * 1000, { cpuPercent: 97 }));
  const { violations, tracker } = run(limits, samples);
  assert.equal(violations.length, 1);
  assert.equal(violations[0]?.at, START + 30_000, 'reported when 30 s have passed, not before');
  assert.equal(violations[0]?.kind, 'cpu');
  assert.equal(violations[0]?.action, 'warn');
  assert.equal(violations[0]?.message, 'CPU 97 % for 30 s is over the limit of 90 %');
  assert.equal(tracker.cpuOverSince, START);
});

test('a CPU sample under the limit resets the sustain count', () => {
  const limits: Limits = { maxCpuPercent: 90, sustainMs: 10_000 };
  const cpu = [95, 95, 95, 95, 50, 95, 95, 95, 95, 95, 95]; // one dip at 8 s
  const samples = cpu.map((c, i) => sample(i * 2000, { cpuPercent: c }));
  const { violations } = run(limits, samples);
  assert.equal(violations.length, 1);
  assert.equal(violations[0]?.at, START + 20_000, 'over again since 10 s, so reported at 20 s');
  const dip = evaluateLimits(limits, sample(0, { cpuPercent: 10 }), START, { cpuOverSince: START - 5000, lastViolationAt: {} });
  assert.equal(dip.tracker.cpuOverSince, null);
});

test('runtime over maxRuntimeMs counts from the start of the run', () => {
  const limits: Limits = { maxRuntimeMs: 3_600_000, action: 'stop' };
  assert.deepEqual(evaluateLimits(limits, sample(3_600_000), START, newLimitTracker()).violations, []);
  const { violations } = evaluateLimits(limits, sample(3_720_000), START, newLimitTracker());
  assert.equal(violations.length, 1);
  assert.deepEqual({ ...violations[0], message: undefined }, { at: START + 3_720_000, kind: 'runtime', value: 3_720_000, limit: 3_600_000, action: 'stop', message: undefined });
  assert.equal(violations[0]?.message, 'runtime 1 h 2 min is over the limit of 1 h');
});

test('file handles over the limit; unknown handle counts (null) never breach', () => {
  const limits: Limits = { maxFileHandles: 1000 };
  const { violations } = evaluateLimits(limits, sample(0, { fileHandles: 1204 }), START, newLimitTracker());
  assert.equal(violations[0]?.kind, 'fileHandles');
  assert.equal(violations[0]?.message, '1,204 open file handles are over the limit of 1,000');
  assert.deepEqual(evaluateLimits(limits, sample(0, { fileHandles: null }), START, newLimitTracker()).violations, []);
});

test('several kinds at once; no limits, no violations', () => {
  const s = sample(7_200_000, { memoryMB: 5000, fileHandles: 5000, cpuPercent: 300 });
  const all = evaluateLimits({ maxMemoryMB: 100, maxCpuPercent: 50, sustainMs: 0, maxRuntimeMs: 1000, maxFileHandles: 10 }, s, START, newLimitTracker());
  assert.deepEqual(all.violations.map((v) => v.kind), ['memory', 'cpu', 'runtime', 'fileHandles']);
  assert.deepEqual(evaluateLimits({}, s, START, newLimitTracker()).violations, []);
});

test('the same kind is not reported again within the cooldown, other kinds are', () => {
  const limits: Limits = { maxMemoryMB: 100, maxFileHandles: 30 };
  const samples = [0, 2, 30, 59.9, 60, 61, 125].map((s) => sample(s * 1000, { memoryMB: 200 }));
  samples[3] = { ...samples[3]!, fileHandles: 50 };
  const { violations, tracker } = run(limits, samples, 60_000);
  assert.deepEqual(
    violations.map((v) => [v.kind, (v.at - START) / 1000]),
    [['memory', 0], ['fileHandles', 59.9], ['memory', 60], ['memory', 125]],
  );
  assert.equal(tracker.lastViolationAt.memory, START + 125_000);
});

test('evaluateLimits does not change the tracker it is given', () => {
  const tracker = newLimitTracker();
  evaluateLimits({ maxMemoryMB: 1, maxCpuPercent: 1 }, sample(0, { memoryMB: 2, cpuPercent: 5 }), START, tracker);
  assert.deepEqual(tracker, newLimitTracker());
});

test('formatDuration', () => {
  assert.equal(formatDuration(30_000), '30 s');
  assert.equal(formatDuration(59_600), '1 min');
  assert.equal(formatDuration(330_000), '5 min 30 s');
  assert.equal(formatDuration(3_600_000), '1 h');
  assert.equal(formatDuration(7_500_000), '2 h 5 min');
});

test('GPU memory: over maxGpuMemoryMB is a breach; unknown (null or absent) is never one', () => {
  const limits: Limits = { maxGpuMemoryMB: 8000, action: 'stop' };
  const { violations } = run(limits, [sample(0, { gpuMemoryMB: 9500 }), sample(1000, { gpuMemoryMB: null }), sample(2000)]);
  assert.equal(violations.length, 1);
  assert.deepEqual({ ...violations[0], message: undefined }, { at: START, kind: 'gpuMemory', value: 9500, limit: 8000, action: 'stop', message: undefined });
  assert.equal(violations[0]?.message, 'GPU memory 9,500 MB is over the limit of 8,000 MB');
  assert.equal(run(limits, [sample(0, { gpuMemoryMB: 7999 })]).violations.length, 0);
});
