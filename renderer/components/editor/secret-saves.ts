// The secrets of an editor's save: which typed values go to the host's secret store (setSecret)
// and which stored ones go (removeSecret). The definition carries only their names (secretEnv).
import { isObject, type EnvRow, type FormValues, type JsonObject } from './definition-form.js';

export interface SecretChanges {
  /** [name, value] to store. */
  set: [string, string][];
  /** Names whose stored values are no longer wanted. */
  remove: string[];
}

/** The names a definition lists in secretEnv (none when it is not a list of names). */
export function secretNames(def: JsonObject): string[] {
  const names = def.secretEnv;
  return Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string') : [];
}

/**
 * What a save changes in the secret store: the typed values of secret rows the saved definition
 * lists (from either tab), and the names `before` (the agent's secretEnv when the editor opened)
 * that it no longer lists.
 */
export function secretChanges(saved: JsonObject, rows: readonly EnvRow[], before: readonly string[]): SecretChanges {
  const names = secretNames(saved);
  const set: [string, string][] = rows.filter((r) => r.secret && r.value !== '' && names.includes(r.name)).map((r) => [r.name, r.value]);
  return { set, remove: before.filter((n) => !names.includes(n)) };
}

/** The form filled again from the JSON view, with the secret values typed before (the JSON never holds them) kept. */
export function keepTypedSecrets(next: FormValues, before: FormValues): FormValues {
  const typed = new Map(before.env.filter((r) => r.secret && r.value !== '').map((r) => [r.name, r.value]));
  if (typed.size === 0) return next;
  return { ...next, env: next.env.map((r) => (r.secret && typed.has(r.name) ? { ...r, value: typed.get(r.name) ?? '', stored: r.stored ?? false } : r)) };
}

/** The agent's secretEnv when the editor opened (an edit), for what a save removes. */
export function initialSecretNames(initial: unknown): string[] {
  return isObject(initial) ? secretNames(initial) : [];
}
