// The desktop's secret store, without Electron: which store to use given what the OS keychain
// offers, and the codec that turns values into keychain-encrypted base64 and back. The few lines
// that hand Electron's safeStorage to these live in electron/main/secret-storage.ts.
import path from 'node:path';
import { JsonSecretStore } from './json-secret-store.js';
import { ENCRYPTED_SECRETS_FILE_NAME, fileSecretStore } from './secret-files.js';
import type { SecretCodec, SecretStore } from './secret-store.js';

/** What the store needs of Electron's safeStorage (its async API). */
export interface KeychainApi {
  isAsyncEncryptionAvailable(): Promise<boolean>;
  encryptStringAsync(plainText: string): Promise<Buffer>;
  decryptStringAsync(encrypted: Buffer): Promise<{ result: string }>;
  /** Linux: the password store Chromium chose (`basic_text`: a key written in the program, i.e. no protection). */
  getSelectedStorageBackend?(): string;
}

/** A codec over the keychain: each value encrypted on its own, base64 in the file. */
export function keychainCodec(api: KeychainApi): SecretCodec {
  return {
    encryption: 'electron-safe-storage',
    encode: async (value) => (await api.encryptStringAsync(value)).toString('base64'),
    decode: async (text) => (await api.decryptStringAsync(Buffer.from(text, 'base64'))).result,
  };
}

/** Why the keychain cannot be used on this machine, or null when it can. */
export async function keychainProblem(api: KeychainApi, platform: NodeJS.Platform): Promise<string | null> {
  const available = await api.isAsyncEncryptionAvailable().catch(() => false);
  if (!available) return 'the operating system offers no keychain to Agent Tray (safeStorage is not available)';
  if (platform === 'linux') {
    const backend = api.getSelectedStorageBackend?.() ?? 'unknown';
    if (backend === 'basic_text' || backend === 'unknown') {
      return `no secret service was found (Electron's safeStorage backend is "${backend}", which encrypts with a key built into the program); install and unlock GNOME Keyring or KWallet`;
    }
  }
  return null;
}

/** The desktop app's store: encrypted with the keychain in secrets.enc.json, or (saying why) the 0600 secrets.json. */
export async function desktopSecretStore(dataDir: string, api: KeychainApi, platform: NodeJS.Platform = process.platform): Promise<SecretStore> {
  const problem = await keychainProblem(api, platform);
  if (problem) return fileSecretStore(dataDir, `Secrets are kept in a file readable only by you (0600), not encrypted: ${problem}`);
  return new JsonSecretStore({ file: path.join(dataDir, ENCRYPTED_SECRETS_FILE_NAME), kind: 'safe-storage', codec: keychainCodec(api) });
}
