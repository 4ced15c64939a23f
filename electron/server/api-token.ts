// The API token: random per data directory, stored in `<data dir>/api-token` readable by its owner
// only (0600), and reused across restarts so that scripts and open pages keep working.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileError } from '../core/io-errors.js';

export const TOKEN_FILE = 'api-token';
const TOKEN_MODE = 0o600;

/** The token file of a data directory. */
export function tokenFile(dataDir: string): string {
  return path.join(dataDir, TOKEN_FILE);
}

/** Reads the token of a data directory; null when there is none (or it is unusable). */
export async function readToken(dataDir: string): Promise<string | null> {
  try {
    const token = (await readFile(tokenFile(dataDir), 'utf8')).trim();
    return /^[A-Za-z0-9_-]{32,}$/.test(token) ? token : null;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw fileError(err, tokenFile(dataDir), 'read');
  }
}

/** Makes the token file exactly 0600 on POSIX when it is not (an older version, a copy, the umask). */
async function makePrivate(file: string): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    if (((await stat(file)).mode & 0o777) !== TOKEN_MODE) await chmod(file, TOKEN_MODE);
  } catch (err) {
    throw fileError(err, file, 'make private (chmod 600)');
  }
}

/** Returns the data directory's token, creating it (mode 0600) the first time. */
export async function ensureToken(dataDir: string): Promise<string> {
  const existing = await readToken(dataDir);
  const file = tokenFile(dataDir);
  if (existing) {
    await makePrivate(file);
    return existing;
  }
  const token = randomBytes(32).toString('base64url');
  try {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    await writeFile(file, `${token}\n`, { mode: TOKEN_MODE });
  } catch (err) {
    throw fileError(err, file, 'write');
  }
  await makePrivate(file); // an existing unusable file keeps its mode through writeFile
  return token;
}
