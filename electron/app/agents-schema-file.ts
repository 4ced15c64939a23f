// agents.schema.json beside agents.json: the JSON Schema an editor follows from the file's
// `"$schema": "./agents.schema.json"` line (completion, descriptions, errors as you type). Written
// when a host opens the data directory, from the zod schema the host itself validates with, so it
// always describes the version that runs; rewritten only when its text changed.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { agentsJsonSchemaText } from '../../shared/agents-json-schema.js';
import { fileError } from '../core/io-errors.js';
import { PRIVATE_FILE_MODE } from './json-file.js';

export const AGENTS_SCHEMA_FILE_NAME = 'agents.schema.json';

/** The `$schema` value of an agents.json Agent Tray creates: the schema file beside it. */
export const AGENTS_SCHEMA_LINK = `./${AGENTS_SCHEMA_FILE_NAME}`;

/** The schema file's path for an agents file: in the same folder. */
export function agentsSchemaFile(agentsFile: string): string {
  return join(dirname(agentsFile), AGENTS_SCHEMA_FILE_NAME);
}

/** The file's text, or null when it cannot be read (missing, or unreadable: a write will say why). */
async function currentText(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch {
    return null;
  }
}

/**
 * Writes the schema beside `agentsFile` atomically (0600) unless the file there already has this
 * text; returns its path and whether it was written. A full disk, a read-only folder or a refused
 * permission is the AgentTrayError of `fileError` (disk-full, not-writable, permission-denied).
 */
export async function writeAgentsSchema(agentsFile: string, text: string = agentsJsonSchemaText()): Promise<{ file: string; written: boolean }> {
  const file = agentsSchemaFile(agentsFile);
  if ((await currentText(file)) === text) return { file, written: false };
  try {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    await writeFileAtomic(file, text, { mode: PRIVATE_FILE_MODE });
  } catch (err) {
    throw fileError(err, file, 'write');
  }
  return { file, written: true };
}
