// Private folders: created 0700 whatever the umask, an existing looser one tightened when it is
// Agent Tray's own (logs/, run/) and reported, not changed, when it is the data directory.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { ensurePrivateDir } from '../../../electron/core/private-dir.js';
import { tempDir } from '../../helpers/temp-dir.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const posix = process.platform === 'win32' ? 'POSIX modes' : false;
const modeOf = async (p: string): Promise<number> => (await stat(p)).mode & 0o777;

test('a new folder and its missing parents are created 0700, even under a permissive umask', { skip: posix }, async () => {
  const { dir, cleanup } = await tempDir('agent-tray-private-');
  cleanups.push(cleanup);
  const target = path.join(dir, 'a', 'b');
  const before = process.umask(0o002);
  try {
    assert.deepEqual(await ensurePrivateDir(target, { tighten: false }), { created: true, looseMode: null });
  } finally {
    process.umask(before);
  }
  assert.equal(await modeOf(target), 0o700);
  assert.equal(await modeOf(path.join(dir, 'a')), 0o700);
});

test('an existing folder open to others: tightened when asked, else left and reported', { skip: posix }, async () => {
  const { dir, cleanup } = await tempDir('agent-tray-private-');
  cleanups.push(cleanup);
  const own = path.join(dir, 'logs');
  const chosen = path.join(dir, 'chosen');
  for (const d of [own, chosen]) {
    await mkdir(d);
    await chmod(d, 0o755);
  }
  assert.deepEqual(await ensurePrivateDir(own, { tighten: true }), { created: false, looseMode: null });
  assert.equal(await modeOf(own), 0o700);
  assert.deepEqual(await ensurePrivateDir(chosen, { tighten: false }), { created: false, looseMode: 0o755 });
  assert.equal(await modeOf(chosen), 0o755);
  assert.deepEqual(await ensurePrivateDir(own, { tighten: false }), { created: false, looseMode: null }, 'a private one is fine as it is');
});
