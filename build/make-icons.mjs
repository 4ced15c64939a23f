// Draws every icon of the app from code, so they can be regenerated and reviewed as a diff of
// this file rather than of binaries. Run by `npm run icons`; the output is committed.
//
//   build/icon.png                         512x512 app icon (electron-builder makes the .icns from it)
//   build/icon.ico                         Windows app icon, 16..256 px
//   build/icons/tray/tray-<state>.png      16x16 coloured tray icon (Linux; Windows uses the .ico)
//   build/icons/tray/tray-<state>@2x.png   32x32 of the same
//   build/icons/tray/tray-<state>.ico      Windows tray icon, 16..48 px
//   build/icons/tray/tray-<state>Template.png, …Template@2x.png
//                                          macOS template images: black and alpha only; the
//                                          file name ends in "Template" so Electron marks them
//
// States: idle (grey, nothing running), ok (green, running), busy (amber, starting/stopping/
// backoff), problem (red, crashed/errored/unhealthy). The states differ by glyph as well as by
// colour (a minus, a check, three dots, an exclamation mark), which is all a template image has
// and helps people who do not tell the colours apart.
//
// Deterministic: shapes are sampled on a fixed grid (no randomness, no dates in the files), and
// PNGs are written by pngjs with fixed options, so running it twice gives identical bytes.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

const root = fileURLToPath(new URL('..', import.meta.url));
// `--out DIR` writes the same tree (icon.png, icon.ico, icons/tray/…) under DIR instead of
// build/: the unit test uses it to check that the committed files are what this script draws.
const outIndex = process.argv.indexOf('--out');
const outArg = outIndex > 0 ? process.argv[outIndex + 1] : undefined;
if (outIndex > 0 && !outArg) throw new Error('--out needs a directory');
const buildDir = outArg ? path.resolve(outArg) : path.join(root, 'build');
const trayDir = path.join(buildDir, 'icons', 'tray');

const STATES = /** @type {const} */ (['idle', 'ok', 'busy', 'problem']);
const APP_ICO_SIZES = [16, 24, 32, 48, 64, 128, 256];
const TRAY_ICO_SIZES = [16, 20, 24, 32, 40, 48];

// ---------------------------------------------------------------------------------------------
// A tiny rasteriser. Coordinates are in units of the icon's side (0..1, y down), so one
// description renders crisply at every size. Each pixel is sampled on an N×N grid; a sample
// takes the colour of the shapes that contain it, painted in order (source-over), and an
// "erase" shape cuts a hole through everything painted before it.

/** @typedef {[number, number, number, number]} Rgba  straight (not premultiplied), 0..1 */
/** @typedef {{ inside: (x: number, y: number) => boolean, paint?: Rgba | ((x: number, y: number) => Rgba), erase?: boolean }} Shape */

/** '#rrggbb' (and an optional alpha) as an Rgba. */
function hex(value, alpha = 1) {
  const n = Number.parseInt(value.slice(1), 16);
  return [((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255, alpha];
}

const BLACK = hex('#000000');
const WHITE = hex('#ffffff');

/** Render shapes into a size×size RGBA buffer (straight alpha, as PNG stores it). */
function rasterize(size, shapes) {
  const grid = size <= 64 ? 8 : 4;
  const data = Buffer.alloc(size * size * 4);
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < grid; sy++) {
        for (let sx = 0; sx < grid; sx++) {
          const x = (px + (sx + 0.5) / grid) / size;
          const y = (py + (sy + 0.5) / grid) / size;
          // one sample, premultiplied
          let cr = 0;
          let cg = 0;
          let cb = 0;
          let ca = 0;
          for (const shape of shapes) {
            if (!shape.inside(x, y)) continue;
            if (shape.erase) {
              cr = cg = cb = ca = 0;
              continue;
            }
            const paint = typeof shape.paint === 'function' ? shape.paint(x, y) : shape.paint;
            const [pr, pg, pb, pa] = paint;
            cr = pr * pa + cr * (1 - pa);
            cg = pg * pa + cg * (1 - pa);
            cb = pb * pa + cb * (1 - pa);
            ca = pa + ca * (1 - pa);
          }
          r += cr;
          g += cg;
          b += cb;
          a += ca;
        }
      }
      const n = grid * grid;
      const alpha = a / n;
      const i = (py * size + px) * 4;
      const a8 = Math.round(alpha * 255);
      data[i + 3] = a8;
      if (a8 > 0) {
        data[i] = Math.round(Math.min(1, r / n / alpha) * 255);
        data[i + 1] = Math.round(Math.min(1, g / n / alpha) * 255);
        data[i + 2] = Math.round(Math.min(1, b / n / alpha) * 255);
      }
    }
  }
  return data;
}

/** A filled circle. */
function circle(cx, cy, radius) {
  return (x, y) => (x - cx) ** 2 + (y - cy) ** 2 <= radius ** 2;
}

