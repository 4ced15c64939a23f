// Reads one variable of another process's environment (the AGENT_TRAY_AGENT marker), where the platform lets us.
import { readFileSync } from 'node:fs';

/** The value of `key` in the NUL-separated `K=V` entries of a /proc/<pid>/environ buffer, or null when absent. */
function envVarFromEnviron(buf: Buffer, key: string): string | null {
  const prefix = `${key}=`;
  for (const entry of buf.toString('utf8').split('\0')) {
    if (entry.startsWith(prefix)) return entry.slice(prefix.length);
  }
  return null;
}

/**
 * The value of environment variable `key` of process `pid` as it was when the process started (later changes a
 * process makes to its own environment are not seen), or null: the variable is unset, the process does not exist,
 * or we may not read it (another user's process). Linux reads /proc/<pid>/environ. macOS and Windows do not let us
 * read another process's environment without privileges, so there this is always null and the PID file is the marker.
 */
export function readEnvVar(pid: number, key: string, platform: NodeJS.Platform = process.platform): string | null {
  if (platform !== 'linux' || !Number.isInteger(pid) || pid <= 0 || key === '' || key.includes('=')) return null;
  let environ: Buffer;
  try {
    environ = readFileSync(`/proc/${pid}/environ`);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM' || code === 'ENOENT' || code === 'ESRCH') return null;
    throw error;
  }
  return envVarFromEnviron(environ, key);
}
