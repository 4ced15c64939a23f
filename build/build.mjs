// Builds everything the app and the headless host run from, into dist/. `npm run build` always
// builds; `--if-changed` (what `npm start` and `npm test` run first) builds only when an input
// changed since the build in dist/ (build/stamp.mjs). Each build is written to a sibling folder
// and swapped in whole (build/swap.mjs): dist/ is never half-written, also when a build fails.
//
//   dist/electron/**          tsc, ESM, one .js per .ts (core, app, server, cli, main)
//   dist/shared/**            tsc, ESM (+ agents.schema.json when present)
//   dist/electron/preload/index.cjs   Vite library mode, one CommonJS file
//   dist/renderer/**          Vite, relative asset URLs
//   dist/icons/tray/**        the tray icons from build/icons/tray (drawn by build/make-icons.mjs)
//   dist/native/agent-tray-helper.exe   the Windows helper (build/build-win-helper.mjs; skipped without mingw-w64)
//
// Needs no Electron binary: tsc reads electron's .d.ts and Vite treats 'electron' as external.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, cp, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildWinHelper } from './build-win-helper.mjs';
import { computeStamp, missingEntryPoints, readStamp, STAMP_FILE, staleReason } from './stamp.mjs';
import { carryRendererFiles, removeStaleStages, stagingDir, swapIn } from './swap.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = path.join(root, 'dist');
/** Where this build writes: a sibling of dist/, swapped in when every step succeeded. */
const out = stagingDir(root);
const require = createRequire(import.meta.url);
const tscBin = require.resolve('typescript/bin/tsc');

/** Print one line of progress. */
function log(message) {
  console.log(`build: ${message}`);
}

/** Run tsc with a project file (and extra arguments); throw if it reports errors. */
function tsc(project, ...extra) {
  const result = spawnSync(process.execPath, [tscBin, '-p', project, ...extra], { cwd: root, stdio: 'inherit' });
  if (result.error) throw result.error;
  if (result.status !== 0) throw new Error(`tsc -p ${project} failed (exit ${result.status ?? result.signal})`);
}

/** List every file under a folder, as paths relative to that folder. */
async function listFiles(dir) {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)));
}

/** Human-readable size of a file. */
async function sizeOf(file) {
  const { size } = await stat(file);
  return size < 1024 ? `${size} B` : `${(size / 1024).toFixed(1)} kB`;
}

/** 1. The Node side: electron/** (without the preload) and shared/**, folder layout kept. */
async function buildNode() {
  tsc('tsconfig.build.json', '--outDir', out);
  const files = (await listFiles(out)).filter((file) => file.endsWith('.js'));
  log(`node side  -> dist/electron, dist/shared (${files.length} .js files)`);
}

/** 2. The preload: type-checked by tsc, bundled by Vite into one CommonJS file. */
async function buildPreload() {
  // A sandboxed preload runs with a require() that loads only 'electron' and a few built-ins,
  // and no ES modules, so anything it imports (shared/ included) must be inlined into one .cjs.
  tsc('tsconfig.preload.json');
  const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
  const { build: viteBuild } = await import('vite'); // loaded only when something is built: an up-to-date check stays quick
  await viteBuild({
    configFile: false,
    root,
    publicDir: false,
    logLevel: 'warn',
    define: { __AGENT_TRAY_VERSION__: JSON.stringify(pkg.version) },
    build: {
      outDir: path.join(out, 'electron', 'preload'),
      emptyOutDir: false,
      copyPublicDir: false,
      reportCompressedSize: false,
      minify: false,
      sourcemap: true,
      target: 'es2022',
      lib: {
        entry: path.join(root, 'electron', 'preload', 'index.ts'),
        formats: ['cjs'],
        fileName: () => 'index.cjs',
      },
      rolldownOptions: { external: ['electron'] },
    },
  });
  log(`preload    -> dist/electron/preload/index.cjs (${await sizeOf(path.join(out, 'electron', 'preload', 'index.cjs'))})`);
}

