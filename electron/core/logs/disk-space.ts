// Whether an agent's log files can still be written: the agent writes them itself, so a full disk
// shows up nowhere in the host but in the file system's free space. One look at it (statfs, a
// single system call) per check; the follower's own reads never notice.
import { statfsSync } from 'node:fs';

/** Below this many free bytes an agent's next lines are lost (a page or two is all a write needs). */
export const LOW_SPACE_BYTES = 64 * 1024;

/** The bytes an unprivileged writer may still use on the file system of `dir`, or null when it cannot be told (no statfs, a folder that is gone). */
export function freeBytes(dir: string): number | null {
  try {
    const s = statfsSync(dir);
    return Number(s.bavail) * Number(s.bsize);
  } catch {
    return null;
  }
}

/** An ENOSPC error like the one the agent's own writes now get, for the host to report. */
export function diskFullError(file: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`ENOSPC: no space left on device, write '${file}'`), { code: 'ENOSPC', errno: -28, syscall: 'write', path: file });
}
