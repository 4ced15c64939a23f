// Cross-compiles the Windows helper (native/win-helper/*.c) with mingw-w64 into
// <out>/native/agent-tray-helper.exe: a static, stripped console program with no DLLs beyond
// Windows' own. Without the compiler (Debian: gcc-mingw-w64-x86-64) it prints one line and builds
// nothing: the app then falls back to plain Node spawning on Windows (README, "Windows").
//
//   node build/build-win-helper.mjs        builds into dist/native/ directly
//   import { buildWinHelper } ...          build/build.mjs builds into its staging folder
import { spawnSync } from 'node:child_process';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
/** The cross compiler (Debian package gcc-mingw-w64-x86-64). */
export const COMPILER = 'x86_64-w64-mingw32-gcc';
/** The helper's sources. */
export const SOURCE_DIR = path.join(root, 'native', 'win-helper');
/** Where the helper lands inside a built folder. */
export const HELPER_PATH = path.join('native', 'agent-tray-helper.exe');

/** True when the cross compiler runs here. */
function compilerAvailable() {
  const probe = spawnSync(COMPILER, ['--version'], { stdio: 'ignore' });
  return !probe.error && probe.status === 0;
}

/** Builds the helper into `<outDir>/native/agent-tray-helper.exe`; returns a one-line summary (or why it was skipped). Throws when compilation fails. */
export async function buildWinHelper(outDir) {
  if (!compilerAvailable()) return `windows helper -> skipped (${COMPILER} is not installed: apt-get install gcc-mingw-w64-x86-64)`;
  const sources = (await readdir(SOURCE_DIR)).filter((file) => file.endsWith('.c')).sort().map((file) => path.join(SOURCE_DIR, file));
  const target = path.join(outDir, HELPER_PATH);
  const partial = `${target}.partial`;
  await mkdir(path.dirname(target), { recursive: true });
  const args = ['-O2', '-s', '-municode', '-static', '-Wall', '-Wextra', '-o', partial, ...sources, '-lntdll'];
  const result = spawnSync(COMPILER, args, { cwd: root, encoding: 'utf8' });
  if (result.error || result.status !== 0) {
    await rm(partial, { force: true });
    throw new Error(`${COMPILER} failed (${result.error?.message ?? `exit ${result.status}`}):\n${result.stderr}`);
  }
  if (result.stderr.trim()) process.stderr.write(result.stderr); // warnings stay visible
  await rename(partial, target);
  const { size } = await stat(target);
  return `windows helper -> dist/${HELPER_PATH.split(path.sep).join('/')} (${(size / 1024).toFixed(1)} kB)`;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    console.log(`build: ${await buildWinHelper(path.join(root, 'dist'))}`);
  } catch (error) {
    console.error(`build: FAILED: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
