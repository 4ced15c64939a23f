// Waiting on a condition that has no event (a process that is not our child): poll with a deadline.
import { setTimeout as delay } from 'node:timers/promises';

/** Polls `check` until it returns true or `timeoutMs` passes; resolves with the last answer. */
export async function waitUntil(check: () => boolean | Promise<boolean>, timeoutMs: number, pollMs = 25): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return true;
    const left = deadline - Date.now();
    if (left <= 0) return false;
    await delay(Math.min(pollMs, left));
  }
}
