// Synchronous reads of many small /proc files without holding the event loop: a batch at a time.
// readFileSync of one /proc file costs about a sixth of the CPU of fs.promises.readFile (measured:
// 170 stat files in 2 ms against 13 ms), and a batch of 64 blocks for well under 1 ms.
import { setImmediate as nextTurn } from 'node:timers/promises';

/** Items handled before the event loop may turn. */
export const READ_CHUNK = 64;

/** Maps items with a synchronous reader, letting the event loop turn after every READ_CHUNK items. */
export async function inChunks<T, R>(items: readonly T[], fn: (item: T) => R): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i++) {
    if (i > 0 && i % READ_CHUNK === 0) await nextTurn();
    out.push(fn(items[i]!));
  }
  return out;
}
