// The window benchmark's figures from what the page recorded: frame times (the time between
// animation frames) as percentiles, dropped frames, long tasks, the scripts of long animation
// frames, the main thread's time by kind and its garbage collection pauses; the verdict against the
// issue's targets; the Markdown table. Pure: tested in test/unit/bench/window-metrics.test.ts.

/** The frame interval of headless Chromium's 60 Hz frame clock (ms). */
export const FRAME_MS = 1000 / 60;
/** A frame that took longer than this many intervals missed at least one. */
const LATE_AFTER_INTERVALS = 1.5;
/** The issue's targets. */
export const TARGETS = { p95Ms: 16, longTaskMs: 50 };

/** The value at percentile `p` (0–100) of `values`, nearest rank; null for none. @param {number[]} values @param {number} p */
export function percentile(values, p) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/**
 * Frame figures from the times between frames. A frame that came `d` ms after the one before
 * missed `round(d / interval) - 1` frames of the clock (when it came later than 1.5 intervals).
 * @param {number[]} deltas @param {number} [interval]
 */
export function frameSummary(deltas, interval = FRAME_MS) {
  let dropped = 0;
  let late = 0;
  for (const d of deltas) {
    if (d > LATE_AFTER_INTERVALS * interval) {
      late++;
      dropped += Math.max(1, Math.round(d / interval) - 1);
    }
  }
  const total = deltas.reduce((a, b) => a + b, 0);
  return {
    frames: deltas.length,
    fps: total > 0 ? (deltas.length * 1000) / total : 0,
    p50: percentile(deltas, 50),
    p95: percentile(deltas, 95),
    p99: percentile(deltas, 99),
    max: deltas.length ? Math.max(...deltas) : null,
    lateFrames: late,
    droppedFrames: dropped,
    /** Frames the clock should have drawn in the phase that were drawn, 0–1. */
    onTimeShare: deltas.length + dropped > 0 ? deltas.length / (deltas.length + dropped) : 1,
  };
}

/** Count, longest and total of long tasks (the browser reports tasks over 50 ms). @param {{ duration: number }[]} tasks */
export function longTaskSummary(tasks) {
  return {
    count: tasks.length,
    maxMs: tasks.length ? Math.max(...tasks.map((t) => t.duration)) : 0,
    totalMs: tasks.reduce((a, t) => a + t.duration, 0),
  };
}

/** The last path segment of a script URL, without its query. @param {string} url */
function fileOf(url) {
  return (url ?? '').split('?')[0].split('/').pop() || '(inline)';
}

/**
 * What the long animation frames spent their time on: each script entry point (invoker and
 * function, where in which file) with its total time, longest first, and the frames' rendering.
 * @param {{ duration: number, renderMs: number, styleAndLayoutMs: number, scripts: { invoker: string, type: string, duration: number, forcedLayout: number, fn: string, url: string, pos: number }[] }[]} loafs
 * @param {number} [top]
 */
export function loafSummary(loafs, top = 5) {
  const byScript = new Map();
  for (const f of loafs) {
    for (const s of f.scripts) {
      const key = `${s.type} ${s.invoker}${s.fn ? ` → ${s.fn}` : ''} (${fileOf(s.url)}${s.pos >= 0 ? `:${s.pos}` : ''})`;
      const entry = byScript.get(key) ?? { what: key, count: 0, totalMs: 0, maxMs: 0, forcedLayoutMs: 0 };
      entry.count++;
      entry.totalMs += s.duration;
      entry.maxMs = Math.max(entry.maxMs, s.duration);
      entry.forcedLayoutMs += s.forcedLayout ?? 0;
      byScript.set(key, entry);
    }
  }
  return {
    count: loafs.length,
    maxMs: loafs.length ? Math.max(...loafs.map((f) => f.duration)) : 0,
    renderMs: loafs.reduce((a, f) => a + (f.renderMs ?? 0), 0),
    styleAndLayoutMs: loafs.reduce((a, f) => a + (f.styleAndLayoutMs ?? 0), 0),
    scripts: [...byScript.values()].sort((a, b) => b.totalMs - a.totalMs).slice(0, top),
  };
}

/**
 * The renderer main thread's garbage collection pauses from a Chromium trace (V8's MajorGC and
 * MinorGC events on the thread named CrRendererMain): count, longest and total of each kind.
 * @param {{ traceEvents?: any[] } | any[]} trace
 */
