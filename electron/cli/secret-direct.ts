// `agent-tray secret` when no host runs: the same changes the host makes (the value in
// <dataDir>/secrets.json, 0600; the name in the agent's secretEnv in agents.json), made on the data
// directory itself. A directory whose secrets the desktop app keeps in the keychain is left to it.
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { SecretEntry, SecretStoreInfo } from '../../shared/env.js';
import { AgentStore } from '../app/agent-store.js';
import { secretEntries, withSecretName } from '../app/secret-commands.js';
import { ENCRYPTED_SECRETS_FILE_NAME, fileSecretStore } from '../core/secrets/secret-files.js';
import { ClientError } from './client.js';

/** The data directory's file store and agents; refused where the desktop app keeps the secrets encrypted. */
async function open(dataDir: string, agentsFile: string) {
  if (existsSync(path.join(dataDir, ENCRYPTED_SECRETS_FILE_NAME))) {
    throw new ClientError(`The desktop app keeps the secrets of ${dataDir} encrypted with the system keychain (${ENCRYPTED_SECRETS_FILE_NAME}), which only it can read; open Agent Tray and run this command again (it goes through the app)`, 'no-host');
  }
  return { secrets: fileSecretStore(dataDir), agents: await AgentStore.load(agentsFile) };
}

/** Stores the value and lists the name in the agent's secretEnv (out of its env). */
export async function setSecretDirect(dataDir: string, agentsFile: string, name: string, key: string, value: string): Promise<{ secretEnv: string[]; store: SecretStoreInfo }> {
  const { secrets, agents } = await open(dataDir, agentsFile);
  const def = agents.get(name);
  await secrets.set(name, key, value);
  const next = withSecretName(def, key, true);
  if (next) await agents.update(name, next);
  return { secretEnv: (next ?? def).secretEnv ?? [], store: secrets.info() };
}

/** The agent's secret names: declared, stored, or both. */
export async function listSecretsDirect(dataDir: string, agentsFile: string, name: string): Promise<{ secrets: SecretEntry[]; store: SecretStoreInfo }> {
  const { secrets, agents } = await open(dataDir, agentsFile);
  const stored = await secrets.keys(name);
  const declared = agents.has(name) ? (agents.get(name).secretEnv ?? []) : [];
  if (!agents.has(name) && stored.length === 0) agents.get(name); // unknown-agent, naming the known ones
  return { secrets: secretEntries(declared, stored), store: secrets.info() };
}

/** Removes the value and the name from secretEnv. */
export async function removeSecretDirect(dataDir: string, agentsFile: string, name: string, key: string): Promise<{ removed: boolean; secretEnv: string[] }> {
  const { secrets, agents } = await open(dataDir, agentsFile);
  const removed = await secrets.remove(name, key);
  if (!agents.has(name)) {
    if (!removed) agents.get(name);
    return { removed, secretEnv: [] };
  }
  const def = agents.get(name);
  const next = withSecretName(def, key, false);
  if (next) await agents.update(name, next);
  return { removed, secretEnv: (next ?? def).secretEnv ?? [] };
}
