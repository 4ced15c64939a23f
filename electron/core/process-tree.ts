// Pure process-tree walk over a process table snapshot: every descendant of a root pid.
import type { ProcessInfo } from './platform/process-table.js';

/** Children by parent pid, built once per snapshot: many trees are walked in the same table when agents stop together. */
const childIndexes = new WeakMap<readonly ProcessInfo[], Map<number, ProcessInfo[]>>();

function childrenIndex(table: readonly ProcessInfo[]): Map<number, ProcessInfo[]> {
  let index = childIndexes.get(table);
  if (index) return index;
  index = new Map();
  for (const proc of table) {
    const siblings = index.get(proc.ppid);
    if (siblings) siblings.push(proc);
    else index.set(proc.ppid, [proc]);
  }
  childIndexes.set(table, index);
  return index;
}

/** Children, grandchildren, … of rootPid by ppid (zombies included, root excluded), parents before their children; safe against cycles. The table must not change after it is first walked. */
export function descendantsOf(rootPid: number, table: readonly ProcessInfo[]): ProcessInfo[] {
  const childrenOf = childrenIndex(table);
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
