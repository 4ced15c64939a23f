// Unit tests for the search of an agent's log files on disk, on real files: rotated copies and both
// streams newest first, line numbers and times, pages that neither repeat nor skip a line (also
// across a rotation between two pages), a 50 MB file read backwards in bounded memory, regular
// expressions (bad ones refused, catastrophic ones stopped), long lines, and the client going away.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFile, chmod, mkdir, open, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AgentTrayError } from '../../../../electron/core/errors.js';
import { copyTruncate } from '../../../../electron/core/logs/rotate.js';
import { searchLogFiles, type LogSearchHooks, type LogSearchMatch, type LogSearchRequest } from '../../../../electron/core/logs/search.js';
import { leadingTime } from '../../../../electron/core/logs/search-text.js';
import { tempDir } from '../../../helpers/temp-dir.js';

interface Logs {
  dir: string;
  files: { stdout: string; stderr: string };
}

/** A logs folder for agent "a"; removed after `fn`. */
async function withLogs(fn: (logs: Logs) => Promise<void>): Promise<void> {
  const { dir, cleanup } = await tempDir('agent-tray-search-');
  const logs = path.join(dir, 'logs');
  await mkdir(logs);
  try {
    await fn({ dir: logs, files: { stdout: path.join(logs, 'a.out.log'), stderr: path.join(logs, 'a.err.log') } });
  } finally {
    await cleanup();
  }
}

/** Writes `lines` (each ended by a newline) to `file`, last written at `mtimeSec`. */
async function writeLines(file: string, lines: string[], mtimeSec: number): Promise<void> {
  await writeFile(file, lines.map((l) => `${l}\n`).join(''));
  await utimes(file, mtimeSec, mtimeSec);
}

/** A request for agent "a" with the defaults of the API. */
function request(logs: Logs, q: string, patch: Partial<LogSearchRequest> = {}): LogSearchRequest {
  return { name: 'a', files: logs.files, q, regex: false, caseSensitive: false, stream: 'all', limit: 200, ...patch };
}

/** Every match of a search, page after page until the cursor runs out; the pages are returned too. */
async function allPages(req: LogSearchRequest, hooks: LogSearchHooks = {}, between?: (page: number) => Promise<void>) {
  const matches: LogSearchMatch[] = [];
  const pages: { matches: number; scannedBytes: number; truncated: boolean }[] = [];
  let cursor = req.cursor;
  for (let page = 0; page < 10_000; page++) {
    const r = await searchLogFiles({ ...req, cursor }, hooks);
    matches.push(...r.matches);
    pages.push({ matches: r.matches.length, scannedBytes: r.scannedBytes, truncated: r.truncated });
    assert.equal(r.truncated, r.cursor !== null, 'truncated exactly when a cursor goes on');
    if (r.cursor === null) return { matches, pages };
    cursor = r.cursor;
    await between?.(page);
  }
  throw new Error('the search never ended');
}

const where = (m: LogSearchMatch) => `${m.file}:${m.line ?? '?'} ${m.text}`;

test('rotated files and both streams: newest first, with file, line number, stream, and the time a line begins with', async () => {
  await withLogs(async (logs) => {
    const { stdout, stderr } = logs.files;
    await writeLines(`${stdout}.2`, ['oldest needle', 'filler'], 1000);
    await writeLines(`${stdout}.1`, ['2024-05-01T10:00:00Z needle in .1', 'filler'], 2000);
    await writeLines(stderr, ['stderr NEEDLE', 'filler'], 2500);
    await writeLines(stdout, ['filler', '2024-05-01 12:30:00,250 needle live', 'nothing', 'Needle last'], 3000);
    const r = await searchLogFiles(request(logs, 'needle'));
    assert.deepEqual(r.matches.map(where), ['a.out.log:4 Needle last', 'a.out.log:2 2024-05-01 12:30:00,250 needle live', 'a.err.log:1 stderr NEEDLE', 'a.out.log.1:1 2024-05-01T10:00:00Z needle in .1', 'a.out.log.2:1 oldest needle']);
    assert.deepEqual(r.matches.map((m) => m.stream), ['stdout', 'stdout', 'stderr', 'stdout', 'stdout']);
    assert.equal(r.matches[3]?.ts, '2024-05-01T10:00:00.000Z');
    assert.equal(r.matches[1]?.ts, new Date(2024, 4, 1, 12, 30, 0, 250).toISOString(), 'a time without a zone is local time');
    assert.equal(r.matches[0]?.ts, null, 'lines on disk carry no time of their own');
    assert.equal(r.cursor, null);
    assert.equal(r.truncated, false);

    const sensitive = await searchLogFiles(request(logs, 'needle', { caseSensitive: true }));
    assert.deepEqual(sensitive.matches.map((m) => m.text), ['2024-05-01 12:30:00,250 needle live', '2024-05-01T10:00:00Z needle in .1', 'oldest needle']);
    const onlyStderr = await searchLogFiles(request(logs, 'needle', { stream: 'stderr' }));
    assert.deepEqual(onlyStderr.matches.map(where), ['a.err.log:1 stderr NEEDLE']);
  });
});

