// Where the host finds the built renderer and its version, compiled and from source.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { installLayout, packageVersion, rendererDir } from '../../../electron/server/install-layout.js';
import { tempDir } from '../../helpers/temp-dir.js';

test('the project root from the compiled tree and from source', () => {
  assert.deepEqual(installLayout('/p/dist/electron/server'), { root: '/p', compiled: true });
  assert.deepEqual(installLayout('/p/electron/server'), { root: '/p', compiled: false });
});

test('the renderer is dist/renderer with an index.html, else null; the version comes from package.json', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const compiled = path.join(dir, 'dist', 'electron', 'server');
    const source = path.join(dir, 'electron', 'server');
    assert.equal(rendererDir(compiled), null);
    assert.equal(packageVersion(source), '0.0.0');
    await mkdir(path.join(dir, 'dist', 'renderer'), { recursive: true });
    assert.equal(rendererDir(compiled), null, 'no index.html yet');
    await writeFile(path.join(dir, 'dist', 'renderer', 'index.html'), '<!doctype html>');
    await writeFile(path.join(dir, 'package.json'), '{"version":"9.8.7"}');
    for (const from of [compiled, source]) {
      assert.equal(rendererDir(from), path.join(dir, 'dist', 'renderer'));
      assert.equal(packageVersion(from), '9.8.7');
    }
  } finally {
    await cleanup();
  }
});
