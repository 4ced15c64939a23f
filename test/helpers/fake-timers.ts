// A manual clock for code that takes injectable timers: `advance(ms)` moves time and fires due
// timers in order.

/** A manual clock: `advance(ms)` moves time and fires due timers in order. */
export function fakeTimers() {
  let time = 1_000;
  let nextId = 1;
  const due = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => time,
    setTimeout: (fn: () => void, ms: number): number => {
      due.set(nextId, { at: time + ms, fn });
      return nextId++;
    },
    clearTimeout: (handle: unknown): void => {
      due.delete(handle as number);
    },
    pending: () => due.size,
    advance(ms: number): void {
      const end = time + ms;
      for (;;) {
        const next = [...due.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!next) break;
        due.delete(next[0]);
        time = next[1].at;
        next[1].fn();
      }
      time = end;
    },
  };
}
