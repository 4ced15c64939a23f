// Every process the lane starts is ended by its pid: Windows pids (agents, their trees, processes
// started beside them) through the helper's kill-tree with their creation time, Linux pids of the
// Wine loaders the test spawned itself with SIGKILL; `wineserver -k` of the lane's prefix last.
// Windows pids are never given to process.kill: they are not Linux pids.
import { killTree } from './helper.js';

const windowsPids = new Map<number, number>(); // pid -> createdMs (0: unknown)
const linuxPids = new Set<number>();

/** Remembers Windows pids (and their creation time when known) to end with kill-tree. */
export function trackWindows(pid: number | null | undefined, createdMs = 0): void {
  if (typeof pid === 'number' && pid > 0 && !windowsPids.get(pid)) windowsPids.set(pid, createdMs);
}

/** Remembers the Linux pid of a Wine process this test spawned (the host, a bystander). */
export function trackLinux(pid: number | undefined): void {
  if (typeof pid === 'number' && pid > 0) linuxPids.add(pid);
}

/** Ends every tracked process: Windows trees by pid and creation time, then the Linux pids; safe to call twice. */
export async function endTracked(): Promise<void> {
  for (const [pid, createdMs] of windowsPids) {
    await killTree(pid, createdMs).catch(() => undefined);
  }
  windowsPids.clear();
  for (const pid of linuxPids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  linuxPids.clear();
}
