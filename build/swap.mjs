// Putting a finished build in place: the build is written to a sibling folder (dist.next-<pid>)
// and swapped in by two renames, so dist/ is never half-written. A host running from the old
// dist/ keeps working: its modules are loaded already, and the renderer files of the build it was
// started with are carried into the new dist/renderer (their names carry a content hash and do not
// clash), so a page it served still finds every asset it asks for.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';

const STAGE = /^dist\.(next|old)-(\d+)$/;

/** The sibling folder a build of this process writes to. */
export function stagingDir(root, pid = process.pid) {
  return path.join(root, `dist.next-${pid}`);
}

/** True when a process with this pid exists. */
function alive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** Removes staging folders left by builds that were killed (their process is gone); returns their names. */
export async function removeStaleStages(root, isAlive = alive) {
  const removed = [];
  for (const name of await readdir(root)) {
    const m = STAGE.exec(name);
    if (!m || isAlive(Number(m[2]))) continue;
    await rm(path.join(root, name), { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/** The renderer files of the previous build (its stamp lists them) that the new build does not have: they are carried over. */
export function filesToCarry(previousRendererFiles, newRendererFiles) {
  const present = new Set(newRendererFiles);
  return (previousRendererFiles ?? []).filter((file) => file !== 'index.html' && !present.has(file));
}

/** Copies the previous build's own renderer files that `staged` lacks into it; returns how many. */
export async function carryRendererFiles(dist, staged, previousRendererFiles, newRendererFiles) {
  const carry = filesToCarry(previousRendererFiles, newRendererFiles).filter((file) => existsSync(path.join(dist, 'renderer', file)));
  for (const file of carry) {
    const target = path.join(staged, 'renderer', file);
    await mkdir(path.dirname(target), { recursive: true });
    await copyFile(path.join(dist, 'renderer', file), target);
  }
  return carry.length;
}

/** rename, retried for a moment where Windows refuses while another process reads a file in the folder. */
async function renameRetrying(from, to) {
  for (let attempt = 0; ; attempt++) {
    try {
      await rename(from, to);
      return;
    } catch (err) {
      if (attempt >= 20 || !['EPERM', 'EBUSY', 'EACCES'].includes(err.code)) throw err;
      await delay(100);
    }
  }
}

/** Replaces `dist` by `staged`: the old folder is moved aside, the new one renamed in, the old one removed. */
export async function swapIn(dist, staged) {
  const aside = path.join(path.dirname(dist), `dist.old-${process.pid}`);
  const hadOld = existsSync(dist);
  if (hadOld) await renameRetrying(dist, aside);
  try {
    await renameRetrying(staged, dist);
  } catch (err) {
    if (hadOld) await renameRetrying(aside, dist); // put the old build back: never leave no dist/
    throw err;
  }
  if (hadOld) await rm(aside, { recursive: true, force: true });
}
