// Waiting for things in tests: an event with a timeout, or a condition that has no event.
import { setTimeout as delay } from 'node:timers/promises';
import type { Engine } from '../../electron/core/engine.js';
import type { EngineEvent } from '../../shared/status.js';

/** Resolves with the first engine event that matches, or rejects after `timeoutMs` saying what was awaited. */
export function waitForEvent<E extends EngineEvent>(engine: Engine, match: (e: EngineEvent) => e is E, timeoutMs: number, what: string): Promise<E>;
export function waitForEvent(engine: Engine, match: (e: EngineEvent) => boolean, timeoutMs: number, what: string): Promise<EngineEvent>;
export function waitForEvent(engine: Engine, match: (e: EngineEvent) => boolean, timeoutMs: number, what: string): Promise<EngineEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const off = engine.subscribe((e) => {
      if (!match(e)) return;
      clearTimeout(timer);
      off();
      resolve(e);
    });
  });
}

/** Polls `check` (for things no event reports: another process's life, a file's size) until true, or rejects after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string, pollMs = 20): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await delay(pollMs);
  }
}

/** Collects every log line an agent prints, for assertions. */
export function collectLines(engine: Engine, name: string): { lines: string[]; stop: () => void } {
  const lines: string[] = [];
  const stop = engine.subscribe((e) => {
    if (e.type === 'log' && e.name === name) for (const l of e.lines) lines.push(l.text);
  });
  return { lines, stop };
}
