// Reading and writing the app's JSON files (agents.json, settings.json): errors that name the
// file, the place and the problem; a file that fails to load is never touched; writes are atomic
// and keep the previous version as `<file>.bak`.
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { z } from 'zod';
import { formatIssues } from '../../shared/issues.js';
import { AgentTrayError } from '../core/errors.js';

/** Line and column (1-based) of a character offset in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, Math.max(0, offset));
  const line = before.split('\n').length;
  return { line, column: offset - before.lastIndexOf('\n') };
}

/** Where JSON.parse failed, from its message (Node: "... in JSON at position 42 (line 3 column 5)"). */
function jsonErrorPosition(text: string, message: string): string {
  const lc = /line (\d+) column (\d+)/.exec(message);
  if (lc) return `line ${lc[1]}, column ${lc[2]}`;
  const pos = /position (\d+)/.exec(message);
  if (pos) {
    const { line, column } = lineColumn(text, Number(pos[1]));
    return `line ${line}, column ${column}`;
  }
  return 'end of file';
}

/** Parses and validates a JSON file's text; throws an AgentTrayError naming `file`, the place and the problem. */
export function parseJsonText<S extends z.ZodType>(text: string, file: string, schema: S, describe: string): z.output<S> {
  let json: unknown;
  const body = text.replace(/^\uFEFF/, ''); // editors on Windows like to start files with a BOM
  try {
    json = JSON.parse(body);
  } catch (err) {
    const message = (err as Error).message;
    throw new AgentTrayError('invalid-config', `${file} is not valid JSON at ${jsonErrorPosition(body, message)}: ${message}`, {
      hint: `Fix it in an editor; Agent Tray left the file as it is (${file.split(/[\\/]/).pop()}.bak, if present, is the version saved before it)`,
      details: { file },
      cause: err,
    });
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    const problems = formatIssues(result.error);
    throw new AgentTrayError('invalid-config', `${file} has ${problems.length === 1 ? 'a problem' : `${problems.length} problems`}: ${problems.join('; ')}`, {
      hint: `Fix it in an editor; Agent Tray left the file as it is (${describe})`,
      details: { file, issues: problems },
    });
  }
  return result.data;
}

/** Loads and validates a JSON file; a missing file gives `whenMissing`. */
export async function loadJsonFile<S extends z.ZodType>(file: string, schema: S, whenMissing: z.output<S>, describe: string): Promise<z.output<S>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return whenMissing;
    throw new AgentTrayError('io-failed', `${file} could not be read: ${(err as Error).message}`, {
      hint: "Check the file's permissions",
      details: { file },
      cause: err,
    });
  }
  return parseJsonText(text, file, schema, describe);
}

/** Validates and writes a JSON file atomically (as parsed, or `asGiven` without filling defaults); the previous file becomes `backup`. */
export async function saveJsonFile<S extends z.ZodType>(file: string, schema: S, content: z.input<S>, backup = `${file}.bak`, asGiven = false): Promise<void> {
  const result = schema.safeParse(content);
  if (!result.success) {
    throw new AgentTrayError('invalid-config', `Not saved: the content would be invalid: ${formatIssues(result.error).join('; ')}`, {
      hint: `${file} was left as it was`,
      details: { file },
    });
  }
  await mkdir(dirname(file), { recursive: true });
  await copyFile(file, backup).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'ENOENT') throw err;
  });
  await writeFileAtomic(file, `${JSON.stringify(asGiven ? content : result.data, null, 2)}\n`);
}
