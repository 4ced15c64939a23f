// Env files a source refers to (the .env beside a Procfile, process-compose `env_file`s). Where the
// file is on this computer (its folder is known and it exists), the agent refers to it with
// `envFile` and reads it at each start, as the tool would: its values stay out of agents.json.
// Otherwise, when the client sent its text, the values are copied into `env` (parsed with dotenv,
// the parser foreman-style tools share: quotes, `export`, comments, multi-line values).
import path from 'node:path';
import { parseEnvText, resolveEnvFile } from '../../core/env-files.js';
import type { ParseContext } from './types.js';

/** The text of the file `name` among `files`: by the name as written, without a leading "./", or by its last part when only one file has it. */
export function findFile(files: Readonly<Record<string, string>>, name: string): string | null {
  if (Object.hasOwn(files, name)) return files[name] as string;
  const clean = (n: string) => n.replace(/\\/g, '/').replace(/^(\.\/)+/, '');
  const byClean = Object.keys(files).find((k) => clean(k) === clean(name));
  if (byClean !== undefined) return files[byClean] as string;
  const base = path.posix.basename(clean(name));
  const byBase = Object.keys(files).filter((k) => path.posix.basename(clean(k)) === base);
  return byBase.length === 1 ? (files[byBase[0] as string] as string) : null;
}

export interface EnvFilesResult {
  /** Absolute paths of the files found on this computer, for the agent's envFile. */
  envFile: string[];
  /** The variables of the files that were sent but are not on this computer (later files win). */
  env: Record<string, string>;
  /** Names found nowhere. */
  missing: string[];
  /** Names whose values were copied into env. */
  copied: string[];
}

/** Where the env files `names` are: on disk beside the source (envFile), sent by the client (copied into env), or missing. */
export function locateEnvFiles(names: readonly string[], ctx: ParseContext): EnvFilesResult {
  const result: EnvFilesResult = { envFile: [], env: {}, missing: [], copied: [] };
  for (const name of names) {
    const onDisk = ctx.dir ? resolveEnvFile(name, ctx.dir, ctx.platform) : null;
    if (onDisk && ctx.fileExists(onDisk)) {
      result.envFile.push(onDisk);
      continue;
    }
    const text = findFile(ctx.files, name);
    if (text === null) result.missing.push(name);
    else {
      Object.assign(result.env, parseEnvText(text));
      result.copied.push(name);
    }
  }
  return result;
}

/** envFile as the definition holds it: one path, a list, or nothing. */
export function envFileField(paths: readonly string[]): string | string[] | undefined {
  if (paths.length === 0) return undefined;
  return paths.length === 1 ? paths[0] : [...paths];
}
