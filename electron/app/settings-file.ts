// settings.json: read with the shared JSON file rules (missing means every default); a change made
// at run time rewrites only the keys it changes, on top of the file as it is on disk then, so the
// person's own layout, other keys and hand edits stay. A file that does not load is never written.
import { SettingsSchema, type Settings, type SettingsChange } from '../../shared/settings.js';
import { ConfigFile } from './config-file.js';
import { jsonText, loadJsonFile, parseJsonText, validateForSave, withoutBom } from './json-file.js';

const DESCRIBE = 'see the README for every setting';

/** Loads settings.json; a missing file gives the defaults. */
export function loadSettings(file: string): Promise<Settings> {
  return loadJsonFile(file, SettingsSchema, SettingsSchema.parse({}), DESCRIBE);
}

/** The raw keys of `text` with `changes` set; `api`, `metrics` and `defaults` are merged one level deep, so a change of one of their keys keeps the others. */
function withChanges(text: string | null, changes: SettingsChange): Record<string, unknown> {
  const raw = text === null ? {} : (JSON.parse(withoutBom(text)) as Record<string, unknown>);
  const next: Record<string, unknown> = { ...raw, ...changes };
  for (const key of ['api', 'metrics', 'defaults'] as const) {
    const change = changes[key];
    const current = raw[key];
    if (change && current && typeof current === 'object') next[key] = { ...(current as object), ...change };
  }
  return next;
}

export class SettingsStore {
  private constructor(readonly config: ConfigFile<Settings>) {}

  /** Loads settings.json (missing: the defaults). */
  static async load(file: string): Promise<SettingsStore> {
    return new SettingsStore(await ConfigFile.load({ file, parse: (text) => parseJsonText(text, file, SettingsSchema, DESCRIBE), missing: SettingsSchema.parse({}) }));
  }

  get file(): string {
    return this.config.file;
  }

  /** The settings in force. */
  get value(): Settings {
    return this.config.value;
  }

  /** Looks at settings.json again (a hand edit); see ConfigFile.refresh. */
  refresh(): Promise<void> {
    return this.config.refresh();
  }

  /** Sets top-level keys of settings.json (never the sandbox) and saves atomically, keeping settings.json.bak. */
  update(changes: SettingsChange): Promise<Settings> {
    return this.config.write((_current, text) => {
      const next = withChanges(text, changes);
      const value = validateForSave(this.file, SettingsSchema, next);
      return { text: jsonText(next), value };
    });
  }
}
