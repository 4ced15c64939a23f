// One clock for every stop on screen: a single timer that ticks once a second while at least one
// stop clock is shown, and does not run at all otherwise (not one timer per row).
import { useSyncExternalStore } from 'react';

const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;
let ticks = 0;

/** Adds a listener; the first one starts the timer, the last one to leave stops it. */
function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  timer ??= setInterval(() => {
    ticks++;
    for (const l of [...listeners]) l();
  }, 1000);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  };
}

/** Renders the calling component again every second while it is mounted; returns the tick count. */
export function useStopTick(): number {
  return useSyncExternalStore(subscribe, () => ticks, () => ticks);
}

/** Whether the shared timer runs now (for tests). */
export function stopTickRunning(): boolean {
  return timer !== null;
}
