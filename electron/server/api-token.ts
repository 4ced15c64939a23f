// The API token: random per data directory, stored in `<data dir>/api-token` readable by its owner
// only (0600), and reused across restarts so that scripts and open pages keep working.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const TOKEN_FILE = 'api-token';

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
    throw err;
  }
}

/** Returns the data directory's token, creating it (mode 0600) the first time. */
export async function ensureToken(dataDir: string): Promise<string> {
  const existing = await readToken(dataDir);
  const file = tokenFile(dataDir);
  if (existing) {
    if (process.platform !== 'win32') await chmod(file, 0o600);
    return existing;
  }
  await mkdir(dataDir, { recursive: true });
  const token = randomBytes(32).toString('base64url');
  await writeFile(file, `${token}\n`, { mode: 0o600 });
  if (process.platform !== 'win32') await chmod(file, 0o600); // the umask may have removed bits, never added: make it exact
  return token;
}
