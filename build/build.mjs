// Builds everything the app and the headless host run from, into dist/. Run by `npm run build`.
//
//   dist/electron/**          tsc, ESM, one .js per .ts (core, app, server, cli, main)
//   dist/shared/**            tsc, ESM (+ agents.schema.json when present)
//   dist/electron/preload/index.cjs   Vite library mode, one CommonJS file
//   dist/renderer/**          Vite, relative asset URLs
//   dist/icons/tray/**        the tray icons from build/icons/tray (drawn by build/make-icons.mjs)
//
// Needs no Electron binary: tsc reads electron's .d.ts and Vite treats 'electron' as external.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, cp, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as viteBuild } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = path.join(root, 'dist');
const require = createRequire(import.meta.url);
const tscBin = require.resolve('typescript/bin/tsc');

/** Print one line of progress. */
function log(message) {
  console.log(`build: ${message}`);
}

/** Run tsc with a project file; throw if it reports errors. */
function tsc(project) {
  const result = spawnSync(process.execPath, [tscBin, '-p', project], { cwd: root, stdio: 'inherit' });
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
  tsc('tsconfig.build.json');
  const files = (await listFiles(dist)).filter((file) => file.endsWith('.js'));
  log(`node side  -> dist/electron, dist/shared (${files.length} .js files)`);
}

/** 2. The preload: type-checked by tsc, bundled by Vite into one CommonJS file. */
async function buildPreload() {
  // A sandboxed preload runs with a require() that loads only 'electron' and a few built-ins,
  // and no ES modules, so anything it imports (shared/ included) must be inlined into one .cjs.
  tsc('tsconfig.preload.json');
  const pkg = JSON.parse(await readFile(path.join(root, 'package.json'), 'utf8'));
  await viteBuild({
    configFile: false,
    root,
    publicDir: false,
    logLevel: 'warn',
    define: { __AGENT_TRAY_VERSION__: JSON.stringify(pkg.version) },
    build: {
      outDir: path.join(dist, 'electron', 'preload'),
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
  const out = path.join(dist, 'electron', 'preload', 'index.cjs');
  log(`preload    -> dist/electron/preload/index.cjs (${await sizeOf(out)})`);
}

/** 3. The renderer: type-checked as browser code, bundled by Vite with vite.config.ts. */
async function buildRenderer() {
  tsc('tsconfig.renderer.json');
  await viteBuild({ configFile: path.join(root, 'vite.config.ts'), logLevel: 'warn' });
  const files = await listFiles(path.join(dist, 'renderer'));
  log(`renderer   -> dist/renderer (${files.filter((file) => !file.endsWith('.map')).join(', ')})`);
}

/** 4. The agents JSON schema, when shared/ has generated it. */
async function copySchema() {
  const source = path.join(root, 'shared', 'agents.schema.json');
  if (!existsSync(source)) {
    log('schema     -> skipped (shared/agents.schema.json does not exist)');
    return;
  }
  await mkdir(path.join(dist, 'shared'), { recursive: true });
  await copyFile(source, path.join(dist, 'shared', 'agents.schema.json'));
  log('schema     -> dist/shared/agents.schema.json');
}

/** 5. The tray icons, into dist/icons/tray where the main process loads them (electron/main/tray/tray-glue.ts). */
async function copyTrayIcons() {
  const source = path.join(root, 'build', 'icons', 'tray');
  if (!existsSync(source)) throw new Error('build/icons/tray/ is missing: run `npm run icons`');
  await cp(source, path.join(dist, 'icons', 'tray'), { recursive: true });
  log(`tray icons -> dist/icons/tray (${(await listFiles(source)).length} files)`);
}

/** Fail if an entry point the app or the packager loads is missing. */
function checkEntryPoints() {
  const required = ['electron/main/index.js', 'electron/preload/index.cjs', 'renderer/index.html'];
  const missing = required.filter((file) => !existsSync(path.join(dist, file)));
  if (missing.length > 0) throw new Error(`missing from dist/: ${missing.join(', ')}`);
}

/** Clean dist/ and run every step in order; stop at the first failure. */
async function main() {
  const started = Date.now();
  await rm(dist, { recursive: true, force: true });
  await buildNode();
  await buildPreload();
  await buildRenderer();
  await copySchema();
  await copyTrayIcons();
  checkEntryPoints();
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

try {
  await main();
} catch (error) {
  console.error(`build: FAILED: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
