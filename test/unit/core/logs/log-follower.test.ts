// Unit tests for LogFollower on a real file written through an append-mode descriptor: live lines, partial lines, rotation, floods.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { LogFollower, type FollowOptions } from '../../../../electron/core/logs/log-follower.js';
import type { LogLine } from '../../../../shared/status.js';
import { tempDir } from '../../../helpers/temp-dir.js';

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
