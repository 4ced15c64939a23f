// When the store applies the events that arrived: at most once per animation frame in the window
// (a burst of events becomes one render), at once in tests that want to see every step.

/** Arranges for `flush` to run later (once); the store calls it when the first event of a batch arrives. */
export type Scheduler = (flush: () => void) => void;

/** Runs the flush at once: every event is applied as it arrives (deterministic, for tests). */
export const immediateScheduler: Scheduler = (flush) => flush();

/** Runs the flush after the current task: events delivered in one task become one batch. */
export const microtaskScheduler: Scheduler = (flush) => queueMicrotask(flush);

/**
 * Runs the flush on the next animation frame, or after `maxWaitMs` when no frame comes (a
 * hidden tab gets no frames; its events must still be applied, not pile up).
 */
export function frameScheduler(maxWaitMs = 100): Scheduler {
  return (flush) => {
    let done = false;
    let frame: number | null = null;
    const run = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (frame !== null && typeof cancelAnimationFrame === 'function') cancelAnimationFrame(frame);
      flush();
    };
    const timer = setTimeout(run, maxWaitMs);
    if (typeof requestAnimationFrame === 'function') frame = requestAnimationFrame(run);
  };
}
