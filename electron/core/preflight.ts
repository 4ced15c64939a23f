// Checks before a spawn, so that a missing directory or program gets a message a person can act on
// instead of the operating system's bare ENOENT.
import { stat, access, constants } from 'node:fs/promises';
import path from 'node:path';
import which from 'which';
import { AgentTrayError } from './errors.js';

export interface PreflightInput {
  name: string;
  command: string;
  cwd: string;
  env: Record<string, string>;
  platform: NodeJS.Platform;
}

/** Finds a variable case-insensitively on Windows, exactly elsewhere. */
function envValue(env: Record<string, string>, key: string, platform: NodeJS.Platform): string | undefined {
  if (platform !== 'win32') return env[key];
  const found = Object.keys(env).find((k) => k.toUpperCase() === key);
  return found === undefined ? undefined : env[found];
}

/** Verifies the working directory and resolves the executable; returns its absolute path. */
export async function preflight(input: PreflightInput): Promise<string> {
  const { name, command, cwd, env, platform } = input;
  const p = platform === 'win32' ? path.win32 : path.posix;
  const info = await stat(cwd).catch(() => null);
  if (!info) {
    throw new AgentTrayError('cwd-missing', `Agent "${name}": the working directory ${cwd} does not exist`, {
      hint: 'Create the directory, or change "cwd" in the agent\'s definition',
      details: { name, cwd },
    });
  }
  if (!info.isDirectory()) {
    throw new AgentTrayError('cwd-missing', `Agent "${name}": the working directory ${cwd} is a file, not a directory`, {
      hint: 'Point "cwd" at a directory',
      details: { name, cwd },
    });
  }
  const hasSeparator = command.includes('/') || (platform === 'win32' && command.includes('\\'));
  if (hasSeparator) {
    const full = p.resolve(cwd, command);
    const fileInfo = await stat(full).catch(() => null);
    if (!fileInfo || !fileInfo.isFile()) {
      throw new AgentTrayError('command-not-found', `Agent "${name}": the program ${full} does not exist`, {
        hint: 'Check the path in "command" (a relative path is taken from the agent\'s cwd)',
        details: { name, command, resolved: full },
      });
    }
    if (platform !== 'win32') {
      const executable = await access(full, constants.X_OK).then(() => true, () => false);
      if (!executable) {
        throw new AgentTrayError('command-not-found', `Agent "${name}": the program ${full} is not executable`, {
          hint: `Make it executable (chmod +x ${full}), or run it through its interpreter`,
          details: { name, command, resolved: full },
        });
      }
    }
    return full;
  }
  // empty or relative PATH entries would make `which` look in the manager's own working
  // directory; the spawned program resolves them from the agent's cwd, so do the same here
  const searchPath = (envValue(env, 'PATH', platform) ?? '')
    .split(p.delimiter)
    .filter((entry) => entry.length > 0)
    .map((entry) => p.resolve(cwd, entry))
    .join(p.delimiter);
  const pathExt = platform === 'win32' ? envValue(env, 'PATHEXT', platform) : undefined;
  const found = searchPath ? await which(command, { path: searchPath, ...(pathExt ? { pathExt } : {}), nothrow: true }) : null;
  if (!found) {
    throw new AgentTrayError('command-not-found', `Agent "${name}": the program "${command}" was not found on PATH`, {
      hint: `Install it, or set "command" to its full path (PATH searched: ${searchPath || '(empty)'})`,
      details: { name, command, path: searchPath },
    });
  }
  return found;
}
