// The desktop app's secret store: Electron's safeStorage (DPAPI on Windows, the Keychain on macOS,
// libsecret/KWallet on Linux) handed to the Electron-free store in electron/core/secrets/.
import { safeStorage } from 'electron';
import { desktopSecretStore } from '../core/secrets/keychain-codec.js';
import type { SecretStore } from '../core/secrets/secret-store.js';

/** The store for `dataDir`; call after the app is ready (the keychain is not known before). */
export function keychainSecretStore(dataDir: string): Promise<SecretStore> {
  return desktopSecretStore(dataDir, {
    isAsyncEncryptionAvailable: () => safeStorage.isAsyncEncryptionAvailable(),
    encryptStringAsync: (text) => safeStorage.encryptStringAsync(text),
    decryptStringAsync: (data) => safeStorage.decryptStringAsync(data),
    getSelectedStorageBackend: () => (process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : 'os'),
  });
}
