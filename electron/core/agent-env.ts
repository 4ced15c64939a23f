// An agent's own environment, layer by layer: its env files (in order, later ones win), then its
// definition's `env`, then its secrets from the secret store. Each variable keeps where it came
// from, so the window can say it; the host's own environment is not part of it (the engine lays
// these variables over it at the start). Names fold case on Windows, as the OS does.
import path from 'node:path';
import type { AgentDefinition } from '../../shared/agent.js';
import { LOG_MASK_MIN_LENGTH, SECRET_MASK, type AgentEnv, type EnvSource } from '../../shared/env.js';
import { AgentTrayError } from './errors.js';
import { readEnvFile, envFilesOf, resolveEnvFile } from './env-files.js';
import type { SecretStore } from './secrets/secret-store.js';

/** One variable with its real value (a secret's included: never send this to a client). */
export interface OwnVariable {
  key: string;
  value: string;
  source: EnvSource;
  file?: string;
  /** Earlier layers that set the same name and lost. */
  overrides?: { source: EnvSource; file?: string }[];
}

export interface ResolvedEnv {
  /** The winning variable of each name, in the order they were first set. */
  variables: OwnVariable[];
  /** The same as a plain object, for the spawn. */
  values: Record<string, string>;
  /** Secret values long enough to be masked in log lines. */
  secretValues: string[];
  /** What stops a start (a missing file, a secret without a value); empty when it can start. */
  errors: AgentTrayError[];
}

export interface AgentEnvContext {
  /** The data directory: a relative cwd is taken from it. */
  root: string;
  platform: NodeJS.Platform;
  /** Where secretEnv values are read; null: none (every secretEnv name is an error). */
  secrets: SecretStore | null;
}

/** The agent's working directory, as the spawn resolves it. */
export function agentCwd(def: Pick<AgentDefinition, 'cwd'>, ctx: Pick<AgentEnvContext, 'root' | 'platform'>): string {
  return (ctx.platform === 'win32' ? path.win32 : path.posix).resolve(ctx.root, def.cwd ?? '.');
}

/** The error for a secretEnv name without a stored value. */
function missingSecret(def: AgentDefinition, key: string, store: SecretStore | null): AgentTrayError {
  const where = store ? ` (${store.info().file})` : '';
  return new AgentTrayError('secret-missing', `Agent "${def.name}": the secret ${key} has no value in the secret store${where}`, {
    hint: `Set it with \`agent-tray secret set ${def.name} ${key}\` (the value is read from stdin) or in the editor (tick "secret"), or remove ${key} from "secretEnv"`,
    details: { name: def.name, key },
  });
}

/**
 * Reads every layer of `def`'s environment. `strict` (a start): the first problem throws.
 * Otherwise (the window's view) problems are collected in `errors` and the rest is still read.
 */
export async function resolveAgentEnv(def: AgentDefinition, ctx: AgentEnvContext, strict: boolean): Promise<ResolvedEnv> {
  const errors: AgentTrayError[] = [];
  const fail = (err: unknown): void => {
    const e = err instanceof AgentTrayError ? err : new AgentTrayError('internal', (err as Error).message, { cause: err });
    if (strict) throw e;
    errors.push(e);
  };
  const fold = (key: string) => (ctx.platform === 'win32' ? key.toUpperCase() : key);
  const byName = new Map<string, OwnVariable>();
  const add = (key: string, value: string, source: EnvSource, file?: string): void => {
    const before = byName.get(fold(key));
    const overrides = before ? [...(before.overrides ?? []), { source: before.source, ...(before.file ? { file: before.file } : {}) }] : undefined;
    if (before) byName.delete(fold(key)); // re-inserted: the order is the order they win in
    byName.set(fold(key), { key, value, source, ...(file ? { file } : {}), ...(overrides ? { overrides } : {}) });
  };

  const cwd = agentCwd(def, ctx);
  for (const written of envFilesOf(def)) {
    try {
      const { file, vars } = await readEnvFile(def.name, resolveEnvFile(written, cwd, ctx.platform));
      for (const [key, value] of Object.entries(vars)) add(key, value, 'envFile', file);
    } catch (err) {
      fail(err);
    }
  }
  for (const [key, value] of Object.entries(def.env)) add(key, value, 'definition');

  const secretValues: string[] = [];
  const wanted = def.secretEnv ?? [];
  if (wanted.length > 0) {
    let stored: Record<string, string> = {};
    try {
      stored = ctx.secrets ? await ctx.secrets.values(def.name) : {};
    } catch (err) {
      fail(err);
    }
    for (const key of wanted) {
      const value = Object.hasOwn(stored, key) ? stored[key] : undefined;
      if (value === undefined) {
        fail(missingSecret(def, key, ctx.secrets));
        continue;
      }
      add(key, value, 'secret');
      if (value.length >= LOG_MASK_MIN_LENGTH) secretValues.push(value);
    }
  }

  const variables = [...byName.values()];
  return { variables, values: Object.fromEntries(variables.map((v) => [v.key, v.value])), secretValues, errors };
}

/** What a client may see of a resolved environment: secrets masked, problems as messages. */
export function publicEnv(resolved: ResolvedEnv): AgentEnv {
  return {
    variables: resolved.variables.map((v) => ({ ...v, value: v.source === 'secret' ? SECRET_MASK : v.value })),
    errors: resolved.errors.map((e) => ({
      code: e.code,
      message: e.message,
      ...(typeof e.details.file === 'string' ? { file: e.details.file } : {}),
      ...(typeof e.details.key === 'string' ? { key: e.details.key } : {}),
    })),
  };
}
