// Unit tests for copyTruncate on real files: numbered copies, .1 newest, an append-mode writer that keeps
// working, and failures (a directory in the way, a full tmpfs) that leave everything as it was.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { copyingName, copyTruncate, rotatedName } from '../../../../electron/core/logs/rotate.js';
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

test('resolves with the length it truncated, all of it in .1, which keeps the file\'s private mode', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const file = path.join(dir, 'agent.out.log');
    await writeFile(file, 'twelve bytes', { mode: 0o600 });
    assert.equal(await copyTruncate(file, 2), 12);
    assert.equal(await readFile(`${file}.1`, 'utf8'), 'twelve bytes');
    if (process.platform !== 'win32') assert.equal((await stat(`${file}.1`)).mode & 0o777, 0o600);
    assert.equal(existsSync(copyingName(file)), false);
  } finally {
    await cleanup();
  }
});

test('a copy that fails leaves the file and the older copies as they were', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const file = path.join(dir, 'agent.out.log');
    await writeFile(file, 'current\n');
    await writeFile(`${file}.1`, 'older\n');
    await writeFile(`${file}.2`, 'oldest\n');
    // a directory in the way of the copy: a failure that root gets too
    await mkdir(path.join(copyingName(file), 'blocker'), { recursive: true });
    await assert.rejects(copyTruncate(file, 2), (err: NodeJS.ErrnoException) => err.code === 'EISDIR');
    assert.equal(await readFile(file, 'utf8'), 'current\n');
    assert.equal(await readFile(`${file}.1`, 'utf8'), 'older\n');
    assert.equal(await readFile(`${file}.2`, 'utf8'), 'oldest\n');
  } finally {
    await cleanup();
  }
});

test('on a full disk the rotation fails with ENOSPC, leaving the file, the older copies and no half copy', async (t) => {
  const mounted = await smallTmpfs(t, 256 * 1024);
  if (!mounted) return;
  const file = path.join(mounted, 'agent.out.log');
  await writeFile(`${file}.1`, 'older\n');
  const content = 'y'.repeat(150 * 1024);
  await writeFile(file, content);
  await assert.rejects(copyTruncate(file, 3), (err: NodeJS.ErrnoException) => err.code === 'ENOSPC');
  assert.equal(await readFile(file, 'utf8'), content);
  assert.equal(await readFile(`${file}.1`, 'utf8'), 'older\n');
  assert.deepEqual((await readdir(mounted)).sort(), ['agent.out.log', 'agent.out.log.1']);
});

/** A tmpfs of `bytes` mounted on a fresh folder (unmounted after the test); null, with the test skipped, where mounting is not allowed. */
async function smallTmpfs(t: TestContext, bytes: number): Promise<string | null> {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) {
    t.skip('mounting a small tmpfs needs root on Linux');
    return null;
  }
  const { dir, cleanup } = await tempDir();
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    await cleanup();
    t.skip(`cannot mount a tmpfs here: ${(err as Error).message.split('\n')[0]}`);
    return null;
  }
  t.after(async () => {
    execFileSync('umount', [dir], { stdio: 'pipe' });
    await cleanup();
  });
  return dir;
}
