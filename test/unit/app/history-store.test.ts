// The run history file: newest-first listing and filters, a torn last line and invalid lines
// skipped, appends after a torn line on a fresh line, retention compaction racing with appends.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { appendFile, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { HistoryStore, parseHistory } from '../../../electron/app/history-store.js';
import { RunRecordSchema, type RunRecord } from '../../../shared/history.js';
import { tempDir } from '../../helpers/temp-dir.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function historyFile(): Promise<string> {
  const { dir, cleanup } = await tempDir('agent-tray-history-');
  cleanups.push(cleanup);
  return path.join(dir, 'data', 'history.jsonl');
}

/** Run number `n` of agent `name`. */
function run(n: number, name = 'a'): RunRecord {
  const startedAt = 1_700_000_000_000 + n * 1_000;
  return {
    id: `${name}-${startedAt}-${n}`,
    name,
    pid: n,
    startedAt,
    endedAt: startedAt + 500,
    durationMs: 500,
    startedBy: 'user',
    ended: 'stopped-by-user',
    exitCode: null,
    signal: 'SIGTERM',
    restarts: 0,
    peakMemoryMB: 100 + n,
    avgCpuPercent: 2.5,
    message: `run ${n}`,
  };
}

const pids = (records: RunRecord[]): (number | null)[] => records.map((r) => r.pid);

async function fileLines(file: string): Promise<string[]> {
  return (await readFile(file, 'utf8')).split('\n').filter((l) => l !== '');
}

test('appended runs are listed newest first, by agent, up to a limit, and survive a reopen', async () => {
  const file = await historyFile();
  const store = await HistoryStore.open(file);
  assert.deepEqual(store.list(), []);
  for (let n = 1; n <= 5; n++) await store.append(run(n, n % 2 ? 'odd' : 'even'));
  assert.deepEqual(pids(store.list()), [5, 4, 3, 2, 1]);
  assert.deepEqual(pids(store.list({ agent: 'odd' })), [5, 3, 1]);
  assert.deepEqual(pids(store.list({ agent: 'even', limit: 1 })), [4]);
  assert.deepEqual(pids(store.list({ limit: 2 })), [5, 4]);
  assert.deepEqual(store.list({ agent: 'nobody' }), []);
  assert.equal(store.size, 5);

  const again = await HistoryStore.open(file);
  assert.deepEqual(again.list(), store.list());
  assert.deepEqual(again.loaded, { records: 5, skipped: 0, lines: 5, torn: false });
  assert.equal((await fileLines(file)).length, 5);
});

test('list() defaults to the newest 100 and returns copies', async () => {
  const store = await HistoryStore.open(await historyFile());
  for (let n = 1; n <= 120; n++) await store.append(run(n));
  const listed = store.list();
  assert.equal(listed.length, 100);
  assert.equal(listed[0]!.pid, 120);
  listed[0]!.message = 'changed by a caller';
  assert.equal(store.list({ limit: 1 })[0]!.message, 'run 120');
});

test('a torn last line is skipped, earlier runs are intact, and the next append starts a fresh line', async () => {
  const file = await historyFile();
  const store = await HistoryStore.open(file);
  for (let n = 1; n <= 3; n++) await store.append(run(n));
  const whole = JSON.stringify(run(4));
  await appendFile(file, whole.slice(0, Math.floor(whole.length / 2))); // a host killed mid-write

  const reopened = await HistoryStore.open(file);
  assert.deepEqual(reopened.loaded, { records: 3, skipped: 1, lines: 4, torn: true });
  assert.deepEqual(pids(reopened.list()), [3, 2, 1]);
  await reopened.append(run(5));
  assert.deepEqual(pids(reopened.list()), [5, 3, 2, 1]);

  const lines = await fileLines(file);
  assert.equal(lines.length, 5);
  assert.deepEqual(lines.map((l) => RunRecordSchema.safeParse(safeJson(l)).success), [true, true, true, false, true], 'the torn line stands alone; the new record is on its own line');
  const third = await HistoryStore.open(file);
  assert.deepEqual(pids(third.list()), [5, 3, 2, 1]);
  assert.deepEqual(third.loaded, { records: 4, skipped: 1, lines: 5, torn: false });
});

test('a complete last line without its newline is kept, and the next append does not glue onto it', async () => {
  const file = await historyFile();
  const store = await HistoryStore.open(file);
  await store.append(run(1));
  await appendFile(file, JSON.stringify(run(2))); // written by hand, without a newline
  const reopened = await HistoryStore.open(file);
  assert.deepEqual(reopened.loaded, { records: 2, skipped: 0, lines: 2, torn: false });
  await reopened.append(run(3));
  const after = await HistoryStore.open(file);
  assert.deepEqual(pids(after.list()), [3, 2, 1]);
  assert.equal(after.loaded.skipped, 0);
});

