// The icons drawn by build/make-icons.mjs: every file the tray mapping names exists and decodes
// at the right sizes, macOS template images are black and alpha only, the four states look
// different, the app icons have the sizes the packager needs, and the committed files are
// exactly what the script draws today.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { TRAY_ICON_STATES, trayIconFile } from '../../../electron/main/tray/tray-icon-files.js';
import type { TrayIconState } from '../../../electron/main/tray/tray-icon-state.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const trayDir = path.join(root, 'build', 'icons', 'tray');
const platforms: NodeJS.Platform[] = ['darwin', 'win32', 'linux', 'freebsd'];

interface Image {
  width: number;
  height: number;
  /** RGBA, straight alpha, rows top-down */
  data: Buffer;
}

interface IcoEntry extends Image {
  format: 'png' | 'bmp';
}

/** Decode a PNG file. */
function readPng(file: string): Image {
  const png = PNG.sync.read(readFileSync(file));
  return { width: png.width, height: png.height, data: png.data };
}

/** Decode an ICO file: its directory, and each image (PNG or 32-bit bitmap) checked against it. */
function readIco(file: string): IcoEntry[] {
  const buf = readFileSync(file);
  assert.equal(buf.readUInt16LE(0), 0, `${file}: reserved field`);
  assert.equal(buf.readUInt16LE(2), 1, `${file}: type must be 1 (icon)`);
  const count = buf.readUInt16LE(4);
  assert.ok(count > 0, `${file}: no images`);
  const entries: IcoEntry[] = [];
  for (let i = 0; i < count; i++) {
    const e = 6 + i * 16;
    const size = buf.readUInt8(e) || 256;
    assert.equal(buf.readUInt8(e + 1) || 256, size, `${file}: entry ${i} is not square`);
    const length = buf.readUInt32LE(e + 8);
    const offset = buf.readUInt32LE(e + 12);
    assert.ok(offset + length <= buf.length, `${file}: entry ${i} runs past the end`);
    const body = buf.subarray(offset, offset + length);
    if (body.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
      const png = PNG.sync.read(body);
      entries.push({ format: 'png', width: png.width, height: png.height, data: png.data });
      continue;
    }
    assert.equal(body.readUInt32LE(0), 40, `${file}: entry ${i} is neither PNG nor BITMAPINFOHEADER`);
    const width = body.readInt32LE(4);
    assert.equal(body.readInt32LE(8), width * 2, `${file}: entry ${i} height must be twice the width`);
    assert.equal(body.readUInt16LE(14), 32, `${file}: entry ${i} must be 32 bits per pixel`);
    const maskStride = Math.ceil(width / 32) * 4;
    assert.equal(length, 40 + width * width * 4 + maskStride * width, `${file}: entry ${i} length`);
    const data = Buffer.alloc(width * width * 4);
    for (let y = 0; y < width; y++) {
      for (let x = 0; x < width; x++) {
        const s = 40 + ((width - 1 - y) * width + x) * 4;
        const d = (y * width + x) * 4;
        data[d] = body[s + 2]!;
        data[d + 1] = body[s + 1]!;
        data[d + 2] = body[s]!;
        data[d + 3] = body[s + 3]!;
      }
    }
    entries.push({ format: 'bmp', width, height: width, data });
  }
  for (const entry of entries) assert.equal(entry.width, entry.height);
  return entries;
}

/** The @2x file next to a PNG: name.png -> name@2x.png. */
function at2x(file: string): string {
  return file.replace(/\.png$/, '@2x.png');
}

/** How many pixels differ between two images of the same size. */
function differingPixels(a: Image, b: Image, channels: number[] = [0, 1, 2, 3]): number {
  assert.equal(a.width, b.width);
  let n = 0;
  for (let i = 0; i < a.data.length; i += 4) {
    if (channels.some((c) => Math.abs(a.data[i + c]! - b.data[i + c]!) > 32)) n++;
  }
  return n;
}

/** Pixels with some opacity. */
function opaquePixels(image: Image): number {
  let n = 0;
  for (let i = 3; i < image.data.length; i += 4) if (image.data[i]! > 0) n++;
  return n;
}

test('the mapping names a distinct file per state and platform, and each exists', () => {
  for (const platform of platforms) {
    const names = TRAY_ICON_STATES.map((state) => trayIconFile(state, platform));
    assert.equal(new Set(names).size, names.length, `${platform}: states share a file`);
    for (const name of names) {
      assert.ok(!name.includes('/') && !name.includes('\\'), `${name} must be a bare file name`);
      assert.ok(existsSync(path.join(trayDir, name)), `${name} (${platform}) is missing from build/icons/tray`);
    }
  }
  assert.match(trayIconFile('busy', 'win32'), /\.ico$/);
  assert.match(trayIconFile('busy', 'linux'), /\.png$/);
});

