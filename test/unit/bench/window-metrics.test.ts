// The window benchmark's figures (bench/window/metrics.mjs): percentiles, dropped frames counted
// by the frame clock's ticks they missed, long tasks, where long animation frames spent their
// time, the verdict against the targets, and the Markdown table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
// @ts-expect-error -- bench/ is plain JavaScript (ESM) without type declarations
import { FRAME_MS, frameSummary, gcPauses, loafSummary, longTaskSummary, mainThreadShare, percentile, renderWindowMarkdown, verdict } from '../../../bench/window/metrics.mjs';

test('percentile takes the nearest rank, and null for no values', () => {
  const values = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(values, 50), 50);
  assert.equal(percentile(values, 95), 95);
  assert.equal(percentile(values, 99), 99);
  assert.equal(percentile([5, 1, 3], 100), 5);
  assert.equal(percentile([], 95), null);
});

test('frameSummary counts a frame that came two ticks late as two dropped frames', () => {
  const onTime = Array.from({ length: 96 }, () => FRAME_MS);
  // one frame missed one tick (33.3 ms), one missed two (50 ms), one missed five (100 ms); 17.5 ms is jitter
  const deltas = [...onTime, 2 * FRAME_MS, 3 * FRAME_MS, 6 * FRAME_MS, 17.5];
  const s = frameSummary(deltas);
  assert.equal(s.frames, 100);
  assert.equal(s.lateFrames, 3);
  assert.equal(s.droppedFrames, 1 + 2 + 5);
  assert.equal(s.p50, FRAME_MS);
  assert.ok(Math.abs(s.p99 - 3 * FRAME_MS) < 1e-9);
  assert.ok(Math.abs(s.onTimeShare - 100 / 108) < 1e-9);
});

test('verdict: p95 of one frame interval and no task over 50 ms meet the targets; a late p95 or a long task does not', () => {
  const frames = (deltas: number[]) => frameSummary(deltas);
  const smooth = frames(Array.from({ length: 100 }, () => 16.7));
  assert.deepEqual(verdict({ frames: smooth, longTasks: longTaskSummary([]) }), { p95Met: true, longTasksMet: true, met: true });
  const janky = frames([...Array.from({ length: 90 }, () => 16.7), ...Array.from({ length: 10 }, () => 33.3)]);
  assert.equal(verdict({ frames: janky, longTasks: longTaskSummary([]) }).p95Met, false);
  const blocked = verdict({ frames: smooth, longTasks: longTaskSummary([{ duration: 51 }, { duration: 70 }]) });
  assert.deepEqual(blocked, { p95Met: true, longTasksMet: false, met: false });
});

test('longTaskSummary and loafSummary name the longest and the script that took the most time', () => {
  assert.deepEqual(longTaskSummary([{ duration: 60 }, { duration: 90 }]), { count: 2, maxMs: 90, totalMs: 150 });
  const script = (fn: string, duration: number) => ({ invoker: 'FrameRequestCallback', type: 'user-callback', duration, forcedLayout: 5, fn, url: 'http://127.0.0.1:1/assets/index-x.js?v=1', pos: 42 });
  const s = loafSummary([
    { duration: 80, renderMs: 20, styleAndLayoutMs: 10, scripts: [script('flush', 40), script('probe', 5)] },
    { duration: 60, renderMs: 10, styleAndLayoutMs: 5, scripts: [script('flush', 30)] },
  ]);
  assert.equal(s.count, 2);
  assert.equal(s.maxMs, 80);
  assert.equal(s.renderMs, 30);
  assert.equal(s.scripts[0].what, 'user-callback FrameRequestCallback → flush (index-x.js:42)');
  assert.deepEqual([s.scripts[0].count, s.scripts[0].totalMs, s.scripts[0].maxMs, s.scripts[0].forcedLayoutMs], [2, 70, 40, 10]);
});

test('mainThreadShare turns two readings of Performance.getMetrics (seconds) into ms per second', () => {
  const share = mainThreadShare({ TaskDuration: 1, ScriptDuration: 0.5, LayoutDuration: 0.1, RecalcStyleDuration: 0 }, { TaskDuration: 3, ScriptDuration: 1.5, LayoutDuration: 0.3, RecalcStyleDuration: 0.1 }, 10);
  const rounded = Object.fromEntries(Object.entries(share).map(([k, v]) => [k, Math.round((v as number) * 1000) / 1000]));
  assert.deepEqual(rounded, { taskMsPerS: 200, scriptMsPerS: 100, layoutMsPerS: 20, styleMsPerS: 10 });
});

test('renderWindowMarkdown has a row per phase with its verdict', () => {
  const phase = (label: string, deltas: number[], tasks: { duration: number }[]) => {
    const p = { label, frames: frameSummary(deltas), longTasks: longTaskSummary(tasks), loaf: loafSummary([]), mainThread: { taskMsPerS: 100, scriptMsPerS: 50, layoutMsPerS: 20, styleMsPerS: 5 }, eventsPerS: 10 };
    return { ...p, verdict: verdict(p) };
  };
  const md = renderWindowMarkdown({
    meta: { date: '2026-12-07T00:00:00Z', commit: 'abc1234', machine: 'Linux x64, 2 cores', chromium: 'Chromium 156', options: { agents: 200, historyLines: 20_000, eventsPerS: 10 } },
    setup: { historyLoadS: 30, heapMB: 660 },
    phases: [phase('scrolling the agents list', [16.7, 16.7, 16.7], []), phase('idle on the agents list', [16.7, 16.7, 16.7], [{ duration: 80 }])],
    problems: [],
  });
  assert.match(md, /200 agents, 20,000 log lines per agent/);
  assert.match(md, /\| scrolling the agents list \| 3 \|.*\| met \|/);
  assert.match(md, /\| idle on the agents list \|.*\| \*\*missed\*\* \(long tasks\) \|/);
});

test('gcPauses counts the MajorGC and MinorGC events of the renderer main thread only', () => {
  const trace = {
    traceEvents: [
      { name: 'thread_name', ph: 'M', pid: 2, tid: 20, args: { name: 'CrRendererMain' } },
      { name: 'thread_name', ph: 'M', pid: 1, tid: 10, args: { name: 'CrBrowserMain' } },
      { name: 'MajorGC', ph: 'X', pid: 2, tid: 20, dur: 120_000 },
      { name: 'MajorGC', ph: 'X', pid: 2, tid: 20, dur: 30_000 },
      { name: 'MinorGC', ph: 'X', pid: 2, tid: 20, dur: 2_000 },
      { name: 'MajorGC', ph: 'X', pid: 1, tid: 10, dur: 500_000 },
      { name: 'V8.GCScavenger', ph: 'X', pid: 2, tid: 20, dur: 1_900 },
    ],
  };
  assert.deepEqual(gcPauses(trace), { major: { count: 2, maxMs: 120, totalMs: 150 }, minor: { count: 1, maxMs: 2, totalMs: 2 } });
});