test('invalid lines are skipped: not JSON, wrong shape, blank lines, CRLF endings are fine', async () => {
  const file = await historyFile();
  await (await HistoryStore.open(file)).append(run(1));
  const wrongShape = JSON.stringify({ ...run(2), ended: 'vanished' });
  await appendFile(file, `not json at all\n\n${wrongShape}\n${JSON.stringify(run(3))}\r\n[]\n${JSON.stringify(run(4))}\n`);
  const store = await HistoryStore.open(file);
  assert.deepEqual(pids(store.list()), [4, 3, 1]);
  assert.deepEqual(store.loaded, { records: 3, skipped: 3, lines: 6, torn: false });
});

test('an invalid record is refused and the file is left as it was', async () => {
  const file = await historyFile();
  const store = await HistoryStore.open(file);
  await store.append(run(1));
  await assert.rejects(store.append({ ...run(2), durationMs: -1 }));
  await assert.rejects(store.append({ ...run(3), startedBy: 'magic' } as unknown as RunRecord));
  await store.append(run(4));
  assert.deepEqual(pids((await HistoryStore.open(file)).list()), [4, 1]);
});

test('past retention × 1.25 lines the file is rewritten with the newest `retention` runs', async () => {
  const file = await historyFile();
  const store = await HistoryStore.open(file, { retention: 4 });
  for (let n = 1; n <= 5; n++) await store.append(run(n));
  await store.whenIdle();
  assert.equal((await fileLines(file)).length, 5, '5 is not more than 4 × 1.25: no compaction yet');
  assert.deepEqual(pids(store.list()), [5, 4, 3, 2], 'list() shows only the kept number');
  assert.equal(store.size, 4);

  await store.append(run(6));
  await store.whenIdle();
  assert.deepEqual((await fileLines(file)).map((l) => (JSON.parse(l) as RunRecord).pid), [3, 4, 5, 6]);
  assert.deepEqual(pids(store.list()), [6, 5, 4, 3]);
  assert.deepEqual(pids((await HistoryStore.open(file, { retention: 4 })).list()), [6, 5, 4, 3]);
  assert.deepEqual((await readdir(path.dirname(file))).sort(), ['history.jsonl'], 'no temporary file is left behind');
});

test('an append made while a compaction runs is not lost', async () => {
  const file = await historyFile();
  const store = await HistoryStore.open(file, { retention: 4 });
  for (let n = 1; n <= 6; n++) await store.append(run(n)); // the 6th queues a compaction
  assert.equal(readFileSync(file, 'utf8').split('\n').length - 1, 6, 'the compaction has not finished yet');
  const racing = store.append(run(7)); // asked for while the compaction is under way
  await racing;
  await store.whenIdle();
  assert.deepEqual(pids(store.list()), [7, 6, 5, 4]);
  const lines = (await fileLines(file)).map((l) => (JSON.parse(l) as RunRecord).pid);
  assert.deepEqual(lines, [3, 4, 5, 6, 7], 'compacted to the newest 4, then the racing append');
});

test('many concurrent appends with compactions in between: none lost, the file stays valid JSONL', async () => {
  const file = await historyFile();
  const store = await HistoryStore.open(file, { retention: 10 });
  const appends: Promise<void>[] = [];
  for (let n = 1; n <= 200; n++) {
    const done = store.append(run(n));
    appends.push(done);
    if (n % 9 === 0) await done; // lets a compaction queue up between bursts of appends
  }
  await Promise.all(appends);
  await store.whenIdle();
  const text = await readFile(file, 'utf8');
  assert.ok(text.endsWith('\n'));
  const parsed = parseHistory(text);
  assert.equal(parsed.skipped, 0);
  assert.ok(parsed.lines <= 12, `at most retention × 1.25 lines, got ${parsed.lines}`);
  const inFile = pids(parsed.records);
  assert.deepEqual(inFile, Array.from({ length: inFile.length }, (_, i) => 200 - inFile.length + 1 + i), 'the newest runs, in order');
  assert.deepEqual(pids(store.list()), Array.from({ length: 10 }, (_, i) => 200 - i));
  assert.deepEqual(pids((await HistoryStore.open(file, { retention: 10 })).list()), pids(store.list()));
});

test('300 appends give a file of 300 valid lines', async () => {
  const file = await historyFile();
  const store = await HistoryStore.open(file);
  for (let n = 1; n <= 300; n++) await store.append(run(n, `agent-${n % 7}`));
  const lines = await fileLines(file);
  assert.equal(lines.length, 300);
  for (const line of lines) assert.ok(RunRecordSchema.safeParse(JSON.parse(line)).success, line);
  assert.equal((await HistoryStore.open(file)).size, 300);
});

test('a file longer than retention × 1.25 is compacted on open; setRetention shrinks it later', async () => {
  const file = await historyFile();
  const big = await HistoryStore.open(file);
  for (let n = 1; n <= 20; n++) await big.append(run(n));
  const small = await HistoryStore.open(file, { retention: 8 });
  await small.whenIdle();
  assert.equal((await fileLines(file)).length, 8);
  small.setRetention(2);
  await small.whenIdle();
  assert.deepEqual((await fileLines(file)).map((l) => (JSON.parse(l) as RunRecord).pid), [19, 20]);
  assert.throws(() => small.setRetention(0), RangeError);
  await assert.rejects(HistoryStore.open(file, { retention: 1.5 }), RangeError);
});

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
