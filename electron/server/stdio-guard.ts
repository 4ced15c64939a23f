// The host's own stdout and stderr can fail under it: a file on a full disk (ENOSPC), a pipe whose
// reader has exited (EPIPE), a descriptor that was closed (EBADF). Node ends the process on such a
// stream's 'error' event unless someone listens; here each failed write is counted and its line
// dropped, and the host goes on. Node's stdio streams stay usable after an error, so the lines
// written once the disk has room again arrive.
import { writeSync } from 'node:fs';

type StdioName = 'stdout' | 'stderr';

/** What went wrong with one of the host's streams. */
export interface StdioFailure {
  /** The errno code of the latest failure (ENOSPC, EPIPE, EBADF, …). */
  code: string;
  /** Writes that failed, their lines dropped. */
  dropped: number;
}

const failures: Record<StdioName, StdioFailure | null> = { stdout: null, stderr: null };
const guarded = new WeakSet<NodeJS.WritableStream>();

/** The failures of stdout and stderr since the host started (null: none). */
export function stdioFailures(): Readonly<Record<StdioName, StdioFailure | null>> {
  return { stdout: failures.stdout && { ...failures.stdout }, stderr: failures.stderr && { ...failures.stderr } };
}

/** Keeps a failing stdout or stderr from ending the process (idempotent; call it before the host writes its first line). */
export function guardStdio(): void {
  guard(process.stdout, 'stdout');
  guard(process.stderr, 'stderr');
}

/** Counts the stream's errors instead of letting them end the process; the first one is said once on the other stream. */
function guard(stream: NodeJS.WriteStream, name: StdioName): void {
  if (guarded.has(stream)) return;
  guarded.add(stream);
  stream.on('error', (err: NodeJS.ErrnoException) => {
    const code = err.code ?? 'EIO';
    const seen = failures[name];
    failures[name] = { code, dropped: (seen?.dropped ?? 0) + 1 };
    if (seen) return;
    const note = `agent-tray: the host's ${name} cannot be written (${code}): its lines are dropped while that lasts; the host goes on\n`;
    try {
      writeSync(name === 'stdout' ? 2 : 1, note); // straight to the descriptor: a failure here must not come back as another 'error'
    } catch {
      // both streams fail: nobody to tell
    }
  });
}
