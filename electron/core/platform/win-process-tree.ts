// A process tree on Windows, from a listing with parent pids and creation times. Windows never
// re-parents: a child keeps the pid of its dead parent, and that pid may be reused by a stranger
// later. So a process counts as a child only when it was created after its parent (as the
// helper's kill-tree does), and a root whose creation time differs is not the agent any more.

/** One row of a Windows process listing. */
export interface WinProcessRow {
  pid: number;
  ppid: number;
  /** Creation time, epoch ms; null where the system would not tell. */
  createdMs: number | null;
}

/** The same process: equal creation times (the helper's ms are truncated, so ±1 ms). */
export function sameCreation(a: number | null, b: number | null): boolean {
  return a !== null && b !== null && Math.abs(a - b) <= 1;
}

/**
 * The root (when it still runs as the process created at rootCreatedMs; null: unchecked) and every
 * descendant created no earlier than its parent, parents first. A dead root's children still count
 * (they keep its pid as parent) when they were created after it.
 */
export function windowsTree<T extends WinProcessRow>(rootPid: number, rootCreatedMs: number | null, table: readonly T[]): T[] {
  const root = table.find((p) => p.pid === rootPid);
  if (root && rootCreatedMs !== null && !sameCreation(root.createdMs, rootCreatedMs)) return []; // recycled pid: a stranger
  const byParent = new Map<number, T[]>();
  for (const p of table) {
    if (p.pid === p.ppid) continue; // the idle process is its own parent
    const siblings = byParent.get(p.ppid);
    if (siblings) siblings.push(p);
    else byParent.set(p.ppid, [p]);
  }
  const result: T[] = root ? [root] : [];
  const seen = new Set<number>([rootPid]);
  const queue: { pid: number; createdMs: number | null }[] = [{ pid: rootPid, createdMs: root?.createdMs ?? rootCreatedMs }];
  for (let i = 0; i < queue.length; i++) {
    const parent = queue[i]!;
    for (const child of byParent.get(parent.pid) ?? []) {
      if (seen.has(child.pid)) continue;
      // unknown times cannot prove the link: such a process is left alone
      if (parent.createdMs === null || child.createdMs === null || child.createdMs < parent.createdMs) continue;
      seen.add(child.pid);
      result.push(child);
      queue.push(child);
    }
  }
  return result;
}
