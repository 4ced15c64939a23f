// Orphans in the store: the key a stop of one orphan keeps its pending state and error under, and
// the slice after a stop (the stopped rows go).
import type { OrphansSlice } from './types.js';

/** The key of a stop of one orphan: `stopOrphan[1234]` (never ending in `:name`, so no agent takes it for its own). */
export function orphanActionKey(pid: number): string {
  return `stopOrphan[${pid}]`;
}

/** The pid an orphan action key is about, or null for any other key. */
export function orphanKeyPid(key: string): number | null {
  const m = /^stopOrphan\[(\d+)\]$/.exec(key);
  return m ? Number(m[1]) : null;
}

/** The slice without the orphans of these pids (the same object when none of them is listed). */
export function withoutOrphans(slice: OrphansSlice, pids: readonly number[]): OrphansSlice {
  const gone = new Set(pids);
  if (!slice.items.some((o) => gone.has(o.pid))) return slice;
  return { ...slice, items: slice.items.filter((o) => !gone.has(o.pid)) };
}
