// Waiting for a condition with a deadline; waiting for log files to receive their first line.
import { statSync } from 'node:fs';
import { alive } from './procfs.mjs';

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Resolves when `promise` settles or after `ms`, whichever is first; the timer does not outlive it. @param {Promise<unknown>} promise */
export async function within(promise, ms) {
  let timer;
  try {
    await Promise.race([promise, new Promise((r) => (timer = setTimeout(r, ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Polls `check` until it returns a truthy value (resolved with it), or rejects naming `what`
 * after `timeoutMs`.
 * @template T
 * @param {() => T | Promise<T>} check
 */
export async function waitUntil(check, timeoutMs, what, pollMs = 20) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'function' ? what() : what}`);
    await sleep(pollMs);
  }
}

/**
 * Resolves once every file exists and is not empty (the agent printed its first line into it).
 * Files are checked in order and a poll stops at the first one still empty, so a poll costs one
 * stat while most agents are still starting.
 * @param {string[]} files
 */
export async function waitFilesNonEmpty(files, timeoutMs, pollMs = 25) {
  const left = [...files];
  const nonEmpty = (f) => {
    try {
      return statSync(f).size > 0;
    } catch {
      return false;
    }
  };
  await waitUntil(
    () => {
      while (left.length && nonEmpty(left[0])) left.shift();
      return left.length === 0;
    },
    timeoutMs,
    'the first line of every agent',
    pollMs,
  ).catch((err) => {
    throw new Error(`${err.message}: ${left.length} of ${files.length} log files still empty, e.g. ${left[0]}`);
  });
}

/**
 * Resolves with the time (ms from `t0`) when none of the pids is alive any more; the list is
 * walked from the front and a poll stops at the first live pid.
 * @param {number[]} pids
 */
export async function waitPidsGone(pids, t0, timeoutMs, pollMs = 10) {
  let left = [...pids];
  await waitUntil(
    () => {
      while (left.length && !alive(left[0])) left.shift();
      return left.length === 0;
    },
    timeoutMs,
    `the exit of ${pids.length} agent processes`,
    pollMs,
  ).catch((err) => {
    left = left.filter(alive);
    throw new Error(`${err.message}: ${left.length} still alive (${left.slice(0, 5).join(', ')})`);
  });
  return performance.now() - t0;
}