test('the time at the start of a line: ISO 8601 with a zone or an offset, the logger form with a comma; nothing else', () => {
  assert.equal(leadingTime('2024-05-01T10:00:00.5+02:00 x'), '2024-05-01T08:00:00.500Z');
  assert.equal(leadingTime('[2024-05-01T10:00:00Z] x'), '2024-05-01T10:00:00.000Z');
  assert.equal(leadingTime('2024-05-01T10:00:00+0200 x'), '2024-05-01T08:00:00.000Z');
  assert.equal(leadingTime('at 2024-05-01T10:00:00Z'), null);
  assert.equal(leadingTime('2024-05-01 starting'), null);
  assert.equal(leadingTime('2024-13-45T99:00:00Z x'), null);
});

test('pages of a small limit, read in tiny blocks, together give every match once, newest first, with no gap', async () => {
  await withLogs(async (logs) => {
    const { stdout, stderr } = logs.files;
    const numbered = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => (i % 3 === 0 ? `${prefix} ${i} hit` : `${prefix} ${i} miss`));
    await writeLines(`${stdout}.1`, numbered('old', 400), 1000);
    await writeLines(stderr, numbered('err', 300), 1500);
    await writeLines(stdout, numbered('new', 500), 2000);
    const expected = [
      ...numbered('new', 500).map((t, i) => `a.out.log:${i + 1} ${t}`).reverse(),
      ...numbered('err', 300).map((t, i) => `a.err.log:${i + 1} ${t}`).reverse(),
      ...numbered('old', 400).map((t, i) => `a.out.log.1:${i + 1} ${t}`).reverse(),
    ].filter((l) => l.endsWith('hit'));

    const whole = await searchLogFiles(request(logs, 'hit', { limit: 1000 }));
    assert.deepEqual(whole.matches.map(where), expected);

    for (const limits of [{ blockBytes: 64 }, { blockBytes: 100, maxBytes: 700 }, { blockBytes: 4096, maxLineBytes: 8 }]) {
      const { matches, pages } = await allPages(request(logs, 'hit', { limit: 7 }), { limits });
      if (limits.maxLineBytes) {
        // lines cut in pieces: each hit is the piece holding "hit", in the same order
        assert.deepEqual(matches.map((m) => `${m.file}:${m.line}`), expected.map((l) => l.split(' ')[0]), JSON.stringify(limits));
        continue;
      }
      if (!limits.maxBytes) assert.deepEqual(matches.map(where), expected, JSON.stringify(limits));
      assert.ok(pages.length > expected.length / 7, 'many pages');
      if (limits.maxBytes) {
        // files larger than what is left of the byte bound are not counted: no line numbers
        assert.deepEqual(matches.map((m) => `${m.file} ${m.text}`), expected.map((l) => l.replace(/:\d+ /, ' ')));
        assert.ok(pages.every((p) => p.scannedBytes <= limits.maxBytes), 'no page reads more than maxBytes');
        assert.ok(pages.some((p) => p.matches < 7 && p.truncated), 'a page can end at the byte bound with fewer matches');
      }
    }
  });
});

test('a rotation between two pages: the next page finds its place in the copy, no line twice, none skipped, new lines not mixed in', async () => {
  await withLogs(async (logs) => {
    const { stdout } = logs.files;
    const lines = Array.from({ length: 300 }, (_, i) => `line ${i} ${i % 2 === 0 ? 'even' : 'odd'}`);
    await writeLines(`${stdout}.1`, ['older even 1', 'older even 2'], 1000);
    await writeLines(stdout, lines, 2000);
    const expected = [...lines.filter((l) => l.endsWith('even')).reverse(), 'older even 2', 'older even 1'];
    const { matches } = await allPages(request(logs, 'even', { limit: 20 }), { limits: { blockBytes: 512 } }, async (page) => {
      if (page !== 1) return;
      // as the host rotates: live → .1 (by copy, then truncation), .1 → .2; then the agent writes on
      await copyTruncate(stdout, 3);
      await appendFile(stdout, 'after the rotation even\n');
    });
    assert.deepEqual(
      matches.map((m) => m.text),
      expected,
    );
    assert.ok(matches.slice(40).every((m) => m.file !== 'a.out.log'), 'after the rotation the older lines come from the copies');
  });
});

