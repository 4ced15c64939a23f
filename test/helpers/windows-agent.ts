// The Windows test programs (test/fixtures/windows/*.c: the test agent, a parent in a job),
// cross-compiled for tests that run them under Wine, and the shapes of the helper's replies.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The mingw-w64 cross compiler (Debian package gcc-mingw-w64-x86-64). */
export const COMPILER = 'x86_64-w64-mingw32-gcc';

/** `spawn`'s success line (native/win-helper/README.md). */
export interface SpawnReply {
  ok: true;
  pid: number;
  createdMs: number;
  creationTime: string;
  flags: string[];
  inJob: boolean;
  breakaway: boolean;
  note: string | null;
}

/** An agent a test started through the helper. */
export interface Spawned {
  reply: SpawnReply;
  request: { application: string; commandLine: string; cwd: string; env: Record<string, string>; stdout: string; stderr: string };
  /** Its stdout log (a Linux path). */
  out: string;
  /** Its working directory (a Linux path). */
  cwd: string;
  /** The log's text so far. */
  log: () => string;
}

/** Compiles test/fixtures/windows/<name>.c into `dir`; returns the .exe's Linux path. Throws with the compiler's output when it fails. */
export function buildFixture(dir: string, name: 'agent-fixture' | 'job-parent'): string {
  const source = fileURLToPath(new URL(`../fixtures/windows/${name}.c`, import.meta.url));
  const exe = path.join(dir, `${name}.exe`);
  const result = spawnSync(COMPILER, ['-O2', '-s', '-municode', '-static', '-o', exe, source], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${COMPILER} could not build ${source}: ${result.error?.message ?? result.stderr}`);
  return exe;
}

/** Parses stdout that must be JSON, one object per line; throws naming the first line that is not. */
export function parseLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        throw new Error(`the helper printed a line that is not JSON: ${JSON.stringify(line)}`);
      }
    });
}
