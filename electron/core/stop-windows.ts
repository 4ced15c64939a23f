// Stop on Windows, which has no graceful signal: the agent's own request (stop.stdin or
// stop.command) if it has one, then `taskkill /PID n /T /F` for the whole tree after the timeout.
import { execFile } from 'node:child_process';
import { isProcessAlive } from './platform/process-table.js';
import { taskkillCommand } from './platform/spawn-options.js';
import { waitUntil } from './wait-until.js';
import type { TreeStopOutcome } from './stop-tree.js';

export interface WindowsStopOptions {
  pid: number;
  timeoutMs: number;
  immediate?: boolean;
  ask?: () => void | Promise<void>;
  killWaitMs?: number;
}

/** Runs taskkill for the tree of `pid`; resolves with its exit code (128: no such process). */
export function runTaskkill(pid: number): Promise<number> {
  const { command, args } = taskkillCommand(pid);
  return new Promise((resolve) => {
    execFile(command, args, { windowsHide: true }, (err) => {
      resolve(err ? Number((err as NodeJS.ErrnoException & { code?: unknown }).code) || 1 : 0);
    });
  });
}

/** Stops the tree of `pid` on Windows. */
export async function stopWindowsTree(opts: WindowsStopOptions): Promise<TreeStopOutcome> {
  const started = Date.now();
  const gone = () => !isProcessAlive(opts.pid, 'win32');
  if (!opts.immediate && opts.ask) {
    await opts.ask();
    if (await waitUntil(gone, opts.timeoutMs)) {
      return { outcome: 'graceful', durationMs: Date.now() - started, pids: [opts.pid], survivors: [] };
    }
  }
  await runTaskkill(opts.pid);
  await waitUntil(gone, opts.killWaitMs ?? 5_000);
  return { outcome: 'killed', durationMs: Date.now() - started, pids: [opts.pid], survivors: gone() ? [] : [opts.pid] };
}
