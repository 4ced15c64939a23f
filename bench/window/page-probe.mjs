// What the benchmark runs inside the page. `installProbe` (an init script, before the app's own
// code) records every long task and long animation frame from the start; `runPhase` measures one
// phase: a requestAnimationFrame loop that records the time between frames and, when the phase
// scrolls, sets the scroll position of an element on every frame, at a steady speed, top to bottom
// and back. Both are serialised by Playwright into the page: they may use only browser globals.
/* global window, document, requestAnimationFrame */

/** Installs the recorders; an init script, so it runs before the app. */
export function installProbe() {
  const probe = { longTasks: [], loafs: [] };
  Object.defineProperty(window, '__windowBench', { value: probe });
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) probe.longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    probe.longTasksUnsupported = true;
  }
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        probe.loafs.push({
          start: e.startTime,
          duration: e.duration,
          blocking: e.blockingDuration,
          renderMs: e.renderStart ? e.startTime + e.duration - e.renderStart : 0,
          styleAndLayoutMs: e.styleAndLayoutStart ? e.startTime + e.duration - e.styleAndLayoutStart : 0,
          scripts: (e.scripts ?? []).map((s) => ({
            invoker: s.invoker,
            type: s.invokerType,
            duration: s.duration,
            forcedLayout: s.forcedStyleAndLayoutDuration,
            fn: s.sourceFunctionName,
            url: s.sourceURL,
            pos: s.sourceCharPosition,
          })),
        });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch {
    probe.loafsUnsupported = true;
  }
}

/**
 * Measures one phase in the page.
 * @param {{ seconds: number, scroll: { selector: string, pxPerS: number | null } | null }} spec
 *   pxPerS null: once top to bottom and back over the phase; else at that speed, turning at either end
 */
export async function runPhase(spec) {
  const probe = window.__windowBench;
  if (!probe) throw new Error('the probe is not installed in this page (installProbe)');
  const frame = () => new Promise((r) => requestAnimationFrame(r));
  let el = null;
  if (spec.scroll) {
    el = document.querySelector(spec.scroll.selector);
    if (!el) throw new Error(`no element ${spec.scroll.selector} to scroll`);
    el.scrollTop = 0;
    await frame();
    await frame();
  }
  // the range is read once: reading it on every frame would force a layout the page does not ask for
  const max = el ? el.scrollHeight - el.clientHeight : 0;
  if (el && max <= 0) throw new Error(`${spec.scroll.selector} does not scroll (${el.scrollHeight} px in ${el.clientHeight} px)`);
  const durationMs = spec.seconds * 1000;
  const speed = el ? (spec.scroll.pxPerS ?? (2 * max) / spec.seconds) : 0;
  const period = el ? (2 * max) / speed : 1; // seconds for one way down and back
  const deltas = [];
  let travelled = 0;
  let lastTop = 0;
  let last = null;
  let t0 = null;
  return new Promise((resolve) => {
    const onFrame = (t) => {
      if (t0 === null) t0 = t;
      if (last !== null) deltas.push(t - last);
      last = t;
      const elapsed = t - t0;
      if (el) {
        const phase = ((elapsed / 1000) % period) / period;
        const top = Math.round((phase < 0.5 ? phase * 2 : 2 - phase * 2) * max);
        el.scrollTop = top;
        travelled += Math.abs(top - lastTop);
        lastTop = top;
      }
      if (elapsed < durationMs) {
        requestAnimationFrame(onFrame);
        return;
      }
      const end = t0 + elapsed;
      const inPhase = (e) => e.start >= t0 && e.start < end;
      resolve({
        startedAt: t0,
        durationMs: elapsed,
        deltas,
        longTasks: probe.longTasks.filter(inPhase),
        loafs: probe.loafs.filter(inPhase),
        scrollRangePx: max,
        travelledPx: Math.round(travelled),
        domNodes: document.getElementsByTagName('*').length,
      });
    };
    requestAnimationFrame(onFrame);
  });
}
