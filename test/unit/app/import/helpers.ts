// Shared by the import unit tests: the fixture folder and a parse context over it.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ParseContext } from '../../../../electron/app/import/types.js';

/** test/fixtures/import, where the realistic files of each tool are. */
export const FIXTURES = path.resolve(new URL('../../../fixtures/import', import.meta.url).pathname);

/** The text of a fixture. */
export function fixtureText(name: string): string {
  return readFileSync(path.join(FIXTURES, name), 'utf8');
}

/** A context for `fileName`: its folder known (the fixtures folder) unless `dir` is null. */
export function context(fileName: string, patch: Partial<ParseContext> = {}): ParseContext {
  return { fileName, dir: FIXTURES, platform: 'linux', files: {}, fileExists: existsSync, ...patch };
}