test('a rotation during a search: the read stops where the file was truncated, and the cursor goes on in the copy', async () => {
  await withLogs(async (logs) => {
    const { stdout } = logs.files;
    const lines = Array.from({ length: 3000 }, (_, i) => `line ${i} hit`);
    await writeLines(stdout, lines, 1000);
    let rotated = false;
    const first = await searchLogFiles(request(logs, 'hit', { limit: 1000 }), {
      limits: { blockBytes: 512 },
      onMatch: async () => {
        if (rotated) return;
        rotated = true;
        await copyTruncate(stdout, 3);
      },
    });
    assert.ok(first.matches.length > 0 && first.matches.length < 100, `${first.matches.length} matches before the truncation was noticed`);
    assert.equal(first.truncated, true);
    const { matches } = await allPages(request(logs, 'hit', { cursor: first.cursor ?? undefined, limit: 500 }));
    assert.deepEqual([...first.matches, ...matches].map((m) => m.text), [...lines].reverse());
    assert.ok(matches.every((m) => m.file === 'a.out.log.1'));
  });
});

test('a 50 MB file is searched backwards within the byte bound, in memory that does not grow with the file', async () => {
  await withLogs(async (logs) => {
    const { stdout } = logs.files;
    const handle = await open(stdout, 'w');
    const filler = `${'x'.repeat(92)} filler\n`; // 100 bytes
    const linesPerChunk = 10_000;
    const chunk = filler.repeat(linesPerChunk);
    const total = 50;
    for (let i = 0; i < total; i++) {
      // one match near the start of each megabyte, numbered
      await handle.write(`match ${i}\n${chunk.slice(filler.length)}`);
    }
    await handle.close();
    const size = (await stat(stdout)).size;
    assert.ok(size > 49_000_000);

    const before = process.memoryUsage().arrayBuffers;
    let peak = before;
    const sample = () => (peak = Math.max(peak, process.memoryUsage().arrayBuffers));
    const timer = setInterval(sample, 1);
    const started = Date.now();
    const r = await searchLogFiles(request(logs, 'MATCH'), { onMatch: () => void sample(), limits: { timeMs: 60_000 } });
    clearInterval(timer);
    sample();
    assert.deepEqual(r.matches.map((m) => m.text), Array.from({ length: total }, (_, i) => `match ${total - 1 - i}`));
    assert.equal(r.scannedBytes, size, 'read once, no line counting above countLinesUpTo');
    assert.ok(r.matches.every((m) => m.line === null), 'a file this large is not counted');
    assert.equal(r.cursor, null);
    assert.ok(peak - before < 8 * 1024 * 1024, `buffers grew by ${peak - before} bytes for a ${size}-byte file`);
    console.log(`# 50 MB searched in ${Date.now() - started} ms; buffers grew by ${((peak - before) / 1024).toFixed(0)} KiB`);

    // a smaller byte bound stops half-way and goes on from there
    const first = await searchLogFiles(request(logs, 'match'), { limits: { maxBytes: 20 * 1024 * 1024 } });
    assert.ok(first.scannedBytes <= 20 * 1024 * 1024 && first.scannedBytes > 19 * 1024 * 1024, String(first.scannedBytes));
    assert.equal(first.truncated, true);
    const rest = await searchLogFiles(request(logs, 'match', { cursor: first.cursor ?? undefined }), { limits: { timeMs: 60_000 } });
    assert.deepEqual([...first.matches, ...rest.matches].map((m) => m.text), r.matches.map((m) => m.text));
  });
});

test('regular expressions: matched per line, case-insensitive unless asked; a bad one is a bad-request naming it and the parser\'s reason', async () => {
  await withLogs(async (logs) => {
    await writeLines(logs.files.stdout, ['GET /a 200', 'GET /b 500', 'post /c 503', 'x'], 1000);
    const r = await searchLogFiles(request(logs, '^(get|post) \\S+ 5\\d\\d$', { regex: true }));
    assert.deepEqual(r.matches.map((m) => m.text), ['post /c 503', 'GET /b 500']);
    const sensitive = await searchLogFiles(request(logs, '^(get|post) \\S+ 5\\d\\d$', { regex: true, caseSensitive: true }));
    assert.deepEqual(sensitive.matches.map((m) => m.text), ['post /c 503']);
    const literal = await searchLogFiles(request(logs, '/[ab] 2'));
    assert.deepEqual(literal.matches, [], 'without regex the text is taken as typed');

    await assert.rejects(searchLogFiles(request(logs, 'error (code', { regex: true })), (err: unknown) => {
      assert.ok(err instanceof AgentTrayError);
      assert.equal(err.code, 'bad-request');
      assert.match(err.message, /"error \(code" is not a valid regular expression: .*Unterminated group/);
      assert.equal(err.details.pattern, 'error (code');
      return true;
    });
  });
});

