// The desktop's choice of secret store: the keychain (Electron safeStorage) where the OS has one,
// else the 0600 file with a note saying why; Electron itself cannot start on this machine, so the
// keychain here is an AES-GCM cipher behind the same interface safeStorage has.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { desktopSecretStore, type KeychainApi } from '../../../../electron/core/secrets/keychain-codec.js';
import { tempDir } from '../../../helpers/temp-dir.js';

/** A keychain with safeStorage's async interface over a key of this test. */
function keychain(available: boolean, backend = 'gnome_libsecret'): KeychainApi {
  const key = randomBytes(32);
  return {
    isAsyncEncryptionAvailable: async () => available,
    getSelectedStorageBackend: () => backend,
    encryptStringAsync: async (text) => {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(text, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decryptStringAsync: async (data) => {
      const d = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12));
      d.setAuthTag(data.subarray(12, 28));
      return { result: Buffer.concat([d.update(data.subarray(28)), d.final()]).toString('utf8') };
    },
  };
}

test('with a keychain: secrets.enc.json holds base64 ciphertext, never the value', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const store = await desktopSecretStore(dir, keychain(true), 'darwin');
  assert.deepEqual(store.info(), { kind: 'safe-storage', file: path.join(dir, 'secrets.enc.json'), note: null });
  await store.set('web', 'API_KEY', 'sk-live-abcdef');
  const text = await readFile(path.join(dir, 'secrets.enc.json'), 'utf8');
  assert.ok(!text.includes('sk-live-abcdef'));
  assert.match(JSON.parse(text).agents.web.API_KEY, /^[A-Za-z0-9+/]+=*$/);
  assert.equal(JSON.parse(text).encryption, 'electron-safe-storage');
  assert.deepEqual(await store.values('web'), { API_KEY: 'sk-live-abcdef' });
});

test('no keychain, or Linux without a secret service (basic_text): the 0600 file, and the note says why', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const none = await desktopSecretStore(dir, keychain(false), 'win32');
  assert.equal(none.info().kind, 'file');
  assert.equal(none.info().file, path.join(dir, 'secrets.json'));
  assert.match(none.info().note ?? '', /\(0600\), not encrypted: the operating system offers no keychain/);

  const basic = await desktopSecretStore(dir, keychain(true, 'basic_text'), 'linux');
  assert.equal(basic.info().kind, 'file');
  assert.match(basic.info().note ?? '', /backend is "basic_text".*GNOME Keyring or KWallet/);

  const libsecret = await desktopSecretStore(dir, keychain(true, 'gnome_libsecret'), 'linux');
  assert.equal(libsecret.info().kind, 'safe-storage');
});
