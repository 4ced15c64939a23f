// The alerts file: alerts survive a reopen with their read flag, the file keeps the newest
// `limit` alerts and is private, a torn or invalid line is skipped, the center restores from it.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { AlertStore, parseAlerts } from '../../../electron/app/alert-store.js';
import { AlertCenter } from '../../../electron/app/alerts.js';
import type { Alert } from '../../../shared/status.js';
import { tempDir } from '../../helpers/temp-dir.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function alertsFile(): Promise<string> {
  const { dir, cleanup } = await tempDir('agent-tray-alerts-');
  cleanups.push(cleanup);
  return path.join(dir, 'data', 'alerts.jsonl');
}

const alert = (id: number, extra: Partial<Alert> = {}): Alert => ({ id, at: 1_700_000_000_000 + id, severity: 'critical', kind: 'crashed', name: 'a', message: `alert ${id}`, ...extra });

test('saved alerts come back on open, with their read flag, in a private file', async () => {
  const file = await alertsFile();
  assert.deepEqual((await AlertStore.open(file)).loaded, []); // no file yet
  const store = await AlertStore.open(file);
  await store.save([alert(1, { read: true }), alert(2)]);
  const again = await AlertStore.open(file);
  assert.deepEqual(again.loaded, [alert(1, { read: true }), alert(2)]);
  if (process.platform !== 'win32') assert.equal((await stat(file)).mode & 0o777, 0o600);
});

test('the file keeps the newest `limit` alerts; saves run in order', async () => {
  const file = await alertsFile();
  const store = await AlertStore.open(file, 3);
  const all = Array.from({ length: 7 }, (_, i) => alert(i + 1));
  // side by side: the last save asked for is the one on disk
  await Promise.all([store.save(all.slice(0, 2)), store.save(all.slice(0, 5)), store.save(all)]);
  assert.deepEqual((await AlertStore.open(file, 3)).loaded.map((a) => a.id), [5, 6, 7]);
  assert.equal((await readFile(file, 'utf8')).trim().split('\n').length, 3);
});

test('a torn last line and invalid lines are skipped, the rest is read', async () => {
  const file = await alertsFile();
  const store = await AlertStore.open(file);
  await store.save([alert(1), alert(2)]);
  await appendFile(file, 'not json\n{"id":3,"at":1}\n{"id":4,"at":17000000');
  assert.deepEqual((await AlertStore.open(file)).loaded.map((a) => a.id), [1, 2]);
  assert.deepEqual(parseAlerts(''), []);
});

test('the center continues after kept alerts, marks read, clears, filters, and hands each change over', async () => {
  const changes: Alert[][] = [];
  const center = new AlertCenter(
    { utilization: () => ({ active: 0, max: null }), memoryForecast: () => null },
    () => undefined,
    { initial: [alert(4, { name: 'a' }), alert(9, { name: 'b', severity: 'warning' })], onChange: (list) => changes.push([...list]), cooldownMs: 0 },
  );
  center.notify('warning', 'config', 'agents.json is invalid');
  assert.deepEqual(center.list().map((a) => a.id), [4, 9, 10]);
  assert.deepEqual(center.list({ agent: 'b' }).map((a) => a.id), [9]);
  assert.deepEqual(center.list({ severity: 'warning' }).map((a) => a.id), [9, 10]);
  assert.equal(center.markRead([9]), 1);
  assert.deepEqual(center.list().map((a) => a.read === true), [false, true, false]);
  assert.equal(center.markRead(), 2);
  assert.equal(center.markRead(), 0); // nothing left to mark: no change handed over
  assert.equal(changes.length, 3);
  assert.equal(center.clear(), 3);
  assert.deepEqual(center.list(), []);
  assert.deepEqual(changes.at(-1), []);
  center.notify('critical', 'config', 'again');
  assert.equal(center.list()[0]?.id, 11); // ids never repeat after a clear
});
