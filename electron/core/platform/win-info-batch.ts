// One `info` run for many callers: every agent the helper started is polled for its exit (there is
// no child handle), and a hundred agents must not mean a hundred helper runs a second. Callers
// poll on the same wall-clock beat (alignedDelay) and their questions, asked within BATCH_WINDOW_MS
// of each other, go to the helper together.
import type { InfoLine, WinHelper } from './win-helper.js';

/** How long questions are collected before the helper runs. */
const BATCH_WINDOW_MS = 15;

interface Batch {
  pids: Map<number, ((line: InfoLine | undefined) => void)[]>;
  timer: NodeJS.Timeout;
}

const open = new WeakMap<WinHelper, Batch>();

/** The `info` line of `pid`, asked together with the other questions of the moment; undefined when the helper failed. */
export function infoBatched(helper: WinHelper, pid: number): Promise<InfoLine | undefined> {
  return new Promise((resolve) => {
    let batch = open.get(helper);
    if (!batch) {
      const pids = new Map<number, ((line: InfoLine | undefined) => void)[]>();
      const timer = setTimeout(() => {
        open.delete(helper);
        void helper.info([...pids.keys()]).then(
          (lines) => {
            const byPid = new Map(lines.map((l) => [l.pid, l]));
            for (const [p, waiting] of pids) for (const w of waiting) w(byPid.get(p));
          },
          () => {
            for (const waiting of pids.values()) for (const w of waiting) w(undefined);
          },
        );
      }, BATCH_WINDOW_MS);
      timer.unref();
      batch = { pids, timer };
      open.set(helper, batch);
    }
    const waiting = batch.pids.get(pid);
    if (waiting) waiting.push(resolve);
    else batch.pids.set(pid, [resolve]);
  });
}

/** The delay to the next multiple of intervalMs on the wall clock, so that polls of many agents fall together. */
export function alignedDelay(intervalMs: number, now = Date.now()): number {
  return intervalMs - (now % intervalMs);
}