/** 3. The renderer: type-checked as browser code, bundled by Vite with vite.config.ts. */
async function buildRenderer() {
  tsc('tsconfig.renderer.json');
  const { build: viteBuild } = await import('vite');
  await viteBuild({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn', build: { outDir: path.join(out, 'renderer'), emptyOutDir: true } });
  const files = await listFiles(path.join(out, 'renderer'));
  log(`renderer   -> dist/renderer (${files.filter((file) => !file.endsWith('.map')).join(', ')})`);
}

/** 4. The agents JSON schema, when shared/ has generated it. */
async function copySchema() {
  const source = path.join(root, 'shared', 'agents.schema.json');
  if (!existsSync(source)) {
    log('schema     -> skipped (shared/agents.schema.json does not exist)');
    return;
  }
  await mkdir(path.join(out, 'shared'), { recursive: true });
  await copyFile(source, path.join(out, 'shared', 'agents.schema.json'));
  log('schema     -> dist/shared/agents.schema.json');
}

/** 5. The tray icons, into dist/icons/tray where the main process loads them (electron/main/tray/tray-glue.ts). */
async function copyTrayIcons() {
  const source = path.join(root, 'build', 'icons', 'tray');
  if (!existsSync(source)) throw new Error('build/icons/tray/ is missing: run `npm run icons`');
  await cp(source, path.join(out, 'icons', 'tray'), { recursive: true });
  log(`tray icons -> dist/icons/tray (${(await listFiles(source)).length} files)`);
}

/** 5b. The Windows helper (native/win-helper, mingw-w64): skipped with one line when the cross compiler is missing. */
async function buildNativeHelper() {
  log(await buildWinHelper(out));
}

/** Fail if an entry point the app, the CLI or the packager loads is missing. */
function checkEntryPoints() {
  const missing = missingEntryPoints(out);
  if (missing.length > 0) throw new Error(`missing from the build: ${missing.join(', ')}`);
}

/** 6. The stamp, then the swap: the new build replaces dist/ whole, keeping the renderer files a running host's page may still ask for. */
async function install(stamp) {
  const rendererFiles = await listFiles(path.join(out, 'renderer'));
  const previous = await readStamp(dist);
  // `--fresh` (packaging): nothing of an earlier build goes into this one
  const carried = process.argv.includes('--fresh') ? 0 : await carryRendererFiles(dist, out, previous?.renderer, rendererFiles);
  await writeFile(path.join(out, STAMP_FILE), `${JSON.stringify({ hash: stamp.hash, inputs: stamp.files, builtAt: new Date().toISOString(), renderer: rendererFiles }, null, 2)}\n`);
  await swapIn(dist, out);
  log(`installed  -> dist/ (swapped in whole${carried ? `; ${carried} renderer files of the previous build kept for pages still open` : ''})`);
}

/** Build unless `--if-changed` finds dist/ up to date; every step writes to the staging folder, swapped in at the end. */
async function main() {
  const started = Date.now();
  const stamp = await computeStamp(root);
  if (process.argv.includes('--if-changed')) {
    const reason = staleReason(await readStamp(dist), stamp.hash, missingEntryPoints(dist));
    if (!reason) {
      log(`dist/ is up to date (${stamp.files} inputs unchanged; ${Date.now() - started} ms)`);
      return;
    }
    log(`building: ${reason}`);
  }
  for (const name of await removeStaleStages(root)) log(`removed ${name}, left by a build that was stopped`);
  await rm(out, { recursive: true, force: true });
  try {
    await buildNode();
    await buildPreload();
    await buildRenderer();
    await copySchema();
    await copyTrayIcons();
    await buildNativeHelper();
    checkEntryPoints();
    await install(stamp);
  } finally {
    await rm(out, { recursive: true, force: true }); // a failed build leaves dist/ as it was
  }
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

try {
  await main();
} catch (error) {
  console.error(`build: FAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
