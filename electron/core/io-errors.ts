// File system errors a person can act on: a full disk, a read-only file system or a refused
// permission becomes an AgentTrayError with its own code (disk-full 507, not-writable 409,
// permission-denied 403) and a message naming the file and the cause, never an "internal" 500.
import { AgentTrayError } from './errors.js';

/** The errno codes that are the machine's state, not a bug: each with its error code and advice. */
const KNOWN: Record<string, { code: 'disk-full' | 'not-writable' | 'permission-denied'; cause: string; hint: string }> = {
  ENOSPC: { code: 'disk-full', cause: 'the disk is full', hint: 'Free some space on that disk (old logs in the logs folder are safe to delete), then try again' },
  EDQUOT: { code: 'disk-full', cause: 'the disk quota is used up', hint: 'Free some space within your quota, then try again' },
  EROFS: { code: 'not-writable', cause: 'the file system is read-only', hint: 'Remount it read-write, or point Agent Tray at another data directory (--data-dir)' },
  EBUSY: { code: 'not-writable', cause: 'the file is locked by another program', hint: 'Close the program that holds it (an editor, a virus scanner), then try again' },
  EACCES: { code: 'permission-denied', cause: 'permission denied', hint: 'Check the owner and mode of the file and its folder (ls -l), or run Agent Tray as the user who owns the data directory' },
  EPERM: { code: 'permission-denied', cause: 'the operation is not permitted', hint: 'Check the file is not immutable (lsattr) or locked, and that you own it' },
};

/** True when `err` is one of the file system errors of the machine's state (full, read-only, refused). */
export function isEnvironmentIoError(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' && code in KNOWN;
}

/**
 * Turns an error of `action` on `file` ("save", "write", "create") into an AgentTrayError: the
 * known errno codes get their own code and advice, anything else `io-failed`. An AgentTrayError
 * passes through unchanged.
 */
export function fileError(err: unknown, file: string, action: string): AgentTrayError {
  if (err instanceof AgentTrayError) return err;
  const errno = (err as NodeJS.ErrnoException | null)?.code ?? '';
  const known = KNOWN[errno];
  const message = (err as Error | null)?.message ?? String(err);
  if (known) {
    return new AgentTrayError(known.code, `Could not ${action} ${file}: ${known.cause} (${errno})`, { hint: known.hint, details: { file, errno }, cause: err });
  }
  return new AgentTrayError('io-failed', `Could not ${action} ${file}: ${message}`, { hint: 'Check the file, its folder and the disk', details: { file, ...(errno ? { errno } : {}) }, cause: err });
}
