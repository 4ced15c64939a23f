// Reading and writing the app's JSON files (agents.json, settings.json): errors that name the
// file, the line, the column and the problem; a file that fails to load is never touched; writes
// are atomic, private (0600), and keep the previous version as `<file>.bak`, written atomically too.
import { mkdir, readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { z } from 'zod';
import { formatIssues, issuePath } from '../../shared/issues.js';
import { AgentTrayError } from '../core/errors.js';
import { fileError } from '../core/io-errors.js';
import { findJsonSyntaxError, JsonLocator, lineColumn } from './json-locate.js';

export { lineColumn } from './json-locate.js';

/** Names the place of a schema issue for people: `agents[2].port`, or `agent "web" (agents[2]).port`. */
export type IssueLabel = (path: readonly PropertyKey[], json: unknown) => string;

/** Files Agent Tray writes are readable by their owner only (agents.json holds API keys). */
export const PRIVATE_FILE_MODE = 0o600;

/** The text without the byte order mark editors on Windows like to put first. */
export function withoutBom(text: string): string {
  return text.replace(/^\uFEFF/, '');
}

/** Where JSON.parse failed, from its message, when the scanner found nothing (it should not happen). */
function positionFromMessage(text: string, message: string): number {
  const pos = /position (\d+)/.exec(message);
  return pos ? Number(pos[1]) : text.length;
}

/** The invalid-config error for text that is not JSON: file, line, column and cause. */
function syntaxError(body: string, file: string, cause: Error): AgentTrayError {
  const found = findJsonSyntaxError(body) ?? { offset: positionFromMessage(body, cause.message), problem: cause.message };
  const { line, column } = lineColumn(body, found.offset);
  return new AgentTrayError('invalid-config', `${file} is not valid JSON at line ${line}, column ${column}: ${found.problem}`, {
    hint: `Fix it in an editor; Agent Tray left the file as it is (${basename(file)}.bak, if present, is the version saved before it)`,
    details: { file, line, column },
    cause,
  });
}

/** Parses and validates a JSON file's text; throws an AgentTrayError naming `file`, the line, the column and the problem. */
export function parseJsonText<S extends z.ZodType>(text: string, file: string, schema: S, describe: string, label: IssueLabel = (p) => issuePath(p)): z.output<S> {
  let json: unknown;
  const body = withoutBom(text);
  try {
    json = JSON.parse(body);
  } catch (err) {
    throw syntaxError(body, file, err as Error);
  }
  const result = schema.safeParse(json);
  if (result.success) return result.data;
  const locator = new JsonLocator(body);
  const places = result.error.issues.map((issue) => {
    const key = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
    return lineColumn(body, locator.offsetOf(issue.path, key) ?? 0);
  });
  const problems = result.error.issues.map((issue, i) => `${label(issue.path, json)}: ${issue.message} (line ${places[i]?.line}, column ${places[i]?.column})`);
  throw new AgentTrayError('invalid-config', `${file} has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}: ${problems.join('; ')}`, {
    hint: `Fix it in an editor; Agent Tray left the file as it is (${describe})`,
    details: { file, issues: problems, line: places[0]?.line ?? null, column: places[0]?.column ?? null },
  });
}

/** The text of a file, or null when there is none; read errors name the file and the cause. */
export async function readTextFile(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw fileError(err, file, 'read');
  }
}

/** Loads and validates a JSON file; a missing file gives `whenMissing`. */
export async function loadJsonFile<S extends z.ZodType>(file: string, schema: S, whenMissing: z.output<S>, describe: string, label?: IssueLabel): Promise<z.output<S>> {
  const text = await readTextFile(file);
  return text === null ? whenMissing : parseJsonText(text, file, schema, describe, label);
}

/** Validates content before it is written; throws invalid-config naming the file that was left alone. */
export function validateForSave<S extends z.ZodType>(file: string, schema: S, content: unknown): z.output<S> {
  const result = schema.safeParse(content);
  if (result.success) return result.data;
  throw new AgentTrayError('invalid-config', `Not saved: the content would be invalid: ${formatIssues(result.error).join('; ')}`, {
    hint: `${file} was left as it was`,
    details: { file },
  });
}

/** The text Agent Tray writes for a JSON value. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/**
 * Writes `text` to `file` atomically (0600); `previous`, the file's content before, first becomes
 * `<file>.bak`, atomically as well, so neither is ever empty or half-written. A full disk, a
 * read-only file system or a refused permission is an error of its own (disk-full, …).
 */
export async function writeWithBackup(file: string, text: string, previous: string | null, backup = `${file}.bak`): Promise<void> {
  try {
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    if (previous !== null) await writeFileAtomic(backup, previous, { mode: PRIVATE_FILE_MODE });
    await writeFileAtomic(file, text, { mode: PRIVATE_FILE_MODE });
  } catch (err) {
    throw fileError(err, file, 'save');
  }
}
