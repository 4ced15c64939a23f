// The pieces of a rename that need no process: which log files are an agent's, the name leftovers
// are set aside under, and the history's atomic rename of runs (several names at once).
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { HistoryStore } from '../../../electron/app/history-store.js';
import { asideName, logFilePattern } from '../../../electron/app/rename-agent.js';
import { AGENT_NAME_MAX_LENGTH, agentNameProblem } from '../../../shared/agent.js';
import type { RunRecord } from '../../../shared/history.js';
import { tempDir } from '../../helpers/temp-dir.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

test('an agent\'s log files are both streams, their rotated copies and a rotation\'s leftover copy, never another agent\'s', () => {
  const mine = ['a.b.out.log', 'a.b.err.log', 'a.b.out.log.1', 'a.b.err.log.12', 'a.b.out.log.rotating', 'a.b.out.log.rotating.3'];
  const others = ['a.out.log', 'aXb.out.log', 'a.b.out.log.bak', 'a.b.c.out.log', 'a.b.earlier-20250101T000000Z.out.log', 'a.b.log', 'x-a.b.out.log'];
  for (const f of mine) assert.ok(logFilePattern('a.b').test(f), f);
  for (const f of others) assert.equal(logFilePattern('a.b').test(f), false, f);
});

test('leftovers are set aside as <name>.earlier-<UTC time>, a valid agent name, numbered when taken', () => {
  const now = new Date('2025-06-01T12:34:56.789Z');
  assert.equal(asideName('beta', now, () => false), 'beta.earlier-20250601T123456Z');
  const taken = new Set(['beta.earlier-20250601T123456Z', 'beta.earlier-20250601T123456Z-2']);
  assert.equal(asideName('beta', now, (c) => taken.has(c)), 'beta.earlier-20250601T123456Z-3');
  const long = 'x'.repeat(AGENT_NAME_MAX_LENGTH);
  const aside = asideName(long, now, () => false);
  assert.equal(aside.length, AGENT_NAME_MAX_LENGTH);
  assert.equal(agentNameProblem(aside), null, 'history can be asked for it by name');
});

/** Run `n` of agent `name`. */
function run(n: number, name: string): RunRecord {
  return { id: `${name}-${n}-${n}`, name, pid: n, startedAt: n, endedAt: n + 1, durationMs: 1, startedBy: 'user', ended: 'exited', exitCode: 0, signal: null, restarts: 0, peakMemoryMB: null, avgCpuPercent: null, message: `run ${n}` };
}

test('the history renames several agents at once in one atomic rewrite: b set aside, a becomes b; ids stay', async () => {
  const { dir, cleanup } = await tempDir('agent-tray-history-');
  cleanups.push(cleanup);
  const file = path.join(dir, 'history.jsonl');
  const store = await HistoryStore.open(file);
  for (const r of [run(1, 'a'), run(2, 'b'), run(3, 'c'), run(4, 'a')]) await store.append(r);

  assert.equal(await store.renameAgents(new Map([['b', 'b.aside'], ['a', 'b']])), 3);
  assert.deepEqual(store.list({ agent: 'b' }).map((r) => r.id), ['a-4-4', 'a-1-1']);
  assert.deepEqual(store.list({ agent: 'b.aside' }).map((r) => r.id), ['b-2-2']);
  assert.deepEqual(store.list({ agent: 'a' }), []);
  const lines = (await readFile(file, 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as RunRecord);
  assert.deepEqual(lines.map((r) => r.name), ['b', 'b.aside', 'c', 'b']);
  assert.equal(await store.renameAgents(new Map([['nobody', 'x']])), 0, 'nothing to rename: nothing written');

  await store.append(run(5, 'b')); // appends go on after the rewrite
  const reopened = await HistoryStore.open(file);
  assert.deepEqual(reopened.list({ agent: 'b' }).map((r) => r.id), ['b-5-5', 'a-4-4', 'a-1-1']);
});
