// Unit tests for AgentOutput on real files: one order across stdout and stderr, history read back on
// adoption, failed rotations counted and reported, private log files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { closeSync, mkdirSync, statSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { open, truncate } from 'node:fs/promises';
import path from 'node:path';
import { AgentOutput, type OutputOptions } from '../../../../electron/core/logs/agent-output.js';
import { AgentTrayError } from '../../../../electron/core/errors.js';
import type { LogLine } from '../../../../shared/status.js';
import { tempDir } from '../../../helpers/temp-dir.js';

interface Setup {
  dir: string;
  files: { stdout: string; stderr: string };
  output: AgentOutput;
  emitted: LogLine[];
}

/** An AgentOutput over two log files in a fresh folder; closed and removed after `fn`. */
async function withOutput(opts: Partial<OutputOptions>, fn: (s: Setup) => Promise<void>): Promise<void> {
  const { dir, cleanup } = await tempDir();
  const files = { stdout: path.join(dir, 'logs', 'a.out.log'), stderr: path.join(dir, 'logs', 'a.err.log') };
  const emitted: LogLine[] = [];
  const output = new AgentOutput({ files, ringLines: 1000, maxBytes: 0, keep: 2, onLines: (l) => emitted.push(...l), ...opts });
  try {
    await fn({ dir, files, output, emitted });
  } finally {
    await output.close();
    await cleanup();
  }
}

const texts = (lines: LogLine[]) => lines.map((l) => l.text);

test('lines of both streams come back in the order they were read, also many within one millisecond, and limit cuts that order', async () => {
  await withOutput({}, async ({ output }) => {
    const { stdoutFd, stderrFd } = output.openForChild();
    try {
      await output.follow();
      const expected: string[] = [];
      for (let n = 1; n <= 200; n++) {
        // odd lines on stderr first: at equal times a sort by time would put stdout's lines first
        writeSync(n % 2 === 1 ? stderrFd : stdoutFd, `n ${n}\n`);
        await output.drain();
        expected.push(`n ${n}`);
      }
      assert.deepEqual(texts(output.recent('both', 1000)), expected);
      assert.deepEqual(texts(output.recent('both', 7)), expected.slice(-7));
      assert.deepEqual(texts(output.recent('stderr', 3)), ['n 195', 'n 197', 'n 199']);
      assert.deepEqual(output.recent('both', 0), []);
    } finally {
      closeSync(stdoutFd);
      closeSync(stderrFd);
    }
  });
});

test('the newest lines of both streams are kept whole when one stream is much busier', async () => {
  await withOutput({ ringLines: 10 }, async ({ output }) => {
    const { stdoutFd, stderrFd } = output.openForChild();
    try {
      await output.follow();
      writeSync(stderrFd, 'early error\n');
      await output.drain();
      for (let n = 1; n <= 30; n++) writeSync(stdoutFd, `out ${n}\n`);
      await output.drain();
      writeSync(stderrFd, 'late error\n');
      await output.drain();
      assert.deepEqual(texts(output.recent('both', 3)), ['out 29', 'out 30', 'late error']);
      // the stderr ring still holds its old line, but it is older than every stdout line kept
      assert.deepEqual(texts(output.recent('both', 12)), ['early error', ...Array.from({ length: 10 }, (_, i) => `out ${21 + i}`), 'late error']);
    } finally {
      closeSync(stdoutFd);
      closeSync(stderrFd);
    }
  });
});

test('log files are created private (0600) in a private folder', { skip: process.platform === 'win32' && 'POSIX modes' }, async () => {
  await withOutput({}, async ({ files, output }) => {
    const old = process.umask(0o022); // the usual umask: it must not be what makes them private
    let fds;
    try {
      fds = output.openForChild();
    } finally {
      process.umask(old);
    }
    closeSync(fds.stdoutFd);
    closeSync(fds.stderrFd);
    assert.equal(statSync(files.stdout).mode & 0o777, 0o600);
    assert.equal(statSync(files.stderr).mode & 0o777, 0o600);
    assert.equal(statSync(path.dirname(files.stdout)).mode & 0o777, 0o700);
  });
});

