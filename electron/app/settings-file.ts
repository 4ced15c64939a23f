// settings.json: read with the shared JSON file rules (missing means every default); a change made
// at run time rewrites only the keys it changes, so the person's own layout and other keys stay.
import { readFile } from 'node:fs/promises';
import { SettingsSchema, type Settings, type SettingsChange } from '../../shared/settings.js';
import { loadJsonFile, parseJsonText, saveJsonFile } from './json-file.js';

const DESCRIBE = 'see the README for every setting';

/** Loads settings.json; a missing file gives the defaults. */
export function loadSettings(file: string): Promise<Settings> {
  return loadJsonFile(file, SettingsSchema, SettingsSchema.parse({}), DESCRIBE);
}

/** Sets top-level keys of settings.json (never the sandbox) and saves atomically, keeping settings.json.bak. */
export async function updateSettings(file: string, changes: SettingsChange): Promise<Settings> {
  let raw: Record<string, unknown> = {};
  try {
    const text = await readFile(file, 'utf8');
    parseJsonText(text, file, SettingsSchema, DESCRIBE); // refuse to rewrite a file that does not load
    raw = JSON.parse(text.replace(/^\uFEFF/, '')) as Record<string, unknown>;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  // `api` and `defaults` are merged one level deep, so a change of one of their keys keeps the others
  const next: Record<string, unknown> = { ...raw, ...changes };
  for (const key of ['api', 'defaults'] as const) {
    const change = changes[key];
    const current = raw[key];
    if (change && current && typeof current === 'object') next[key] = { ...(current as object), ...change };
  }
  await saveJsonFile(file, SettingsSchema, next as never, `${file}.bak`, true);
  return SettingsSchema.parse(next);
}
