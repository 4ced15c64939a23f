// The timeline the stack fixtures write (test/fixtures/agents/timeline.mjs): `<event> <name>
// <epoch ms>[ detail]` lines, read back for ordering assertions. Every pid a line names is tracked,
// so the test's cleanup ends it even when the test fails.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { track } from './processes.js';

export interface TimelineEntry {
  event: string;
  name: string;
  at: number;
  detail: string;
}

/** Reads the timeline file (empty when it does not exist yet); tracks every `pid=N` in it. */
export function readTimeline(file: string): TimelineEntry[] {
  if (!existsSync(file)) return [];
  const entries: TimelineEntry[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^(\S+) (\S+) (\d+)(?: (.*))?$/.exec(line);
    if (!m) continue;
    const detail = m[4] ?? '';
    const pid = /pid=(\d+)/.exec(detail);
    if (pid) track(Number(pid[1]));
    entries.push({ event: m[1]!, name: m[2]!, at: Number(m[3]), detail });
  }
  return entries;
}

/** The entries of one event of one agent, in order. */
export function entriesOf(entries: TimelineEntry[], event: string, name: string): TimelineEntry[] {
  return entries.filter((e) => e.event === event && e.name === name);
}

/** When the agent first had the event; fails the test naming what is missing. */
export function when(entries: TimelineEntry[], event: string, name: string): number {
  const e = entriesOf(entries, event, name)[0];
  assert.ok(e, `no "${event} ${name}" in the timeline:\n${render(entries)}`);
  return e.at;
}

/** Asserts that `a` happened no later than `b` (both [event, name]), showing the timeline when not. */
export function assertBefore(entries: TimelineEntry[], a: [string, string], b: [string, string]): void {
  const ta = when(entries, ...a);
  const tb = when(entries, ...b);
  assert.ok(ta <= tb, `expected "${a.join(' ')}" (${ta}) no later than "${b.join(' ')}" (${tb}):\n${render(entries)}`);
}

/** The timeline as text, times relative to its first line, for failure messages. */
export function render(entries: TimelineEntry[]): string {
  const t0 = entries[0]?.at ?? 0;
  return entries.map((e) => `  +${String(e.at - t0).padStart(5)} ms  ${e.event} ${e.name} ${e.detail}`).join('\n');
}
