// Unit tests for LogFollower on a real file written through an append-mode descriptor: live lines, partial lines, rotation
// (by size, across a cut line, failed and retried), floods.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, existsSync, openSync, writeSync } from 'node:fs';
import { mkdir, open, readFile, readdir, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { LogFollower, type FollowOptions } from '../../../../electron/core/logs/log-follower.js';
import type { LogLine } from '../../../../shared/status.js';
import { tempDir } from '../../../helpers/temp-dir.js';
import { waitFor } from '../../../helpers/wait.js';

interface Setup {
  file: string;
  writer: FileHandle;
  follower: LogFollower;
  lines: LogLine[];
  texts: () => string[];
}

/** A log file with an append-mode writer and a follower (not started), all closed and removed after `fn`. */
async function withFollower(opts: Partial<FollowOptions>, fn: (s: Setup) => Promise<void>): Promise<void> {
  const { dir, cleanup } = await tempDir();
  const file = path.join(dir, 'agent.out.log');
  const writer = await open(file, 'a');
  const lines: LogLine[] = [];
  const follower = new LogFollower({ path: file, stream: 'stdout', onLines: (l) => lines.push(...l), maxBytes: 0, keep: 2, ...opts });
  try {
    await fn({ file, writer, follower, lines, texts: () => lines.map((l) => l.text) });
  } finally {
    await follower.close();
    await writer.close();
    await cleanup();
  }
}

test('start() from the end skips old content; appended lines arrive with stream and time', async () => {
  await withFollower({ stream: 'stderr', now: () => 1234 }, async ({ writer, follower, lines, texts }) => {
    await writer.write('old 1\nold 2\n');
    await follower.start();
    await follower.drain();
    assert.deepEqual(lines, []);
    await writer.write('new 1\nnew 2\n');
    await follower.drain();
    assert.deepEqual(texts(), ['new 1', 'new 2']);
    assert.deepEqual(lines[0], { stream: 'stderr', at: 1234, text: 'new 1' });
    await writer.write('new 3\n');
    await follower.drain();
    assert.deepEqual(texts(), ['new 1', 'new 2', 'new 3']);
  });
});

test('start(0) reads the file from its beginning', async () => {
  await withFollower({}, async ({ writer, follower, texts }) => {
    await writer.write('first\nsecond\n');
    await follower.start(0);
    await follower.drain();
    assert.deepEqual(texts(), ['first', 'second']);
  });
});

test('a partial line is held until its newline, and close() emits an unterminated last line', async () => {
  await withFollower({}, async ({ writer, follower, texts }) => {
    await follower.start();
    await writer.write('abc');
    await follower.drain();
    assert.deepEqual(texts(), []);
    await writer.write('def\nghi');
    await follower.drain();
    assert.deepEqual(texts(), ['abcdef']);
    await follower.close();
    assert.deepEqual(texts(), ['abcdef', 'ghi']);
  });
});

test('rotates when the file passes maxBytes and keeps reading what is written after', async () => {
  await withFollower({ maxBytes: 100, keep: 2 }, async ({ file, writer, follower, texts }) => {
    await follower.start();
    const first = Array.from({ length: 15 }, (_, i) => `line ${String(i).padStart(2, '0')} padding\n`).join('');
    assert.ok(first.length > 100);
    await writer.write(first);
    await follower.drain();
    assert.equal(texts().length, 15);
    assert.equal(await readFile(`${file}.1`, 'utf8'), first, 'the rotated copy holds what was written');
    assert.equal((await stat(file)).size, 0);

    await writer.write('after 1\nafter 2\n');
    await follower.drain();
    assert.deepEqual(texts().slice(15), ['after 1', 'after 2']);
    assert.equal(await readFile(file, 'utf8'), 'after 1\nafter 2\n');
  });
});

test('a backlog beyond maxBacklogBytes is skipped with one notice, then only whole lines follow', async () => {
  await withFollower({ maxBacklogBytes: 200 }, async ({ file, writer, follower, texts }) => {
    await follower.start();
    const flood = Array.from({ length: 100 }, (_, i) => `line ${String(i).padStart(4, '0')} x\n`).join(''); // 12 bytes a line
    await writer.write(flood); // one write, so the follower sees all of it at once
    await follower.drain();
    const [notice, ...rest] = texts();
    assert.match(notice ?? '', /^\[agent-tray\] output too fast.*skipped \d+ bytes/);
    assert.ok(notice?.includes(file), 'the notice says where every line is');
    const skipped = Number(/skipped (\d+) bytes/.exec(notice ?? '')?.[1]);
    assert.ok(skipped > 0 && skipped < flood.length);
    assert.ok(rest.length > 0 && rest.length <= 200 / 12, `${rest.length} lines after the notice`);
    rest.forEach((line, i) => assert.equal(line, `line ${String(100 - rest.length + i).padStart(4, '0')} x`));

    await writer.write('calm again\n');
    await follower.drain();
    assert.equal(texts().filter((t) => t.startsWith('[agent-tray]')).length, 1);
    assert.equal(texts().at(-1), 'calm again');
  });
});

test('appended lines arrive through the change notification, without waiting for the poll', { skip: process.platform === 'win32' && 'Windows polls' }, async () => {
  // an hour-long poll: only fs.watch can deliver these lines before the test's own timeout
  await withFollower({ pollMs: 3_600_000 }, async ({ writer, follower, texts }) => {
    await follower.start();
    let resolveArrived!: () => void;
    const arrived = new Promise<void>((resolve) => (resolveArrived = resolve));
    const check = setInterval(() => texts().includes('via notification') && resolveArrived(), 10);
    try {
      await writer.write('via notification\n');
      await Promise.race([arrived, new Promise((_, reject) => setTimeout(() => reject(new Error(`no line after 10 s; got ${JSON.stringify(texts())}`)), 10_000).unref())]);
    } finally {
      clearInterval(check);
    }
    assert.deepEqual(texts(), ['via notification']);
  });
});

test('a large backlog is read in bounded chunks and every line arrives once, in order', async () => {
  await withFollower({}, async ({ writer, follower, texts }) => {
    await follower.start();
    const expected = Array.from({ length: 40_000 }, (_, i) => `line ${i} ${'x'.repeat(20)}`); // ~1.2 MB, several 256 KiB reads
    await writer.write(expected.join('\n') + '\n');
    await follower.drain();
    assert.equal(texts().length, expected.length);
    assert.deepEqual(texts(), expected);
  });
});

test('a flood under the backlog limit arrives whole, read in several turns of the event loop', async () => {
  await withFollower({}, async ({ writer, follower, texts }) => {
    const expected = Array.from({ length: 200_000 }, (_, i) => `flood ${String(i).padStart(6, '0')} ${'y'.repeat(16)}`); // ~6 MB, under the 8 MiB backlog limit
    await writer.write(expected.join('\n') + '\n');
    let turns = 0;
    const ticker = setInterval(() => turns++, 0);
    try {
      await follower.start(0);
      await follower.drain();
    } finally {
      clearInterval(ticker);
    }
    assert.equal(texts().length, expected.length);
    assert.equal(texts()[0], expected[0]);
    assert.equal(texts().at(-1), expected.at(-1));
    assert.ok(texts().every((t, i) => t === expected[i]));
    assert.ok(turns > 0, 'the event loop turned while the flood was read');
  });
});

test('a line the rotation cuts in two arrives whole', async () => {
  await withFollower({ maxBytes: 100, keep: 2 }, async ({ file, writer, follower, texts }) => {
    await follower.start();
    await writer.write('a'.repeat(120) + '\nthe start of a line, ');
    await follower.drain();
    assert.equal((await stat(file)).size, 0, 'rotated');
    assert.match(await readFile(`${file}.1`, 'utf8'), /the start of a line, $/);
    await writer.write('and its end\n');
    await follower.drain();
    assert.deepEqual(texts(), ['a'.repeat(120), 'the start of a line, and its end']);
  });
});

test('lines written just before a rotation and not read yet still arrive, from the copy', async () => {
  await withFollower({ maxBytes: 1000, keep: 2 }, async ({ file, writer, follower, texts }) => {
    await follower.start();
    const lines = Array.from({ length: 110 }, (_, i) => `line ${String(i).padStart(3, '0')}`); // 990 bytes
    await writer.write(lines.join('\n') + '\n');
    await follower.drain();
    assert.equal(texts().length, 110);
    await writer.write('over the limit\n'); // the file is now past maxBytes, these bytes not yet read
    await follower.drain();
    assert.deepEqual(texts().slice(-2), ['line 109', 'over the limit']);
    assert.equal((await readFile(`${file}.1`, 'utf8')).split('\n').at(-2), 'over the limit');
    assert.equal((await stat(file)).size, 0);
  });
});

test('a failed rotation is reported; the file keeps growing, every line arrives, and the rotation is tried again later', async () => {
  const failures: { err: NodeJS.ErrnoException; file: string }[] = [];
  await withFollower(
    { maxBytes: 100, keep: 2, pollMs: 20, rotateRetryMs: 1_500, onIoError: (err, f) => failures.push({ err: err as NodeJS.ErrnoException, file: f }) },
    async ({ file, writer, follower, texts }) => {
      const blocker = path.join(`${file}.rotating`, 'blocker');
      await mkdir(blocker, { recursive: true }); // the copy cannot be written: EISDIR, also for root
      await follower.start();
      await writer.write('x'.repeat(150) + '\n');
      await follower.drain();
      assert.deepEqual(failures.map((f) => [f.err.code, f.file]), [['EISDIR', file]]);
      await writer.write('after the failure\n');
      await follower.drain();
      assert.equal(texts().at(-1), 'after the failure');
      assert.equal((await stat(file)).size, 151 + 18, 'nothing was truncated');
      assert.equal(failures.length, 1, 'no retry before rotateRetryMs');

      await rm(`${file}.rotating`, { recursive: true });
      await waitFor(() => existsSync(`${file}.1`), 5_000, 'the rotation to be tried again');
      await follower.drain();
      assert.equal(await readFile(`${file}.1`, 'utf8'), 'x'.repeat(150) + '\nafter the failure\n');
      assert.equal((await stat(file)).size, 0);
      await writer.write('after the rotation\n');
      await follower.drain();
      assert.deepEqual(texts(), ['x'.repeat(150), 'after the failure', 'after the rotation']);
      assert.equal(failures.length, 1);
    },
  );
});

test('a writer faster than the reader: the file is rotated when it is found past maxBytes, not when the reader gets there', async () => {
  // after each turn of the event loop in which the follower handed over lines, the writer appends a
  // burst, more than one turn reads: the reader falls ever further behind, as it does in a flood
  const maxBytes = 1024 * 1024;
  const burst = Buffer.from(Array.from({ length: 6_000 }, (_, i) => `${String(i).padStart(99, '.')}\n`).join('')); // 600 KB
  const bursts = 30;
  let written = 0;
  let fd = -1;
  let queued = false;
  const write = () => {
    queued = false;
    if (written >= bursts) return;
    writeSync(fd, burst);
    written++;
  };
  const onLines = () => {
    if (!queued) setImmediate(write);
    queued = true;
  };
  await withFollower({ maxBytes, keep: bursts * 2, onLines }, async ({ file, follower }) => {
    fd = openSync(file, 'a');
    try {
      await follower.start();
      write();
      await waitFor(async () => {
        const before = written;
        await follower.drain();
        if (written === before && !queued) write(); // nothing was handed over (lines lost at a rotation?): go on all the same
        return written === bursts;
      }, 30_000, 'every burst to be written');
      await follower.drain();
    } finally {
      closeSync(fd);
    }
    const dir = path.dirname(file);
    const copies = (await readdir(dir)).filter((f) => /\.log\.\d+$/.test(f));
    const sizes = await Promise.all(copies.map(async (f) => (await stat(path.join(dir, f))).size));
    const live = (await stat(file)).size;
    assert.equal(sizes.reduce((a, b) => a + b, 0) + live, bursts * burst.length, 'every byte is in one of the files');
    // rotated at the first look that finds it past maxBytes (one burst at most after the one that crossed
    // the limit), truncated before the next burst is written
    for (const size of [...sizes, live]) assert.ok(size <= maxBytes + 2 * burst.length, `a file of ${size} bytes against a limit of ${maxBytes}: ${sizes.join(', ')}`);
  });
});
