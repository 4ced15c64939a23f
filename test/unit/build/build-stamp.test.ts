// The build's stamp and swap on real files in a temporary folder: the stamp changes with a
// source's content (not with its time), a new file counts, dist/ missing an entry point is stale;
// a swap replaces dist/ whole, carries only the previous build's own renderer files, removes the
// folder it moved aside, and stale staging folders of killed builds are removed.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
// @ts-expect-error -- build/ is plain JavaScript (ESM) without type declarations
import { computeStamp, ENTRY_POINTS, inputFiles, missingEntryPoints, staleReason } from '../../../build/stamp.mjs';
// @ts-expect-error -- plain JavaScript
import { carryRendererFiles, filesToCarry, removeStaleStages, swapIn } from '../../../build/swap.mjs';
import { tempDir } from '../../helpers/temp-dir.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

async function project(): Promise<string> {
  const { dir, cleanup } = await tempDir('agent-tray-build-');
  cleanups.push(cleanup);
  const write = (file: string, text: string) => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  };
  write('electron/core/engine.ts', 'export const a = 1;\n');
  write('shared/status.ts', 'export type S = 1;\n');
  write('renderer/App.tsx', 'export const App = 1;\n');
  write('build/icons/tray/tray-ok.png', 'png');
  write('package.json', '{}\n');
  write('test/unit/x.test.ts', 'not an input\n');
  return dir;
}

/** A built folder with every entry point, its renderer files and a stamp listing them. */
function built(dir: string, renderer: Record<string, string>, stamp: object | null): void {
  for (const file of ENTRY_POINTS as string[]) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), `// ${file}\n`);
  }
  for (const [file, text] of Object.entries(renderer)) {
    mkdirSync(path.dirname(path.join(dir, 'renderer', file)), { recursive: true });
    writeFileSync(path.join(dir, 'renderer', file), text);
  }
  if (stamp) writeFileSync(path.join(dir, 'build-stamp.json'), JSON.stringify(stamp));
}

test('the stamp covers sources, configs and icons (not tests), and changes with content, not with modification times', async () => {
  const root = await project();
  assert.deepEqual(await inputFiles(root), ['build/icons/tray/tray-ok.png', 'electron/core/engine.ts', 'package.json', 'renderer/App.tsx', 'shared/status.ts']);
  const first = await computeStamp(root);
  assert.equal(first.files, 5);

  const later = new Date(Date.now() + 60_000);
  utimesSync(path.join(root, 'electron/core/engine.ts'), later, later);
  assert.equal((await computeStamp(root)).hash, first.hash, 'a touch is no change');

  writeFileSync(path.join(root, 'electron/core/engine.ts'), 'export const a = 2;\n'); // same size, other content
  const edited = await computeStamp(root);
  assert.notEqual(edited.hash, first.hash);

  writeFileSync(path.join(root, 'shared/new.ts'), '');
  assert.notEqual((await computeStamp(root)).hash, edited.hash, 'a new (even empty) file counts');
});

test('dist/ is stale without a stamp, with an entry point missing, or with another hash; up to date otherwise', async () => {
  const root = await project();
  const dist = path.join(root, 'dist');
  assert.match(staleReason(null, 'h', []), /no build stamp/);
  built(dist, { 'index.html': '' }, { hash: 'h' });
  assert.deepEqual(missingEntryPoints(dist), []);
  assert.equal(staleReason({ hash: 'h' }, 'h', missingEntryPoints(dist)), null);
  assert.match(staleReason({ hash: 'h' }, 'other', []), /sources changed/);
  assert.match(staleReason({ hash: 'h' }, 'h', ['electron/cli/index.js']), /electron\/cli\/index\.js is missing/);
});

test('only the previous build\'s own renderer files that the new one lacks are carried, never its index.html', () => {
  assert.deepEqual(filesToCarry(['index.html', 'assets/a-1.js', 'assets/c.css'], ['index.html', 'assets/a-2.js', 'assets/c.css']), ['assets/a-1.js']);
  assert.deepEqual(filesToCarry(undefined, ['index.html']), []);
});

test('a swap replaces dist/ whole, keeps the assets a page of the old build asks for, and leaves no folder aside', async () => {
  const root = await project();
  const dist = path.join(root, 'dist');
  const staged = path.join(root, 'dist.next-1');
  built(dist, { 'index.html': 'old', 'assets/a-1.js': 'old js', 'assets/old-gen.js': 'carried before' }, { hash: 'old', renderer: ['index.html', 'assets/a-1.js'] });
  built(staged, { 'index.html': 'new', 'assets/a-2.js': 'new js' }, { hash: 'new' });

  const carried = await carryRendererFiles(dist, staged, ['index.html', 'assets/a-1.js'], ['index.html', 'assets/a-2.js']);
  assert.equal(carried, 1);
  await swapIn(dist, staged);

  assert.equal(readFileSync(path.join(dist, 'renderer/index.html'), 'utf8'), 'new');
  assert.deepEqual(readdirSync(path.join(dist, 'renderer/assets')).sort(), ['a-1.js', 'a-2.js'], 'one generation back, no older');
  assert.equal(JSON.parse(readFileSync(path.join(dist, 'build-stamp.json'), 'utf8')).hash, 'new');
  assert.equal(existsSync(staged), false);
  assert.deepEqual(readdirSync(root).filter((n) => n.startsWith('dist.')), [], 'no dist.old-* left');
});

test('staging folders of builds whose process is gone are removed; a running build\'s is kept', async () => {
  const root = await project();
  for (const name of ['dist.next-111', 'dist.old-222', 'dist.next-333', 'dist-other']) mkdirSync(path.join(root, name));
  const removed = await removeStaleStages(root, (pid: number) => pid === 333);
  assert.deepEqual(removed.sort(), ['dist.next-111', 'dist.old-222']);
  assert.deepEqual(readdirSync(root).filter((n) => n.startsWith('dist')).sort(), ['dist-other', 'dist.next-333']);
});