test('macOS: template images, 16 px with a 32 px @2x, black pixels and alpha only', () => {
  for (const state of TRAY_ICON_STATES) {
    const name = trayIconFile(state, 'darwin');
    // Electron marks an image as a template when its name ends in "Template" (before @2x)
    assert.match(name, /Template\.png$/, name);
    for (const [file, size] of [[name, 16], [at2x(name), 32]] as const) {
      const image = readPng(path.join(trayDir, file));
      assert.deepEqual([image.width, image.height], [size, size], file);
      for (let i = 0; i < image.data.length; i += 4) {
        const rgb = [image.data[i], image.data[i + 1], image.data[i + 2]];
        assert.deepEqual(rgb, [0, 0, 0], `${file}: pixel ${i / 4} is not black`);
      }
      assert.ok(opaquePixels(image) > size * size * 0.2, `${file}: almost empty`);
    }
  }
});

test('Linux: coloured 16 px PNGs with a 32 px @2x', () => {
  for (const state of TRAY_ICON_STATES) {
    const name = trayIconFile(state, 'linux');
    for (const [file, size] of [[name, 16], [at2x(name), 32]] as const) {
      const image = readPng(path.join(trayDir, file));
      assert.deepEqual([image.width, image.height], [size, size], file);
      assert.ok(opaquePixels(image) > size * size * 0.5, `${file}: almost empty`);
    }
  }
});

test('Windows: each tray .ico holds the sizes of 100 % to 300 % scaling', () => {
  for (const state of TRAY_ICON_STATES) {
    const file = trayIconFile(state, 'win32');
    const entries = readIco(path.join(trayDir, file));
    assert.deepEqual(entries.map((e) => e.width), [16, 20, 24, 32, 40, 48], file);
    for (const entry of entries) assert.ok(opaquePixels(entry) > entry.width * entry.width * 0.5, file);
  }
});

/** Every image a platform shows for a state: 1x and 2x PNGs, or the sizes inside the .ico. */
function trayImages(state: TrayIconState, platform: NodeJS.Platform): Image[] {
  const file = path.join(trayDir, trayIconFile(state, platform));
  return file.endsWith('.ico') ? readIco(file) : [readPng(file), readPng(at2x(file))];
}

test('the four states differ from each other in shape, and in colour where there is colour', () => {
  for (const platform of ['darwin', 'win32', 'linux'] as const) {
    for (const [i, a] of TRAY_ICON_STATES.entries()) {
      for (const b of TRAY_ICON_STATES.slice(i + 1)) {
        const others = trayImages(b, platform);
        trayImages(a, platform).forEach((image, k) => {
          const other = others[k]!;
          const label = `${platform} ${a} vs ${b} at ${image.width} px`;
          // a template has nothing but alpha; the coloured icons differ by their white glyph
          const shape = platform === 'darwin' ? differingPixels(image, other, [3]) : glyphDifference(image, other);
          assert.ok(shape >= image.width / 2, `${label}: only ${shape} pixels differ in shape`);
          if (platform !== 'darwin') {
            assert.ok(differingPixels(image, other) > image.width * image.width * 0.3, `${label}: colours too close`);
          }
        });
      }
    }
  }
});

/** Pixels that are (nearly) white in one image and not in the other: the glyphs differ. */
function glyphDifference(a: Image, b: Image): number {
  const white = (image: Image, i: number): boolean =>
    image.data[i]! > 200 && image.data[i + 1]! > 200 && image.data[i + 2]! > 200 && image.data[i + 3]! > 200;
  let n = 0;
  for (let i = 0; i < a.data.length; i += 4) if (white(a, i) !== white(b, i)) n++;
  return n;
}

test('app icons: a 512 px PNG for macOS and Linux, an .ico from 16 to 256 px for Windows', () => {
  const png = readPng(path.join(root, 'build', 'icon.png'));
  assert.deepEqual([png.width, png.height], [512, 512]);
  const ico = readIco(path.join(root, 'build', 'icon.ico'));
  assert.deepEqual(ico.map((e) => e.width), [16, 24, 32, 48, 64, 128, 256]);
  // electron-builder reads the size from the directory and refuses an .ico without 256 px
  assert.equal(ico.at(-1)!.format, 'png');
  // the corners are transparent, the middle is not
  assert.equal(png.data[3], 0);
  assert.equal(png.data[(256 * 512 + 256) * 4 + 3], 255);
});

test('the committed icons are what build/make-icons.mjs draws (run `npm run icons` after changing it)', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'agent-tray-icons-'));
  try {
    execFileSync(process.execPath, [path.join(root, 'build', 'make-icons.mjs'), '--out', out], { stdio: 'pipe' });
    const generated = ['icon.png', 'icon.ico', ...readdirSync(path.join(out, 'icons', 'tray')).map((f) => `icons/tray/${f}`)];
    const committed = readdirSync(trayDir).map((f) => `icons/tray/${f}`);
    assert.deepEqual(
      generated.filter((f) => f.startsWith('icons/')).sort(),
      committed.sort(),
      'build/icons/tray holds other files than the script draws',
    );
    for (const file of generated) {
      const same = readFileSync(path.join(out, file)).equals(readFileSync(path.join(root, 'build', file)));
      assert.ok(same, `build/${file} differs from what the script draws now`);
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});
