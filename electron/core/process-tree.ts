// Pure process-tree walk over a process table snapshot: every descendant of a root pid.
import type { ProcessInfo } from './platform/process-table.js';

/** Children, grandchildren, … of rootPid by ppid (zombies included, root excluded), parents before their children; safe against cycles. */
export function descendantsOf(rootPid: number, table: ProcessInfo[]): ProcessInfo[] {
  const childrenOf = new Map<number, ProcessInfo[]>();
  for (const proc of table) {
    const siblings = childrenOf.get(proc.ppid);
    if (siblings) siblings.push(proc);
    else childrenOf.set(proc.ppid, [proc]);
  }
  const seen = new Set<number>([rootPid]);
  const result: ProcessInfo[] = [];
  const queue: number[] = [rootPid];
  for (let i = 0; i < queue.length; i++) {
    for (const child of childrenOf.get(queue[i]!) ?? []) {
      if (seen.has(child.pid)) continue;
      seen.add(child.pid);
      result.push(child);
      queue.push(child.pid);
    }
  }
  return result;
}
