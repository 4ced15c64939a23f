// The secret stores: values per agent and variable in a private file (0600, folder 0700), written
// atomically one change at a time; a damaged file is an error naming it, never silently replaced.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { link, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AgentTrayError } from '../../../../electron/core/errors.js';
import { JsonSecretStore } from '../../../../electron/core/secrets/json-secret-store.js';
import { fileSecretStore } from '../../../../electron/core/secrets/secret-files.js';
import type { SecretCodec } from '../../../../electron/core/secrets/secret-store.js';
import { tempDir } from '../../../helpers/temp-dir.js';

const posix = process.platform !== 'win32';

test('set, read, list, remove; the file is 0600 in a folder created 0700, and holds the values under the agent', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const dataDir = path.join(dir, 'data');
  const store = fileSecretStore(dataDir);
  assert.deepEqual(await store.values('web'), {}, 'no file yet: no secrets');
  await store.set('web', 'OPENAI_API_KEY', 'sk-test-1234567890');
  await store.set('web', 'DB_PASSWORD', 'hunter2-hunter2');
  await store.set('worker', 'OPENAI_API_KEY', 'sk-other');
  assert.deepEqual(await store.values('web'), { OPENAI_API_KEY: 'sk-test-1234567890', DB_PASSWORD: 'hunter2-hunter2' });
  assert.deepEqual(await store.keys('web'), ['OPENAI_API_KEY', 'DB_PASSWORD']);
  const file = path.join(dataDir, 'secrets.json');
  assert.deepEqual(store.info(), { kind: 'file', file, note: null });
  if (posix) {
    assert.equal((await stat(file)).mode & 0o777, 0o600);
    assert.equal((await stat(dataDir)).mode & 0o777, 0o700);
  }
  const json = JSON.parse(await readFile(file, 'utf8'));
  assert.equal(json.format, 'agent-tray-secrets');
  assert.equal(json.encryption, 'none');
  assert.equal(json.agents.web.OPENAI_API_KEY, 'sk-test-1234567890');

  assert.equal(await store.remove('web', 'DB_PASSWORD'), true);
  assert.equal(await store.remove('web', 'DB_PASSWORD'), false, 'already gone');
  await store.renameAgent('web', 'site');
  assert.deepEqual(await store.values('web'), {});
  assert.deepEqual(await store.values('site'), { OPENAI_API_KEY: 'sk-test-1234567890' });
  await store.removeAgent('site');
  assert.deepEqual(await store.keys('site'), []);
  assert.deepEqual(await store.keys('worker'), ['OPENAI_API_KEY'], 'other agents keep theirs');
});

test('writes are atomic (a new file renamed over the old one) and one at a time: 30 concurrent sets all land, no temporary file stays', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const store = fileSecretStore(dir);
  await store.set('web', 'FIRST', 'value-0');
  const file = path.join(dir, 'secrets.json');
  // a second name for the old file keeps its inode taken, so a replaced file cannot get it back
  const old = path.join(dir, 'old-copy');
  await link(file, old);
  const oldText = await readFile(old, 'utf8');
  await store.set('web', 'SECOND', 'value-1');
  assert.notEqual((await stat(file)).ino, (await stat(old)).ino, 'the file was replaced, not written in place (a crash mid-write leaves the old one whole)');
  assert.equal(await readFile(old, 'utf8'), oldText, 'the old file was not touched');
  await rm(old);
  await Promise.all(Array.from({ length: 30 }, (_, i) => store.set('web', `KEY_${i}`, `value-${i}`)));
  assert.equal((await store.keys('web')).length, 32);
  assert.deepEqual(await readdir(dir), ['secrets.json']);
  if (posix) assert.equal((await stat(file)).mode & 0o777, 0o600, 'still 0600 after rewrites');
});

test('a damaged file is an invalid-config error naming it; nothing is written over it (no silent loss of keys)', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const file = path.join(dir, 'secrets.json');
  const store = fileSecretStore(dir);
  for (const damaged of ['{"format": "agent-tray-secrets", "version": 1, "encryption": "none", "agents": {"web": {"K": ', '{"agents": {}}', '[]']) {
    await writeFile(file, damaged);
    for (const op of [() => store.values('web'), () => store.keys('web'), () => store.set('web', 'NEW', 'v'), () => store.remove('web', 'K')]) {
      const err = await op().then(
        () => assert.fail(`it accepted ${damaged}`),
        (e: unknown) => e,
      );
      assert.ok(err instanceof AgentTrayError);
      assert.equal(err.code, 'invalid-config');
      assert.ok(err.message.includes(file), err.message);
      assert.match(err.message, /left the file as it is/);
    }
    assert.equal(await readFile(file, 'utf8'), damaged, 'the file is untouched');
  }
});

/** A codec like the desktop's (an encryption whose key the store never sees): AES-GCM with a key of this test. */
function testCipher(key = randomBytes(32)): SecretCodec {
  return {
    encryption: 'test-aes-gcm',
    encode(value) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(value, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]).toString('base64');
    },
    decode(text) {
      const raw = Buffer.from(text, 'base64');
      const d = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      d.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

test('an encrypting codec: the file holds no value in clear; a value it cannot decrypt is an error naming the agent and the key; another codec\'s file is refused', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const file = path.join(dir, 'secrets.enc.json');
  const key = randomBytes(32);
  const store = new JsonSecretStore({ file, kind: 'safe-storage', codec: testCipher(key) });
  await store.set('web', 'API_KEY', 'sk-plain-text-never-on-disk');
  assert.ok(!(await readFile(file, 'utf8')).includes('sk-plain-text-never-on-disk'));
  assert.deepEqual(await store.values('web'), { API_KEY: 'sk-plain-text-never-on-disk' });
  assert.deepEqual(await store.keys('web'), ['API_KEY']);

  const otherKey = new JsonSecretStore({ file, kind: 'safe-storage', codec: testCipher() });
  await assert.rejects(otherKey.values('web'), (e: AgentTrayError) => e.code === 'invalid-config' && /secret API_KEY of agent "web" .* cannot be decrypted/.test(e.message) && /agent-tray secret set web API_KEY/.test(e.message));
  assert.deepEqual(await otherKey.keys('web'), ['API_KEY'], 'the names stay listable');

  const plain = new JsonSecretStore({ file });
  await assert.rejects(plain.values('web'), (e: AgentTrayError) => e.code === 'invalid-config' && /written with "test-aes-gcm"/.test(e.message));
});
