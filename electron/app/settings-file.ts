// settings.json: read with the shared JSON file rules; missing means every default.
import { SettingsSchema, type Settings } from '../../shared/settings.js';
import { loadJsonFile } from './json-file.js';

/** Loads settings.json; a missing file gives the defaults. */
export function loadSettings(file: string): Promise<Settings> {
  return loadJsonFile(file, SettingsSchema, SettingsSchema.parse({}), 'see the README for every setting');
}