test('a catastrophic pattern is stopped by the watchdog and refused; the process stays responsive meanwhile', async () => {
  await withLogs(async (logs) => {
    await writeLines(logs.files.stdout, ['fine', `${'a'.repeat(40)}b`], 1000);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const started = Date.now();
    await assert.rejects(searchLogFiles(request(logs, '(a+)+$', { regex: true }), { limits: { regexStallMs: 300 } }), (err: unknown) => {
      assert.ok(err instanceof AgentTrayError);
      assert.equal(err.code, 'bad-request');
      assert.match(err.message, /"\(a\+\)\+\$" took more than 300 ms .* backtracks too much/);
      return true;
    });
    clearInterval(timer);
    assert.ok(Date.now() - started < 5000);
    assert.ok(ticks >= 10, `timers kept running (${ticks} ticks)`);
  });
});

test('long lines are searched in pieces, escape codes and carriage returns as the window shows them; CRLF is cut', async () => {
  await withLogs(async (logs) => {
    const long = `start ${'y'.repeat(100_000)} middle-needle ${'z'.repeat(100_000)} end`;
    await writeFile(logs.files.stdout, `before\r\n${long}\n\x1b[31mERR\x1b[0mOR colour\r\nprogress 10%\rprogress 100% done\n`);
    const r = await searchLogFiles(request(logs, 'middle-needle'), { limits: { maxLineBytes: 16 * 1024 } });
    assert.equal(r.matches.length, 1);
    assert.equal(r.matches[0]?.line, 2);
    assert.ok(r.matches[0]!.text.includes('middle-needle') && r.matches[0]!.text.length <= 16 * 1024, 'the piece that matched');
    const colour = await searchLogFiles(request(logs, 'error colour'));
    assert.deepEqual(colour.matches.map((m) => m.text), ['\x1b[31mERR\x1b[0mOR colour'], 'matched without the codes, answered as written, CR cut');
    assert.deepEqual((await searchLogFiles(request(logs, '10%'))).matches, [], 'what a progress bar overwrote is not shown, so not found');
    assert.deepEqual((await searchLogFiles(request(logs, 'before'))).matches.map((m) => m.text), ['before']);
  });
});

test('an aborted search stops reading and returns what it found with a cursor', async () => {
  await withLogs(async (logs) => {
    await writeLines(logs.files.stdout, Array.from({ length: 20_000 }, (_, i) => `line ${i} hit`), 1000);
    const controller = new AbortController();
    const r = await searchLogFiles(request(logs, 'hit'), { signal: controller.signal, onMatch: () => controller.abort(), limits: { blockBytes: 4096, countLinesUpTo: 0 } });
    assert.deepEqual(r.matches.map((m) => m.text), ['line 19999 hit']);
    assert.ok(r.cursor);
    assert.ok(r.scannedBytes < 64 * 1024, `read ${r.scannedBytes} bytes`);
    const next = await searchLogFiles(request(logs, 'hit', { cursor: r.cursor, limit: 2 }));
    assert.deepEqual(next.matches.map((m) => m.text), ['line 19998 hit', 'line 19997 hit']);
  });
});

test('a cursor of another agent or stream, or not a cursor at all, is a bad-request; no files is no matches', async () => {
  await withLogs(async (logs) => {
    const none = await searchLogFiles(request(logs, 'x'));
    assert.deepEqual(none, { matches: [], cursor: null, scannedBytes: 0, truncated: false });
    await writeLines(logs.files.stdout, ['x 1', 'x 2', 'x 3'], 1000);
    const page = await searchLogFiles(request(logs, 'x', { limit: 1 }));
    assert.ok(page.cursor);
    const refused = async (patch: Partial<LogSearchRequest>, message: RegExp) =>
      assert.rejects(searchLogFiles(request(logs, 'x', patch)), (err: unknown) => err instanceof AgentTrayError && err.code === 'bad-request' && message.test(err.message));
    await refused({ cursor: 'not-a-cursor' }, /not one that a log search gave out/);
    await refused({ cursor: page.cursor.slice(0, -6) }, /not one that a log search gave out/);
    await refused({ cursor: page.cursor, name: 'b' }, /agent "a" \(stream all\), not of "b"/);
    await refused({ cursor: page.cursor, stream: 'stdout' }, /stream all\), not of "a" \(stream stdout\)/);
  });
});

test('a log file the user may not read is a permission-denied naming it', { skip: process.getuid?.() === 0 ? 'root reads any file' : false }, async () => {
  await withLogs(async (logs) => {
    await writeLines(logs.files.stdout, ['secret hit'], 1000);
    await chmod(logs.files.stdout, 0o000);
    await assert.rejects(searchLogFiles(request(logs, 'hit')), (err: unknown) => {
      assert.ok(err instanceof AgentTrayError);
      assert.equal(err.code, 'permission-denied');
      assert.ok(err.message.includes(logs.files.stdout), err.message);
      return true;
    });
  });
});
