// Words for how a process ended, for people.

/** "exited with code 1", "was killed by SIGKILL", "exited normally". */
export function describeExit(exitCode: number | null, signal: string | null): string {
  if (signal) return `was ended by ${signal}`;
  if (exitCode === 0) return 'exited normally (code 0)';
  if (exitCode === null) return 'exited (code unknown)';
  return `exited with code ${exitCode}`;
}
