// Unit tests for the pure parts of the relay benchmark (bench/relay): percentiles, the verdict
// against issue 18's targets, and the Markdown table it writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
// @ts-expect-error -- bench/ is plain JavaScript (ESM) without type declarations
import { percentile, TARGETS, verdict } from '../../../bench/relay/measure.mjs';
// @ts-expect-error -- plain JavaScript
import { relayOptions, renderRelayMarkdown } from '../../../bench/relay/run.mjs';

test('percentile takes the nearest rank of the sorted values, and null of none', () => {
  const xs = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
  assert.equal(percentile(xs, 0.5), 5);
  assert.equal(percentile(xs, 0.99), 10);
  assert.equal(percentile(xs, 0), 1);
  assert.equal(percentile([7], 0.99), 7);
  assert.equal(percentile([], 0.5), null);
  assert.deepEqual(xs, [5, 1, 4, 2, 3, 10, 9, 8, 7, 6], 'the input is not sorted in place');
});

test('verdict holds each figure against its target, bounds included, and says null where a figure is missing', () => {
  assert.deepEqual(TARGETS, { p50ExtraMs: 0.2, throughputRatio: 0.9, coldOverheadMs: 50 });
  assert.deepEqual(verdict({ p50ExtraMs: 0.2, throughputRatio: 0.9, coldOverheadMs: 50 }), { p50: true, throughput: true, cold: true });
  assert.deepEqual(verdict({ p50ExtraMs: 0.21, throughputRatio: 0.89, coldOverheadMs: 50.1 }), { p50: false, throughput: false, cold: false });
  assert.deepEqual(verdict({ p50ExtraMs: Number.NaN, throughputRatio: undefined, coldOverheadMs: -3 }), { p50: null, throughput: null, cold: true });
});

test('the smoke run is smaller than the full run in every count', () => {
  const smoke = relayOptions(true);
  const full = relayOptions(false);
  for (const k of ['latencyRounds', 'latencyPerRound', 'throughputMs', 'coldReps'] as const) assert.ok(smoke[k] < full[k], k);
  assert.equal(full.latencyRounds * full.latencyPerRound, 2000);
});

test('the Markdown table shows direct, relay, the signed difference and met or missed for each target', () => {
  const md: string = renderRelayMarkdown(
    {
      loadAverage: { before: 1.5, after: 1.25 },
      latency: { direct: { p50: 0.05, p99: 2.2, count: 2000 }, relay: { p50: 0.1, p99: 1.7, count: 2000 } },
      throughput: {
        direct: 20000,
        relay: 15000,
        ratio: 0.75,
        rounds: { direct: [1, 2, 3], relay: [1, 2, 3] },
        conns: 8,
        cpuUs: { direct: { client: 30, agent: 25, host: 0.5 }, relay: { client: 31, agent: 26, host: 15.04 } },
      },
      cold: { directMedianMs: 70, relayMedianMs: 100, samples: { direct: new Array(10).fill(70), relay: new Array(10).fill(100) } },
      figures: { p50ExtraMs: 0.05, p99ExtraMs: -0.5, throughputRatio: 0.75, coldOverheadMs: 30 },
      verdict: { p50: true, throughput: false, cold: true },
    },
    { machine: 'test machine', date: '2026-12-07T02:40:00Z', commit: 'abc1234' },
  );
  assert.match(md, /2026-12-07T02:40:00Z at commit abc1234; test machine; 2000 sequential requests .* medians of 3 rounds per side and of the paired ratios; cold start median of 10; load average 1\.50 before, 1\.25 after\./);
  assert.match(md, /\| latency p50 \(ms\) \| 0\.050 \| 0\.100 \| \+0\.050 \| ≤ \+0\.2 \| met \|/);
  assert.match(md, /\| latency p99 \(ms\) \| 2\.200 \| 1\.700 \| −0\.500 \|/);
  assert.match(md, /\| throughput \(req\/s\) \| 20000 \| 15000 \| ×0\.75 \| ≥ ×0\.9 \| missed \|/);
  assert.match(md, /\| cold start to first byte \(ms\) \| 70\.0 \| 100\.0 \| \+30\.0 \| ≤ \+50 \| met \|/);
  assert.match(md, /\| direct \| 30\.0 \| 25\.0 \| 0\.5 \| 55\.5 \|/);
  assert.match(md, /\| relay \| 31\.0 \| 26\.0 \| 15\.0 \| 72\.0 \|/);
});