/** A circle outline: the band between radius - width and radius. */
function ring(cx, cy, radius, width) {
  return (x, y) => {
    const d = Math.hypot(x - cx, y - cy);
    return d <= radius && d >= radius - width;
  };
}

/** A rectangle with rounded corners. */
function roundRect(x0, y0, x1, y1, radius) {
  return (x, y) => {
    const dx = Math.max(x0 + radius - x, 0, x - (x1 - radius));
    const dy = Math.max(y0 + radius - y, 0, y - (y1 - radius));
    return x >= x0 && x <= x1 && y >= y0 && y <= y1 && dx * dx + dy * dy <= radius * radius;
  };
}

/** Distance from (x, y) to the segment a–b. */
function segmentDistance(x, y, [ax, ay], [bx, by]) {
  const vx = bx - ax;
  const vy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * vx + (y - ay) * vy) / (vx * vx + vy * vy)));
  return Math.hypot(x - (ax + t * vx), y - (ay + t * vy));
}

/** A line through points, with round ends and joins. */
function stroke(points, width) {
  return (x, y) => {
    for (let i = 1; i < points.length; i++) {
      if (segmentDistance(x, y, points[i - 1], points[i]) <= width / 2) return true;
    }
    return false;
  };
}

/** True inside any of the parts. */
function union(...parts) {
  return (x, y) => parts.some((inside) => inside(x, y));
}

/** A vertical gradient from top to bottom colour between y0 and y1. */
function verticalGradient(top, bottom, y0, y1) {
  return (_x, y) => {
    const t = Math.max(0, Math.min(1, (y - y0) / (y1 - y0)));
    return /** @type {Rgba} */ (top.map((c, i) => c + (bottom[i] - c) * t));
  };
}

// ---------------------------------------------------------------------------------------------
// The drawings.

const STATE_COLOURS = {
  idle: { fill: hex('#8b929c'), edge: hex('#5f6670') },
  ok: { fill: hex('#2fa55a'), edge: hex('#1d7a3f') },
  busy: { fill: hex('#e8920c'), edge: hex('#b36d00') },
  problem: { fill: hex('#d93a3a'), edge: hex('#a82424') },
};

/** The glyph of each state, centred in the unit square, drawn about 0.45 wide. */
function glyph(state) {
  switch (state) {
    case 'idle':
      return stroke([[0.3, 0.5], [0.7, 0.5]], 0.15);
    case 'ok':
      return stroke([[0.28, 0.52], [0.43, 0.67], [0.72, 0.36]], 0.14);
    case 'busy':
      return union(circle(0.26, 0.5, 0.078), circle(0.5, 0.5, 0.078), circle(0.74, 0.5, 0.078));
    case 'problem':
      return union(stroke([[0.5, 0.25], [0.5, 0.54]], 0.15), circle(0.5, 0.73, 0.085));
    default:
      throw new Error(`unknown state ${state}`);
  }
}

/** Coloured tray icon (Windows, Linux): a disc in the state's colour with a white glyph. */
function trayColourShapes(state) {
  const { fill, edge } = STATE_COLOURS[state];
  return [
    { inside: circle(0.5, 0.5, 0.48), paint: edge },
    { inside: circle(0.5, 0.5, 0.48 - 1 / 16), paint: fill },
    { inside: glyph(state), paint: WHITE },
  ];
}

/**
 * macOS template tray icon: black and alpha only. Idle and busy (nothing wrong, nothing
 * settled) are an outline with the glyph inside; ok and problem (a settled answer) are a solid
 * disc with the glyph cut out.
 */
function trayTemplateShapes(state) {
  if (state === 'idle' || state === 'busy') {
    return [
      { inside: ring(0.5, 0.5, 0.47, 0.11), paint: BLACK },
      { inside: glyph(state), paint: BLACK },
    ];
  }
  return [
    { inside: circle(0.5, 0.5, 0.47), paint: BLACK },
    { inside: glyph(state), erase: true },
  ];
}

/**
 * The app icon: a dark rounded square holding three agents, each a status dot and a bar (two
 * running, one starting). Below 48 px the parts are bolder and the margin smaller, so the
 * small Windows sizes stay legible.
 */
function appShapes(size) {
  const small = size < 48;
  const m = small ? 0.02 : 0.08; // margin around the square
  const corner = small ? 0.18 : 0.2;
  const background = verticalGradient(hex('#3d4c6e'), hex('#1c2538'), m, 1 - m);
  const rows = small ? [0.29, 0.5, 0.71] : [0.34, 0.5, 0.66];
  const dotR = small ? 0.085 : 0.056;
  const barH = small ? 0.11 : 0.07;
  const dotX = small ? 0.24 : 0.3;
  const barX = small ? 0.4 : 0.41;
  const ends = small ? [0.8, 0.7, 0.76] : [0.73, 0.64, 0.69];
  const dots = [hex('#3ccf6e'), hex('#3ccf6e'), hex('#f5a524')];
  const shapes = [{ inside: roundRect(m, m, 1 - m, 1 - m, corner), paint: background }];
  rows.forEach((y, i) => {
    shapes.push({ inside: circle(dotX, y, dotR), paint: dots[i] });
    shapes.push({
      inside: roundRect(barX, y - barH / 2, ends[i], y + barH / 2, barH / 2),
      paint: hex('#ffffff', 0.92),
    });
  });
  return shapes;
}

