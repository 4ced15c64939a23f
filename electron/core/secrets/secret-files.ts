// The files the secret stores use in the data directory, and the headless store.
import path from 'node:path';
import { JsonSecretStore } from './json-secret-store.js';

/** The plain store: values as they are, the file readable by its owner only. */
export const SECRETS_FILE_NAME = 'secrets.json';
/** The desktop's store: every value encrypted with the OS keychain (Electron safeStorage), base64. */
export const ENCRYPTED_SECRETS_FILE_NAME = 'secrets.enc.json';

/** The headless host's store (and the desktop's fallback): <dataDir>/secrets.json, 0600. */
export function fileSecretStore(dataDir: string, note: string | null = null): JsonSecretStore {
  return new JsonSecretStore({ file: path.join(dataDir, SECRETS_FILE_NAME), kind: 'file', note });
}
