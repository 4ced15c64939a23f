// The commands of env files and secrets: where each variable of an agent comes from (agentEnv),
// and its secrets (list, set, remove). A secret's value goes to the secret store only; the
// definition keeps just its name in `secretEnv`, so agents.json never holds the value.
import { AgentDefinitionSchema, envNameProblem, type AgentDefinition } from '../../shared/agent.js';
import type { LogSearchMatch } from '../../shared/commands.js';
import type { SecretEntry } from '../../shared/env.js';
import { publicEnv, resolveAgentEnv } from '../core/agent-env.js';
import { AgentTrayError, unknownAgent } from '../core/errors.js';
import { secretMasker } from '../core/logs/mask-secrets.js';
import type { SecretStore } from '../core/secrets/secret-store.js';
import type { AgentTrayApp } from './application.js';
import type { Handlers } from './command-table.js';
import { checkStartEnv } from './env-sandbox.js';

type SecretHandlers = Pick<Handlers, 'agentEnv' | 'listSecrets' | 'setSecret' | 'removeSecret'>;

/** The host's secret store; a conflict when this host has none. */
function storeOf(app: AgentTrayApp): SecretStore {
  const store = app.engine.secrets;
  if (!store) throw new AgentTrayError('conflict', 'This host keeps no secrets (it was opened without a secret store)', { hint: 'Use `agent-tray serve` or the desktop app' });
  return store;
}

/** `def` with `key` among its secrets (and out of its env) or not; null when it already is as asked. */
export function withSecretName(def: AgentDefinition, key: string, secret: boolean): AgentDefinition | null {
  const names = def.secretEnv ?? [];
  const listed = names.includes(key);
  if (secret ? listed && !Object.hasOwn(def.env, key) : !listed) return null;
  const env = { ...def.env };
  if (secret) delete env[key];
  const secretEnv = secret ? (listed ? names : [...names, key]) : names.filter((n) => n !== key);
  return AgentDefinitionSchema.parse({ ...def, env, secretEnv: secretEnv.length > 0 ? secretEnv : undefined });
}

/** Saves `def` with `key` among its secrets or not, and tells every client; returns the secretEnv in force. */
async function saveSecretNames(app: AgentTrayApp, def: AgentDefinition, key: string, secret: boolean): Promise<string[]> {
  const next = withSecretName(def, key, secret);
  if (!next) return def.secretEnv ?? [];
  await app.store.update(def.name, next);
  app.engine.setDefinitions(app.store.list());
  app.publish({ type: 'agent-updated', name: def.name, status: app.engine.status(def.name) });
  return next.secretEnv ?? [];
}

/** The list of an agent's secrets: its secretEnv names first, then names stored but not declared. */
export function secretEntries(declared: readonly string[], stored: readonly string[]): SecretEntry[] {
  return [...new Set([...declared, ...stored])].map((key) => ({ key, stored: stored.includes(key), declared: declared.includes(key) }));
}

/** Refuses a definition whose secretEnv names a variable that makes a program load code (the sandbox's rule, as for env). */
export function checkSecretNames(app: AgentTrayApp, def: AgentDefinition): void {
  const variables = (def.secretEnv ?? []).map((key) => ({ key, value: '', source: 'secret' as const }));
  checkStartEnv(def, variables, app.settings.sandbox, app.settingsFile, app.platform);
}

/** Masks an agent's stored secret values in log search matches (lines read from its files, which the agent wrote itself). */
export async function searchMatchMasker(app: AgentTrayApp, name: string): Promise<(match: LogSearchMatch) => LogSearchMatch> {
  const values = await app.engine.secrets?.values(name).catch(() => ({})) ?? {};
  const mask = secretMasker(Object.values(values));
  return mask ? (match) => ({ ...match, text: mask(match.text) }) : (match) => match;
}

/** The handlers of agentEnv, listSecrets, setSecret and removeSecret. */
export function secretHandlers(app: AgentTrayApp): SecretHandlers {
  const engine = app.engine;
  return {
    // the definition its next start uses, read as that start would read it, problems collected
    agentEnv: async ({ name }) => {
      const def = app.store.get(name);
      const resolved = await resolveAgentEnv(def, { root: engine.paths.root, platform: app.platform, secrets: engine.secrets }, false);
      try {
        checkStartEnv(def, resolved.variables, app.settings.sandbox, app.settingsFile, app.platform);
      } catch (err) {
        resolved.errors.push(err as AgentTrayError);
      }
      return publicEnv(resolved);
    },

    listSecrets: async ({ name }) => {
      const store = storeOf(app);
      const declared = app.store.has(name) ? (app.store.get(name).secretEnv ?? []) : [];
      const stored = await store.keys(name);
      if (!app.store.has(name) && stored.length === 0) throw unknownAgent(name, app.store.list().map((a) => a.name));
      return { secrets: secretEntries(declared, stored), store: store.info() };
    },

    setSecret: async ({ name, key, value }) => {
      const def = app.store.get(name);
      const problem = envNameProblem(key);
      if (problem) throw new AgentTrayError('bad-request', `Secret "${key}" of agent "${name}": ${problem}`, { details: { name, key } });
      checkStartEnv(def, [{ key, value, source: 'secret' }], app.settings.sandbox, app.settingsFile, app.platform);
      const store = storeOf(app);
      await store.set(name, key, value);
      const secretEnv = await saveSecretNames(app, def, key, true);
      return { key, secretEnv, store: store.info() };
    },

    removeSecret: async ({ name, key }) => {
      const store = storeOf(app);
      const removed = await store.remove(name, key);
      if (!app.store.has(name)) {
        if (!removed) throw unknownAgent(name, app.store.list().map((a) => a.name));
        return { key, removed, secretEnv: [] };
      }
      const secretEnv = await saveSecretNames(app, app.store.get(name), key, false);
      return { key, removed, secretEnv };
    },
  };
}