test('with history, the lines the files already hold fill the rings (not reported as new), and following goes on after them', async () => {
  await withOutput({}, async ({ files, output, emitted }) => {
    mkdirSync(path.dirname(files.stdout), { recursive: true });
    writeFileSync(files.stdout, 'out 1\nout 2\nout 3 is still being writ');
    writeFileSync(files.stderr, 'err 1\n');
    const outTime = new Date('2025-03-01T10:00:02Z');
    const errTime = new Date('2025-03-01T10:00:01Z');
    utimesSync(files.stdout, outTime, outTime);
    utimesSync(files.stderr, errTime, errTime);

    await output.follow({ history: true });
    assert.deepEqual(emitted, [], 'history is not news');
    // stderr's file was last written before stdout's: its line comes first
    assert.deepEqual(
      output.recent('both', 100).map((l) => [l.stream, l.text, l.at]),
      [
        ['stderr', 'err 1', errTime.getTime()],
        ['stdout', 'out 1', outTime.getTime()],
        ['stdout', 'out 2', outTime.getTime()],
      ],
    );

    // the partial line is completed by the follower; nothing is read twice
    const writer = await open(files.stdout, 'a');
    try {
      await writer.write('ten\nout 4\n');
      await output.drain();
    } finally {
      await writer.close();
    }
    assert.deepEqual(texts(emitted), ['out 3 is still being written', 'out 4']);
    assert.deepEqual(texts(output.recent('stdout', 100)), ['out 1', 'out 2', 'out 3 is still being written', 'out 4']);
  });
});

test('history takes the last ringLines lines, completed from the newest rotated copy when the file holds fewer', async () => {
  await withOutput({ ringLines: 5, keep: 3 }, async ({ files, output }) => {
    mkdirSync(path.dirname(files.stdout), { recursive: true });
    writeFileSync(`${files.stdout}.2`, 'oldest\n');
    // the truncation cut "line 4" in two: its start is in .1, its end in the live file
    writeFileSync(`${files.stdout}.1`, 'line 1\nline 2\nline 3\nli');
    writeFileSync(files.stdout, 'ne 4\nline 5\nline 6\n');
    writeFileSync(files.stderr, Array.from({ length: 50 }, (_, i) => `err ${i + 1}`).join('\n') + '\n');
    await output.follow({ history: true });
    assert.deepEqual(texts(output.recent('stdout', 100)), ['line 2', 'line 3', 'line 4', 'line 5', 'line 6']);
    assert.deepEqual(texts(output.recent('stderr', 100)), ['err 46', 'err 47', 'err 48', 'err 49', 'err 50']);
  });
});

test('history reads only the end of a huge file', async () => {
  await withOutput({ ringLines: 3 }, async ({ files, output }) => {
    mkdirSync(path.dirname(files.stdout), { recursive: true });
    writeFileSync(files.stderr, '');
    writeFileSync(files.stdout, '');
    await truncate(files.stdout, 8 * 1024 ** 3); // 8 GiB, sparse: reading it all would take minutes
    const writer = await open(files.stdout, 'a');
    await writer.write('\nfirst\nsecond\nthird\nfourth\n');
    await writer.close();
    const started = performance.now();
    await output.follow({ history: true });
    const ms = performance.now() - started;
    assert.deepEqual(texts(output.recent('both', 100)), ['second', 'third', 'fourth']);
    assert.ok(ms < 2_000, `took ${ms.toFixed(0)} ms`);
  });
});

test('a rotation that fails is counted and reported as an AgentTrayError naming the file; following goes on, no retry before rotateRetryMs', async () => {
  const reported: { err: AgentTrayError; file: string }[] = [];
  await withOutput({ maxBytes: 100, keep: 2, rotateRetryMs: 50, onIoError: (err, file) => reported.push({ err, file }) }, async ({ files, output }) => {
    const { stdoutFd, stderrFd } = output.openForChild();
    try {
      // a directory where the copy must go: copying fails (EISDIR) whoever runs the test, root included
      mkdirSync(`${files.stdout}.rotating/blocker`, { recursive: true });
      await output.follow();
      writeSync(stdoutFd, 'x'.repeat(150) + '\n');
      await output.drain();
      assert.equal(output.writeFailures, 1);
      assert.equal(reported.length, 1);
      assert.ok(reported[0]!.err instanceof AgentTrayError);
      assert.equal(reported[0]!.file, files.stdout);
      assert.match(reported[0]!.err.message, new RegExp(`Could not rotate ${files.stdout.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
      assert.equal(statSync(files.stdout).size, 151, 'the file is left as it was');

      writeSync(stdoutFd, 'still followed\n');
      await output.drain();
      assert.equal(texts(output.recent('stdout', 1))[0], 'still followed');
      assert.equal(output.writeFailures, 1, 'not retried before rotateRetryMs');
    } finally {
      closeSync(stdoutFd);
      closeSync(stderrFd);
    }
  });
});
