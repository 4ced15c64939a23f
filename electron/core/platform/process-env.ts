// Reads another process's environment (the AGENT_TRAY_* marker variables), where the platform lets us.
import { readFileSync } from 'node:fs';

/** The byte 0 that separates the `K=V` entries of /proc/<pid>/environ. */
const NUL = 0;

/**
 * The value of `key` in the NUL-separated `K=V` entries of a /proc/<pid>/environ buffer, or null when absent.
 * Searches the bytes (most processes do not carry our variables, and decoding their whole environment would
 * cost more than the search); the first entry wins, as for getenv(3).
 */
export function envVarFromEnviron(buf: Buffer, key: string): string | null {
  const needle = Buffer.from(`${key}=`, 'utf8');
  for (let at = buf.indexOf(needle); at >= 0; at = buf.indexOf(needle, at + 1)) {
    if (at > 0 && buf[at - 1] !== NUL) continue; // inside another entry's value
    const start = at + needle.length;
    const end = buf.indexOf(NUL, start);
    return buf.toString('utf8', start, end < 0 ? buf.length : end);
  }
  return null;
}

/**
 * The raw /proc/<pid>/environ of a process as it was when the process started (later changes a process makes to
 * its own environment are not seen), or null: the process does not exist (or exited while we read), or we may
 * not read it (another user's process). A zombie's is empty.
 */
export function readEnviron(pid: number): Buffer | null {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    return readFileSync(`/proc/${pid}/environ`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'ENOENT' || code === 'ESRCH') return null;
    throw error;
  }
}

/**
 * The value of environment variable `key` of process `pid`, or null: the variable is unset, the process does not
 * exist, or we may not read it. Linux reads /proc/<pid>/environ. Elsewhere this is always null (macOS shows the
 * environment only through `ps -E`, which marker-processes.ts reads for all processes at once; Windows needs the
 * native helper), and the PID file is the marker.
 */
export function readEnvVar(pid: number, key: string, platform: NodeJS.Platform = process.platform): string | null {
  if (platform !== 'linux' || key === '' || key.includes('=')) return null;
  const environ = readEnviron(pid);
  return environ === null ? null : envVarFromEnviron(environ, key);
}
