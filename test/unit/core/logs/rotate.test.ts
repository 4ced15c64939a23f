// Unit tests for copyTruncate on real files: numbered copies, .1 newest, and an append-mode writer that keeps working.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { copyTruncate, rotatedName } from '../../../../electron/core/logs/rotate.js';
import { tempDir } from '../../../helpers/temp-dir.js';

test('keeps at most `keep` copies, the newest as .1, shifting the older ones up', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const file = path.join(dir, 'agent.out.log');
    assert.equal(rotatedName(file, 2), `${file}.2`);
    for (let gen = 1; gen <= 5; gen++) {
      await writeFile(file, `generation ${gen}\n`, { flag: 'a' });
      await copyTruncate(file, 3);
      assert.equal((await stat(file)).size, 0, `truncated after generation ${gen}`);
      assert.equal(await readFile(`${file}.1`, 'utf8'), `generation ${gen}\n`);
    }
    assert.deepEqual((await readdir(dir)).sort(), ['agent.out.log', 'agent.out.log.1', 'agent.out.log.2', 'agent.out.log.3']);
    assert.equal(await readFile(`${file}.2`, 'utf8'), 'generation 4\n');
    assert.equal(await readFile(`${file}.3`, 'utf8'), 'generation 3\n');
  } finally {
    await cleanup();
  }
});

test('keep 0 only truncates', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const file = path.join(dir, 'x.log');
    await writeFile(file, 'some output\n');
    await copyTruncate(file, 0);
    assert.deepEqual(await readdir(dir), ['x.log']);
    assert.equal((await stat(file)).size, 0);
  } finally {
    await cleanup();
  }
});

test('an append-mode descriptor writes at the start of the truncated file, not after a hole', async () => {
  const { dir, cleanup } = await tempDir();
  const file = path.join(dir, 'agent.err.log');
  const writer = await open(file, 'a');
  try {
    const before = 'before rotation\n'.repeat(1000);
    await writer.write(before);
    await copyTruncate(file, 2);
    await writer.write('after rotation\n');
    const bytes = await readFile(file);
    assert.equal(bytes.length, 'after rotation\n'.length, 'no hole of zeros before the new bytes');
    assert.equal(bytes.toString('utf8'), 'after rotation\n');
    assert.equal(await readFile(`${file}.1`, 'utf8'), before);
  } finally {
    await writer.close();
    await cleanup();
  }
});
