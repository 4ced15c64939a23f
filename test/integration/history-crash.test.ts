// The run history survives a SIGKILL of the process writing it: every complete record intact, at
// most one torn line, and appending works again — also when the kill lands during compactions.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { HistoryStore, parseHistory } from '../../electron/app/history-store.js';
import type { RunRecord } from '../../shared/history.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait.js';
import { killTracked, track } from '../helpers/processes.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0).reverse()) await c();
});

const writer = new URL('../fixtures/hosts/history-writer.ts', import.meta.url).pathname;

/** Starts the writer on `file`; resolves once it is SIGKILLed after `ready` says it has written enough. */
async function writeUntilKilled(file: string, retention: number | null, ready: (stdout: string) => boolean): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', writer, file, ...(retention === null ? [] : [String(retention)])], { stdio: ['ignore', 'pipe', 'pipe'] });
  track(child.pid);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  let gone = false;
  void exited.then(() => (gone = true));
  await waitFor(() => {
    if (gone) throw new Error(`the writer exited early:\n${stdout}\n${stderr}`);
    return ready(stdout);
  }, 30_000, 'the writer to append enough records');
  process.kill(child.pid!, 'SIGKILL');
  const exit = await exited;
  assert.equal(exit.signal, 'SIGKILL', `the writer died of the kill, not on its own:\n${stderr}`);
  assert.equal(stderr, '', 'the writer reported no error');
}

/** Checks the file after the kill: valid records with consecutive pids, at most one torn (last) line. */
function checkFile(file: string): RunRecord[] {
  const text = readFileSync(file, 'utf8');
  const parsed = parseHistory(text);
  assert.ok(parsed.skipped <= 1, `at most one torn line, got ${parsed.skipped} invalid lines`);
  if (parsed.skipped === 1) assert.ok(parsed.torn, 'an invalid line can only be the torn last one');
  const pids = parsed.records.map((r) => r.pid ?? -1);
  pids.forEach((pid, i) => {
    if (i > 0) assert.equal(pid, pids[i - 1]! + 1, `records are consecutive (after pid ${pids[i - 1]})`);
  });
  return parsed.records;
}

/** Opens the store again, appends one run after the last and reads it back. */
async function appendAgain(file: string, retention?: number): Promise<void> {
  const store = await HistoryStore.open(file, retention === undefined ? {} : { retention });
  const last = store.list({ limit: 1 })[0]!;
  const next: RunRecord = { ...last, id: `${last.id}-after`, pid: (last.pid ?? 0) + 1, message: 'after the crash' };
  await store.append(next);
  await store.whenIdle();
  const reopened = await HistoryStore.open(file, retention === undefined ? {} : { retention });
  await reopened.whenIdle();
  assert.deepEqual(reopened.list({ limit: 2 }), [next, last]);
  assert.ok(reopened.loaded.skipped <= 1);
  const records = checkFile(file);
  assert.deepEqual(records.at(-1), next);
}

test('a writer SIGKILLed mid-append leaves every complete record intact', { timeout: 60_000 }, async () => {
  const { dir, cleanup } = await tempDir('agent-tray-history-crash-');
  cleanups.push(cleanup);
  const file = path.join(dir, 'history.jsonl');
  const lines = () => (existsSync(file) ? readFileSync(file, 'utf8').split('\n').length - 1 : 0);
  await writeUntilKilled(file, null, () => lines() >= 200);

  const records = checkFile(file);
  assert.ok(records.length >= 200, `the records written before the kill are there (${records.length})`);
  assert.equal(records[0]!.pid, 0, 'from the first one on');
  await appendAgain(file);
});

test('a writer SIGKILLed while it compacts the file leaves the newest records intact', { timeout: 60_000 }, async () => {
  const { dir, cleanup } = await tempDir('agent-tray-history-crash-');
  cleanups.push(cleanup);
  const file = path.join(dir, 'history.jsonl');
  const retention = 20; // compacted from 26 lines to 20: a compaction every 6 appends
  await writeUntilKilled(file, retention, (out) => /appended (\d+)/.test(out) && Number([...out.matchAll(/appended (\d+)/g)].at(-1)![1]) >= 400);

  const records = checkFile(file);
  assert.ok(records.length >= retention && records.length <= retention * 1.25 + 1, `between ${retention} and ${retention * 1.25 + 1} records, got ${records.length}`);
  assert.ok(records.at(-1)!.pid! >= 399, 'the newest records are kept');
  await appendAgain(file, retention);
  // write-file-atomic's temporary file may be left by the kill; it is not the history
  for (const name of readdirSync(dir)) assert.ok(name === 'history.jsonl' || name.startsWith('history.jsonl.'), name);
});