// ---------------------------------------------------------------------------------------------
// Encoders.

/** A PNG file of a size×size RGBA buffer. */
function encodePng(size, rgba) {
  const png = new PNG({ width: size, height: size, colorType: 6, inputColorType: 6, bitDepth: 8 });
  rgba.copy(png.data);
  return PNG.sync.write(png, { colorType: 6, inputHasAlpha: true, deflateLevel: 9, filterType: -1 });
}

/**
 * An ICO image entry in the classic form Windows has read since its first versions: a
 * BITMAPINFOHEADER (height doubled: colour rows, then mask rows), 32-bit BGRA rows bottom-up,
 * then a 1-bit AND mask (all zero: the alpha channel decides transparency).
 */
function encodeDib(size, rgba) {
  const header = Buffer.alloc(40);
  header.writeUInt32LE(40, 0); // header size
  header.writeInt32LE(size, 4); // width
  header.writeInt32LE(size * 2, 8); // height of colour + mask
  header.writeUInt16LE(1, 12); // planes
  header.writeUInt16LE(32, 14); // bits per pixel
  header.writeUInt32LE(0, 16); // BI_RGB
  const maskStride = Math.ceil(size / 32) * 4;
  header.writeUInt32LE(size * size * 4 + maskStride * size, 20); // image size
  const pixels = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    const from = (size - 1 - y) * size * 4; // bottom-up
    for (let x = 0; x < size; x++) {
      const s = from + x * 4;
      const d = (y * size + x) * 4;
      pixels[d] = rgba[s + 2];
      pixels[d + 1] = rgba[s + 1];
      pixels[d + 2] = rgba[s];
      pixels[d + 3] = rgba[s + 3];
    }
  }
  return Buffer.concat([header, pixels, Buffer.alloc(maskStride * size)]);
}

/**
 * An ICO file: a 6-byte header, one 16-byte directory entry per image, then the images.
 * Images up to 128 px are stored as bitmaps, 256 px as PNG (the form Windows expects for the
 * large size; a 256 px bitmap would be 256 kB).
 */
function encodeIco(images) {
  const sorted = [...images].sort((a, b) => a.size - b.size);
  const bodies = sorted.map(({ size, rgba }) => (size >= 256 ? encodePng(size, rgba) : encodeDib(size, rgba)));
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0); // reserved
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(sorted.length, 4);
  const directory = Buffer.alloc(16 * sorted.length);
  let offset = header.length + directory.length;
  sorted.forEach(({ size }, i) => {
    const e = i * 16;
    directory.writeUInt8(size >= 256 ? 0 : size, e); // 0 means 256
    directory.writeUInt8(size >= 256 ? 0 : size, e + 1);
    directory.writeUInt8(0, e + 2); // no palette
    directory.writeUInt8(0, e + 3); // reserved
    directory.writeUInt16LE(1, e + 4); // colour planes
    directory.writeUInt16LE(32, e + 6); // bits per pixel
    directory.writeUInt32LE(bodies[i].length, e + 8);
    directory.writeUInt32LE(offset, e + 12);
    offset += bodies[i].length;
  });
  return Buffer.concat([header, directory, ...bodies]);
}

// ---------------------------------------------------------------------------------------------

/** Write a file and print its name relative to the project. */
async function write(file, bytes) {
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, bytes);
  console.log(`icons: ${path.relative(process.cwd(), file)} (${bytes.length} B)`);
}

async function main() {
  await write(path.join(buildDir, 'icon.png'), encodePng(512, rasterize(512, appShapes(512))));
  await write(
    path.join(buildDir, 'icon.ico'),
    encodeIco(APP_ICO_SIZES.map((size) => ({ size, rgba: rasterize(size, appShapes(size)) }))),
  );
  for (const state of STATES) {
    const colour = trayColourShapes(state);
    const template = trayTemplateShapes(state);
    await write(path.join(trayDir, `tray-${state}.png`), encodePng(16, rasterize(16, colour)));
    await write(path.join(trayDir, `tray-${state}@2x.png`), encodePng(32, rasterize(32, colour)));
    await write(
      path.join(trayDir, `tray-${state}.ico`),
      encodeIco(TRAY_ICO_SIZES.map((size) => ({ size, rgba: rasterize(size, colour) }))),
    );
    await write(path.join(trayDir, `tray-${state}Template.png`), encodePng(16, rasterize(16, template)));
    await write(path.join(trayDir, `tray-${state}Template@2x.png`), encodePng(32, rasterize(32, template)));
  }
}

await main();
