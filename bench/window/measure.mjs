// One phase of the window benchmark: the page probe's frames and long tasks, the main thread's
// time by kind (DevTools protocol metrics before and after), its garbage collection pauses (a trace
// of V8's GC events), the events the stand-in host sent meanwhile, and optionally a CPU profile;
// summed up into the phase's figures and verdict.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { frameSummary, gcPauses, loafSummary, longTaskSummary, mainThreadShare, verdict } from './metrics.mjs';
import { runPhase } from './page-probe.mjs';

/** The phases, in the order they run by default (the log view first: the history is awaited there). */
export const PHASES = {
  floor: { label: 'floor: a static page, scrolled', view: 'floor', scroll: { selector: '#floor', pxPerS: null } },
  logs: { label: 'scrolling the log view (wheel)', view: 'logs', scroll: { selector: '.log-scroll', pxPerS: 2_400 } },
  'logs-drag': { label: 'scrolling the log view (drag)', view: 'logs', scroll: { selector: '.log-scroll', pxPerS: null } },
  list: { label: 'scrolling the agents list', view: 'list', scroll: { selector: '.shell__main', pxPerS: null } },
  idle: { label: 'idle on the agents list', view: 'list', scroll: null },
};

/** The floor's page: as tall as the agents list, plain rows of text, no script. @param {number} rows */
export function floorPage(rows) {
  const row = (i) => `<div class="r">agent-${String(i + 1).padStart(3, '0')} · running · 12.5 % · 512 MB · 3h 12m · 8000 · 0 · 12345</div>`;
  return `<!doctype html><html><head><style>html,body{margin:0;height:100%;font:13px system-ui}#floor{height:100%;overflow:auto}.r{padding:10px 12px;border-bottom:1px solid #ddd}</style></head><body><div id="floor">${Array.from({ length: rows }, (_, i) => row(i)).join('')}</div></body></html>`;
}

/**
 * Measures phase `id` on `page` (already showing the phase's view).
 * @param {{ browser: import('playwright').Browser, page: import('playwright').Page, cdp: import('playwright').CDPSession, hostState: () => Promise<any> | null, seconds: number, profileDir: string | null }} ctx
 * @param {string} id
 */
export async function measurePhase(ctx, id) {
  const phase = PHASES[id];
  const metrics = async () => Object.fromEntries((await ctx.cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
  const sent = (s) => (s ? Object.values(s.replayed).reduce((a, b) => a + b, 0) : 0);
  const loadBefore = os.loadavg()[0];
  await ctx.browser.startTracing(ctx.page, { categories: ['disabled-by-default-v8.gc'] });
  if (ctx.profileDir) {
    await ctx.cdp.send('Profiler.enable');
    await ctx.cdp.send('Profiler.setSamplingInterval', { interval: 250 });
    await ctx.cdp.send('Profiler.start');
  }
  const before = await metrics();
  const hostBefore = ctx.hostState ? await ctx.hostState() : null;
  const hostT0 = performance.now();
  const raw = await ctx.page.evaluate(runPhase, { seconds: ctx.seconds, scroll: phase.scroll });
  const after = await metrics();
  const hostAfter = ctx.hostState ? await ctx.hostState() : null;
  const hostSeconds = (performance.now() - hostT0) / 1000;
  if (ctx.profileDir) {
    const { profile } = await ctx.cdp.send('Profiler.stop');
    mkdirSync(ctx.profileDir, { recursive: true });
    writeFileSync(join(ctx.profileDir, `window-${id}.cpuprofile`), JSON.stringify(profile));
  }
  const gc = gcPauses(JSON.parse((await ctx.browser.stopTracing()).toString()));
  const seconds = raw.durationMs / 1000;
  const p = {
    id,
    label: phase.label,
    seconds,
    eventsPerS: (sent(hostAfter) - sent(hostBefore)) / hostSeconds,
    scrollRangePx: raw.scrollRangePx,
    scrollPxPerS: raw.travelledPx / seconds,
    domNodes: raw.domNodes,
    /** The machine's 1-minute load average before and after (2 cores: above 2, something else ran too). */
    loadAverage: [loadBefore, os.loadavg()[0]],
    frames: frameSummary(raw.deltas),
    longTasks: longTaskSummary(raw.longTasks),
    loaf: loafSummary(raw.loafs),
    longFrames: raw.loafs.map((f) => ({ at: Math.round(f.start - raw.startedAt), ms: Math.round(f.duration), blockingMs: Math.round(f.blocking), renderMs: Math.round(f.renderMs), styleAndLayoutMs: Math.round(f.styleAndLayoutMs), scriptMs: Math.round(f.scripts.reduce((a, s) => a + s.duration, 0)) })),
    mainThread: mainThreadShare(before, after, seconds),
    gc,
    heapMB: after.JSHeapUsedSize / 1024 ** 2,
  };
  p.verdict = verdict(p);
  return p;
}

/** One line about a measured phase, for the console. @param {any} p */
export function phaseLine(p) {
  const f = p.frames;
  const n = (v) => (v === null ? '–' : v.toFixed(1));
  return `  ${p.verdict.met ? 'met   ' : 'MISSED'} ${p.label.padEnd(32)} ${f.frames} frames, p50 ${n(f.p50)} p95 ${n(f.p95)} p99 ${n(f.p99)} max ${n(f.max)} ms, ${f.droppedFrames} dropped; ${p.longTasks.count} long tasks (max ${p.longTasks.maxMs.toFixed(0)} ms); GC ${p.gc.major.count} major (max ${p.gc.major.maxMs.toFixed(0)} ms), ${p.gc.minor.count} minor (max ${p.gc.minor.maxMs.toFixed(0)} ms); main thread ${p.mainThread.taskMsPerS.toFixed(0)} ms/s; ${p.eventsPerS.toFixed(1)} events/s; ${Math.round(p.scrollPxPerS)} px/s; load ${p.loadAverage.map((l) => l.toFixed(1)).join('→')}`;
}
