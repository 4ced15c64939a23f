// Leftovers of saves that were interrupted (the host killed or the machine off mid-write):
// write-file-atomic writes `<file>.<number>` beside the file and renames it over the file; a kill
// before the rename leaves that temporary file behind. They are removed when a host opens the data
// directory (under the host lock, so no save of another manager is under way).
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';

/** `<name>.<digits>`: write-file-atomic's temporary file for `<name>`. */
function isTempOf(entry: string, names: ReadonlySet<string>): boolean {
  const m = /^(.+)\.\d+$/.exec(entry);
  return m !== null && names.has(m[1] as string);
}

/** Removes the temporary files of interrupted saves of `files` (full paths); returns the paths removed. */
export async function removeInterruptedSaves(files: readonly string[]): Promise<string[]> {
  const byDir = new Map<string, Set<string>>();
  for (const f of files) {
    const dir = path.dirname(f);
    const names = byDir.get(dir) ?? new Set<string>();
    names.add(path.basename(f));
    byDir.set(dir, names);
  }
  const removed: string[] = [];
  for (const [dir, names] of byDir) {
    let entries: string[];
    try {
      entries = await readdir(dir);
    } catch {
      continue; // no directory yet: nothing was ever saved there
    }
    for (const entry of entries.filter((e) => isTempOf(e, names))) {
      const full = path.join(dir, entry);
      try {
        await rm(full, { force: true });
        removed.push(full);
      } catch {
        // one that cannot be removed now is tried again at the next start
      }
    }
  }
  return removed;
}
