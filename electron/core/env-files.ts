// An agent's env files (`envFile`): read at each start with dotenv's parser (quoting, `export`,
// comments, multi-line values), each file's variables with the file they came from. A file that
// is missing or unreadable is an error naming it and the way out.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse } from 'dotenv';
import type { AgentDefinition } from '../../shared/agent.js';
import { AgentTrayError } from './errors.js';

/** The variables of one env file. */
export interface EnvFileVariables {
  /** The file, absolute. */
  file: string;
  vars: Record<string, string>;
}

/** The env files of a definition as written, in order (later ones win). */
export function envFilesOf(def: Pick<AgentDefinition, 'envFile'>): string[] {
  const files = def.envFile;
  if (files === undefined) return [];
  return typeof files === 'string' ? [files] : [...files];
}

/** Where an env file is: a relative path is taken from the agent's (resolved) cwd. */
export function resolveEnvFile(file: string, cwd: string, platform: NodeJS.Platform = process.platform): string {
  return (platform === 'win32' ? path.win32 : path.posix).resolve(cwd, file);
}

/** The variables of a dotenv text (dotenv's own parser; a byte order mark is dropped). */
export function parseEnvText(text: string): Record<string, string> {
  return parse(text.replace(/^\uFEFF/, ''));
}

/** Reads one env file; throws `env-file-missing` naming the agent, the file, the cause and the fix. */
export async function readEnvFile(agent: string, file: string): Promise<EnvFileVariables> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const cause = code === 'ENOENT' ? 'does not exist' : code === 'EACCES' || code === 'EPERM' ? 'cannot be read (permission denied)' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${code ?? (err as Error).message})`;
    throw new AgentTrayError('env-file-missing', `Agent "${agent}": the env file ${file} ${cause}`, {
      hint: code === 'ENOENT' ? `Create it, or change "envFile" in the agent's definition (a relative path is taken from its cwd)` : `Make it readable by the user Agent Tray runs as, or change "envFile" in the agent's definition`,
      details: { name: agent, file, ...(code ? { errno: code } : {}) },
      cause: err,
    });
  }
  return { file, vars: parseEnvText(text) };
}

/** Reads every env file of a definition in order; the first that cannot be read throws. */
export async function readEnvFiles(def: Pick<AgentDefinition, 'name' | 'envFile'>, cwd: string, platform: NodeJS.Platform = process.platform): Promise<EnvFileVariables[]> {
  const out: EnvFileVariables[] = [];
  for (const file of envFilesOf(def)) out.push(await readEnvFile(def.name, resolveEnvFile(file, cwd, platform)));
  return out;
}