export function gcPauses(trace) {
  const events = Array.isArray(trace) ? trace : (trace.traceEvents ?? []);
  const main = new Set(events.filter((e) => e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const kind = (name) => {
    const ms = events.filter((e) => e.name === name && e.ph === 'X' && main.has(`${e.pid}:${e.tid}`)).map((e) => e.dur / 1000);
    return { count: ms.length, maxMs: ms.length ? Math.max(...ms) : 0, totalMs: ms.reduce((a, b) => a + b, 0) };
  };
  return { major: kind('MajorGC'), minor: kind('MinorGC') };
}

/**
 * The main thread's time by kind over a phase, in ms per second, from two readings of the
 * DevTools protocol's Performance.getMetrics (values in seconds).
 * @param {Record<string, number>} before @param {Record<string, number>} after @param {number} seconds
 */
export function mainThreadShare(before, after, seconds) {
  const per = (k) => (seconds > 0 ? ((after[k] ?? 0) - (before[k] ?? 0)) * 1000 / seconds : 0);
  return { taskMsPerS: per('TaskDuration'), scriptMsPerS: per('ScriptDuration'), layoutMsPerS: per('LayoutDuration'), styleMsPerS: per('RecalcStyleDuration') };
}

/**
 * The verdict of one phase. The frame clock ticks every 16.7 ms, so a frame that made its tick
 * shows 16.7 ms, one that missed it 33.3 ms: "p95 ≤ 16 ms" is met when the 95th percentile is
 * one interval (no later than 1.5 intervals).
 * @param {{ frames: ReturnType<typeof frameSummary>, longTasks: ReturnType<typeof longTaskSummary> }} phase
 */
export function verdict(phase, interval = FRAME_MS) {
  const p95Met = phase.frames.p95 !== null && phase.frames.p95 <= LATE_AFTER_INTERVALS * interval;
  const longTasksMet = phase.longTasks.maxMs <= TARGETS.longTaskMs;
  return { p95Met, longTasksMet, met: p95Met && longTasksMet };
}

/** A number of ms with one decimal. @param {number | null} v */
const ms = (v) => (v === null || v === undefined ? '–' : v.toFixed(1));

/** The Markdown report of a window benchmark run. @param {any} results */
export function renderWindowMarkdown(results) {
  const m = results.meta;
  const lines = [
    `# Window benchmark`,
    '',
    `${m.date}, commit ${m.commit}; ${m.machine}; ${m.chromium}; ${m.options.agents} agents, ${m.options.historyLines.toLocaleString('en')} log lines per agent in the store, ${m.options.eventsPerS} events/s replayed; viewport 1280×800.`,
    '',
    `Setup: the history (${(m.options.agents * m.options.historyLines).toLocaleString('en')} lines) reached the window in ${results.setup.historyLoadS?.toFixed(1) ?? '–'} s; JS heap after it ${results.setup.heapMB?.toFixed(0) ?? '–'} MB.`,
    '',
    '| phase | frames | fps | frame time p50 / p95 / p99 / max (ms) | dropped frames | long tasks (> 50 ms) | longest task (ms) | GC pauses: major (longest ms), minor (longest ms) | main thread busy (ms/s): script, layout, style | events/s | target (p95 ≤ 16 ms, no task > 50 ms) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const p of results.phases) {
    const f = p.frames;
    const t = p.mainThread;
    const v = p.verdict;
    const missed = [!v.p95Met && 'p95', !v.longTasksMet && 'long tasks'].filter(Boolean).join(', ');
    lines.push(
      `| ${p.label} | ${f.frames} | ${f.fps.toFixed(1)} | ${ms(f.p50)} / ${ms(f.p95)} / ${ms(f.p99)} / ${ms(f.max)} | ${f.droppedFrames} (${(100 * (1 - f.onTimeShare)).toFixed(1)} %) | ${p.longTasks.count} | ${ms(p.longTasks.maxMs)} | ${p.gc ? `${p.gc.major.count} (${ms(p.gc.major.maxMs)}), ${p.gc.minor.count} (${ms(p.gc.minor.maxMs)})` : '–'} | ${t.taskMsPerS.toFixed(0)}: ${t.scriptMsPerS.toFixed(0)}, ${t.layoutMsPerS.toFixed(0)}, ${t.styleMsPerS.toFixed(0)} | ${p.eventsPerS.toFixed(1)} | ${v.met ? 'met' : `**missed** (${missed})`} |`,
    );
  }
  const withScripts = results.phases.filter((p) => p.loaf.scripts.length);
  if (withScripts.length) {
    lines.push('', 'Where the long animation frames (> 50 ms) spent their script time:', '');
    for (const p of withScripts) {
      lines.push(`- ${p.label}: ${p.loaf.count} frames, longest ${ms(p.loaf.maxMs)} ms; rendering (style, layout, paint) ${ms(p.loaf.renderMs)} ms in all`);
      for (const s of p.loaf.scripts) lines.push(`  - ${s.what}: ${s.count}×, ${ms(s.totalMs)} ms in all, longest ${ms(s.maxMs)} ms${s.forcedLayoutMs > 0 ? `, forced layout ${ms(s.forcedLayoutMs)} ms` : ''}`);
    }
  }
  if (results.problems.length) lines.push('', 'Console errors and page errors:', '', ...results.problems.map((p) => `- ${p}`));
  return lines.join('\n') + '\n';
}
