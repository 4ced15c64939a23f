// The configuration watcher on real files: a rename over the file (how editors and Agent Tray
// save) is noticed through the folder's watch, and where no watch can be set up the poll notices.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigWatcher } from '../../../electron/app/config-watcher.js';
import { tempDir } from '../../helpers/temp-dir.js';
import { waitFor } from '../../helpers/wait.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A watcher of `file` that counts its calls; closed after the test. */
async function watching(file: string, pollMs = 1_000): Promise<{ calls: () => number }> {
  let calls = 0;
  const watcher = new ConfigWatcher([{ file, changed: () => void calls++ }], { debounceMs: 50, pollMs });
  await watcher.start();
  cleanups.push(() => watcher.close());
  return { calls: () => calls };
}

test('a file replaced by a rename is noticed within a debounce (the folder is watched, not the file)', async () => {
  const { dir, cleanup } = await tempDir();
  cleanups.push(cleanup);
  const file = path.join(dir, 'agents.json');
  writeFileSync(file, '{"agents": []}');
  const w = await watching(file, 60_000); // the poll is out of the picture
  for (let i = 0; i < 2; i++) {
    writeFileSync(`${file}.tmp`, `{"agents": [], "n": ${i}}`);
    renameSync(`${file}.tmp`, file);
    await waitFor(() => w.calls() > i, 1_000, `look ${i + 1} after a rename over the file`);
  }
  assert.equal(w.calls(), 2, 'one look per save');
});

test('where no watch can be set up (the folder does not exist yet), the poll notices the file within 2 s', async () => {
  const { dir, cleanup } = await tempDir();
  cleanups.push(cleanup);
  const file = path.join(dir, 'later', 'settings.json');
  const w = await watching(file, 200);
  mkdirSync(path.dirname(file));
  writeFileSync(file, '{}');
  await waitFor(() => w.calls() > 0, 2_000, 'a look at the file created after start');
  assert.ok(w.calls() >= 1);
});
