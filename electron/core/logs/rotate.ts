// Size-based rotation by copy-then-truncate: the agent keeps writing through its own append-mode
// descriptor, which stays valid because the file itself is never replaced.
import { copyFile, rename, rm, truncate } from 'node:fs/promises';

/** The name of the n-th rotated copy: `x.log` → `x.log.1`, `x.log.2`, … */
export function rotatedName(path: string, n: number): string {
  return `${path}.${n}`;
}

/**
 * Shifts `path.1..path.(keep-1)` up by one, copies `path` to `path.1` and truncates `path` to zero.
 * Bytes the writer appends between the copy and the truncation are lost (the classic copytruncate
 * window, microseconds wide); the follower reads the file to its end just before rotating.
 */
export async function copyTruncate(path: string, keep: number): Promise<void> {
  if (keep < 1) {
    await truncate(path, 0);
    return;
  }
  await rm(rotatedName(path, keep), { force: true });
  for (let n = keep - 1; n >= 1; n--) {
    await rename(rotatedName(path, n), rotatedName(path, n + 1)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
    });
  }
  await copyFile(path, rotatedName(path, 1));
  await truncate(path, 0);
}
