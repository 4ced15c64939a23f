// Folders of the data directory that hold a person's configuration, API keys and output: readable
// by their owner only (0700) on POSIX. Windows keeps the ACL the user's profile gives (AppData is
// private to its user already).
import { chmod, mkdir, stat } from 'node:fs/promises';
import { fileError } from './io-errors.js';

export const PRIVATE_DIR_MODE = 0o700;

export interface PrivateDirResult {
  created: boolean;
  /** The mode of an existing folder that others may read or enter and that was left as it was; null otherwise. */
  looseMode: number | null;
}

/**
 * Creates `dir` (and missing parents) 0700. An existing folder that group or others may use is
 * changed to 0700 when `tighten` (a folder of Agent Tray's own), else left; `looseMode` reports
 * one that stays open to others.
 */
export async function ensurePrivateDir(dir: string, opts: { tighten: boolean }, platform: NodeJS.Platform = process.platform): Promise<PrivateDirResult> {
  let mode: number;
  try {
    mode = (await stat(dir)).mode;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw fileError(err, dir, 'open the folder');
    try {
      await mkdir(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
    } catch (e) {
      throw fileError(e, dir, 'create the folder');
    }
    return { created: true, looseMode: null };
  }
  if (platform === 'win32' || (mode & 0o077) === 0) return { created: false, looseMode: null };
  if (!opts.tighten) return { created: false, looseMode: mode & 0o777 };
  try {
    await chmod(dir, PRIVATE_DIR_MODE);
  } catch {
    return { created: false, looseMode: mode & 0o777 }; // not ours to change (another owner, a read-only disk): reported
  }
  return { created: false, looseMode: null };
}
