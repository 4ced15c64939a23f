// Runs the real electron-builder CLI on electron-builder.yml, offline: `--linux dir` with
// `electronDist` pointing at a stand-in for Electron's binary (the real one cannot be downloaded
// on the build machines of this project). Proves that the configuration packs: the app.asar holds
// the compiled app and its tray icons and no dev tooling, and the fuses are flipped.
//
// Linux only (electron-builder packs a Linux dir the same way everywhere, and the CI's package
// job builds the real installers on each OS), and only after `npm run build` (npm test does it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TRAY_ICON_STATES, trayIconFile } from '../../../electron/main/tray/tray-icon-files.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const require = createRequire(import.meta.url);
// @electron/fuses is what electron-builder uses to flip fuses; take it from where it does
const fusesRequire = createRequire(require.resolve('app-builder-lib/package.json'));
const { SENTINEL } = fusesRequire('@electron/fuses/dist/constants.js') as { SENTINEL: string };
const { getCurrentFuseWire, FuseV1Options } = fusesRequire('@electron/fuses') as {
  getCurrentFuseWire: (file: string) => Promise<Record<number, number>>;
  FuseV1Options: Record<string, number>;
};

const built = existsSync(path.join(root, 'dist', 'electron', 'main', 'index.js'));
const skip =
  process.platform !== 'linux'
    ? 'packs a Linux dir, on Linux only; the CI package job builds the real installers on every OS'
    : !built
      ? 'dist/ is not built: run `npm run build` first (npm test does)'
      : false;

/**
 * A stand-in for the electron binary: a shell script that carries a fuse wire where Electron has
 * one (the sentinel, wire version 1, the number of fuses, one byte per fuse: '0' off, '1' on),
 * set to Electron's defaults for the fuses electron-builder.yml changes.
 */
function fakeElectron(file: string): void {
  const wire = '10110001'; // RunAsNode on, cookie encryption off, NODE_OPTIONS on, inspect on, integrity off, asar-only off, snapshot off, file privileges on
  writeFileSync(file, Buffer.concat([Buffer.from('#!/bin/sh\nexit 0\n'), Buffer.from(SENTINEL), Buffer.from([1, wire.length]), Buffer.from(wire)]));
  chmodSync(file, 0o755);
}

/** The files in an asar archive (Chromium pickle header: sizes, then a JSON tree), and which are unpacked. */
function asarFiles(file: string): Map<string, { unpacked: boolean }> {
  const buf = readFileSync(file);
  const jsonLength = buf.readUInt32LE(12);
  const header = JSON.parse(buf.subarray(16, 16 + jsonLength).toString('utf8')) as AsarDir;
  const out = new Map<string, { unpacked: boolean }>();
  const walk = (dir: AsarDir, prefix: string): void => {
    for (const [name, entry] of Object.entries(dir.files)) {
      if ('files' in entry) walk(entry, `${prefix}/${name}`);
      else out.set(`${prefix}/${name}`, { unpacked: entry.unpacked === true });
    }
  };
  walk(header, '');
  return out;
}

interface AsarDir {
  files: Record<string, AsarDir | { size: number; unpacked?: boolean }>;
}

test('electron-builder packs the app from electron-builder.yml (linux dir, stand-in Electron)', { skip, timeout: 180_000 }, async () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'agent-tray-pack-'));
  try {
    const electronDist = path.join(tmp, 'electron-dist');
    const output = path.join(tmp, 'out');
    mkdirSync(electronDist);
    fakeElectron(path.join(electronDist, 'electron'));
    const cli = path.join(path.dirname(require.resolve('electron-builder/package.json')), 'cli.js');
    const run = spawnSync(
      process.execPath,
      [cli, '--linux', 'dir', '--publish', 'never', `-c.electronDist=${electronDist}`, `-c.directories.output=${output}`],
      { cwd: root, encoding: 'utf8', timeout: 150_000 },
    );
    const log = `${run.stdout}\n${run.stderr}`;
    assert.equal(run.status, 0, `electron-builder failed:\n${log}`);

    const appDir = path.join(output, 'linux-unpacked');
    const executable = path.join(appDir, 'agent-tray'); // linux.executableName
    assert.ok(existsSync(executable), `no ${executable}:\n${log}`);

    // the fuses electron-builder.yml sets, flipped in the binary
    const wire = await getCurrentFuseWire(executable);
    const on = 49; // '1'
    const off = 48; // '0'
    assert.equal(wire[FuseV1Options.RunAsNode!], off, 'RunAsNode');
    assert.equal(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable!], off, 'NODE_OPTIONS');
    assert.equal(wire[FuseV1Options.EnableNodeCliInspectArguments!], off, 'inspect arguments');
    assert.equal(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation!], on, 'asar integrity');
    assert.equal(wire[FuseV1Options.OnlyLoadAppFromAsar!], on, 'only load from asar');
    assert.equal(wire[FuseV1Options.GrantFileProtocolExtraPrivileges!], on, 'file:// privileges (the window is a file)');

    const resources = path.join(appDir, 'resources');
    const entries = asarFiles(path.join(resources, 'app.asar'));
    const files = [...entries.keys()];
    for (const file of ['/package.json', '/dist/electron/main/index.js', '/dist/electron/preload/index.cjs', '/dist/renderer/index.html']) {
      assert.equal(entries.get(file)?.unpacked, false, `${file} is not packed in app.asar`);
    }
    // the tray icons are listed in the archive and sit beside it as real files (asarUnpack)
    for (const state of TRAY_ICON_STATES) {
      for (const platform of ['linux', 'darwin', 'win32'] as const) {
        const name = trayIconFile(state, platform);
        const icon = `/dist/icons/tray/${name}`;
        assert.equal(entries.get(icon)?.unpacked, true, `${icon} is not an unpacked entry of app.asar`);
        assert.ok(existsSync(path.join(resources, 'app.asar.unpacked', 'dist', 'icons', 'tray', name)), `${name} not unpacked`);
      }
    }
    // production dependencies only; no sources, tests or build tooling
    for (const dev of ['electron', 'electron-builder', 'typescript', 'vite', 'playwright', 'pngjs']) {
      assert.ok(!files.some((f) => f.startsWith(`/node_modules/${dev}/`)), `devDependency ${dev} was packed`);
    }
    assert.ok(entries.has('/node_modules/fastify/package.json'), 'production dependency fastify is missing');
    const stray = files.filter((f) => !f.startsWith('/node_modules/') && !f.startsWith('/dist/') && f !== '/package.json');
    assert.deepEqual(stray, [], 'only dist/ and package.json belong to the app');

    const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string };
    assert.ok(entries.has(`/${pkg.main}`), `package.json main (${pkg.main}) is not in app.asar`);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
});
