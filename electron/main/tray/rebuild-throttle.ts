// Rate-limits tray rebuilds: the first request runs at once, a burst runs once more at its end.
/** The clock the throttle uses; injectable so tests run on a fake one. */
export interface ThrottleTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
}

export interface Throttle {
  /** Ask for a run: now if the last one is at least the interval ago, else once at the interval's end. */
  request(): void;
  /** Run a pending trailing call now instead of waiting. */
  flush(): void;
  /** Cancel any pending run; later requests do nothing. */
  dispose(): void;
}

/** Call `fn` at most about once per `minIntervalMs`, always ending with a run after the last request. */
export function createThrottle(
  fn: () => void,
  minIntervalMs: number,
  timers: ThrottleTimers = { setTimeout, clearTimeout, now: Date.now },
): Throttle {
  let lastRun = Number.NEGATIVE_INFINITY;
  let pending: { handle: unknown } | null = null;
  let disposed = false;

  const run = (): void => {
    pending = null;
    lastRun = timers.now();
    fn();
  };

  return {
    request() {
      if (disposed || pending) return;
      const wait = lastRun + minIntervalMs - timers.now();
      if (wait <= 0) run();
      else pending = { handle: timers.setTimeout(run, wait) };
    },
    flush() {
      if (disposed || !pending) return;
      timers.clearTimeout(pending.handle);
      run();
    },
    dispose() {
      disposed = true;
      if (pending) timers.clearTimeout(pending.handle);
      pending = null;
    },
  };
}
