// The build stamp: a hash of every input of the build (sources, configs, the lock file, the tray
// icons), stored in dist/ by build/build.mjs, so `npm start` and `npm test` rebuild only when an
// input changed. Content, not modification times: a checkout or a `touch` that changes nothing
// does not cost a build, and an edit within the same second is never missed.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

/** The folders whose every file is an input of the build. */
export const INPUT_DIRS = ['electron', 'shared', 'renderer', path.join('build', 'icons', 'tray'), path.join('native', 'win-helper')];

/** Single files that are inputs of the build. */
export const INPUT_FILES = ['build/build.mjs', 'build/build-win-helper.mjs', 'build/stamp.mjs', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'tsconfig.preload.json', 'tsconfig.renderer.json', 'vite.config.ts'];

/** Where the stamp lives inside the built folder. */
export const STAMP_FILE = 'build-stamp.json';

/** Files the app and the host cannot start without; a dist/ missing one is rebuilt whatever its stamp says. */
export const ENTRY_POINTS = ['electron/main/index.js', 'electron/cli/index.js', 'electron/preload/index.cjs', 'renderer/index.html'];

/** Every input file of the build below `root`, as sorted relative paths with forward slashes. */
export async function inputFiles(root) {
  const files = INPUT_FILES.filter((file) => existsSync(path.join(root, file)));
  for (const dir of INPUT_DIRS) {
    const abs = path.join(root, dir);
    if (!existsSync(abs)) continue;
    const entries = await readdir(abs, { recursive: true, withFileTypes: true });
    for (const entry of entries) if (entry.isFile()) files.push(path.relative(root, path.join(entry.parentPath, entry.name)));
  }
  return files.map((file) => file.split(path.sep).join('/')).sort();
}

/** The hash of the build's inputs: each file's path and content, in a fixed order. */
export async function computeStamp(root) {
  const hash = createHash('sha256');
  const files = await inputFiles(root);
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(createHash('sha256').update(await readFile(path.join(root, file))).digest('hex'));
    hash.update('\n');
  }
  return { hash: hash.digest('hex'), files: files.length };
}

/** The stamp a built folder records, or null when it has none or it cannot be read. */
export async function readStamp(distDir) {
  try {
    const parsed = JSON.parse(await readFile(path.join(distDir, STAMP_FILE), 'utf8'));
    return parsed && typeof parsed.hash === 'string' ? parsed : null;
  } catch {
    return null;
  }
}

/** Why `distDir` must be built again for inputs hashing to `hash`, or null when it is up to date. */
export function staleReason(recorded, hash, missingEntryPoints) {
  if (!recorded) return 'it has no build stamp (never built, or built by an older build script)';
  if (missingEntryPoints.length > 0) return `${missingEntryPoints.join(', ')} ${missingEntryPoints.length === 1 ? 'is' : 'are'} missing`;
  if (recorded.hash !== hash) return 'the sources changed since the last build';
  return null;
}

/** The entry points missing from `distDir`. */
export function missingEntryPoints(distDir) {
  return ENTRY_POINTS.filter((file) => !existsSync(path.join(distDir, file)));
}
