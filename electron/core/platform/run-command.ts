// Running a platform command (ps, lsof, netstat, PowerShell): no window, bounded output and time,
// stdout on success or on an exit code the caller expects.
import { execFile } from 'node:child_process';

export interface RunOptions {
  /** Exit codes that still mean success (lsof exits 1 when nothing matches). */
  allowedExitCodes?: number[];
  timeoutMs?: number;
  /** Run in the C locale for parseable output (default true; macOS ps escapes non-ASCII there). */
  cLocale?: boolean;
}

/** Runs a command without a window; resolves with its stdout, rejects with the error carrying stdout and stderr. */
export function runCommand(command: string, args: string[], opts: RunOptions = {}): Promise<string> {
  const { allowedExitCodes = [], timeoutMs = 15_000, cLocale = true } = opts;
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { windowsHide: true, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, ...(cLocale ? { env: { ...process.env, LC_ALL: 'C' } } : {}) },
      (error, stdout, stderr) => {
        if (!error) resolve(stdout);
        else if (typeof error.code === 'number' && allowedExitCodes.includes(error.code)) resolve(stdout);
        else reject(Object.assign(error, { stdout, stderr }));
      },
    );
  });
}
