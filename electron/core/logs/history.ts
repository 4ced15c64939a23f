// The lines a log file already holds, for an agent taken back after a restart: the tail of the file
// (and of its newest rotated copy when the file holds too few), read backwards from the end in
// blocks, so a multi-gigabyte log costs a few reads, never a read of the whole file.
import { open } from 'node:fs/promises';
import type { LogLine, LogStream } from '../../../shared/status.js';
import { LineSplitter } from './line-splitter.js';
import { rotatedName } from './rotate.js';

const BLOCK = 64 * 1024;
/** Never read more than this of one file, however long its lines. */
const MAX_TAIL_BYTES = 4 * 1024 * 1024;
const NEWLINE = 0x0a;

/** The end of a file from the start of a line: at least `lines` newlines (or the whole file), at most `maxBytes`. */
export interface TailBytes {
  bytes: Buffer;
  /** Where `bytes` begin in the file: 0, or just after a newline. */
  start: number;
  mtimeMs: number;
}

/** The last bytes of `path` that hold its last `lines` lines (with a trailing partial line); null when there is no such file. */
export async function tailBytes(path: string, lines: number, maxBytes = MAX_TAIL_BYTES): Promise<TailBytes | null> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch {
    return null;
  }
  try {
    const { size, mtimeMs } = await handle.stat();
    const blocks: Buffer[] = [];
    let pos = size;
    let newlines = 0;
    // one newline more than lines: the one that ends the line before the first wanted one
    while (pos > 0 && newlines <= lines && size - pos < maxBytes) {
      const length = Math.min(BLOCK, pos, maxBytes - (size - pos));
      pos -= length;
      const block = Buffer.allocUnsafe(length);
      const { bytesRead } = await handle.read(block, 0, length, pos);
      const got = block.subarray(0, bytesRead);
      for (let i = 0; i < got.length; i++) if (got[i] === NEWLINE) newlines++;
      blocks.unshift(got);
    }
    let bytes = Buffer.concat(blocks);
    let start = pos;
    if (start > 0) {
      // the first bytes are the end of a line that began before them: drop them
      const nl = bytes.indexOf(NEWLINE);
      bytes = nl === -1 ? Buffer.alloc(0) : bytes.subarray(nl + 1);
      start = nl === -1 ? size : start + nl + 1;
    }
    return { bytes, start, mtimeMs };
  } finally {
    await handle.close();
  }
}

/** What one stream's files already hold: its last lines, and where following should begin. */
export interface StreamHistory {
  lines: LogLine[];
  /** The offset just after the last complete line of the live file: a partial line is left to the follower. */
  end: number | undefined;
}

/**
 * The last `maxLines` lines of a stream's log file, completed from its newest rotated copy when the
 * file holds fewer. Each line carries the time its file was last written (not later than `now`):
 * when a line was written is not recorded anywhere, only the order within the file.
 */
export async function readStreamHistory(path: string, stream: LogStream, maxLines: number, keep: number, now: number): Promise<StreamHistory> {
  const live = await tailBytes(path, maxLines);
  if (!live) return { lines: [], end: undefined };
  const lastNl = live.bytes.lastIndexOf(NEWLINE);
  const complete = live.bytes.subarray(0, lastNl + 1);
  const end = live.start + complete.length;
  const splitter = new LineSplitter();
  const out: LogLine[] = [];
  const add = (texts: string[], mtimeMs: number) => {
    const at = Math.min(Math.floor(mtimeMs), now);
    for (const text of texts) out.push({ stream, at, text });
  };
  const liveLines = countLines(complete);
  if (live.start === 0 && liveLines < maxLines && keep >= 1) {
    // the live file began after a rotation: the lines before it are in .1, the last one perhaps cut by the truncation
    const older = await tailBytes(rotatedName(path, 1), maxLines - liveLines);
    if (older) add(splitter.push(older.bytes), Math.min(older.mtimeMs, live.mtimeMs));
  }
  add(splitter.push(complete), live.mtimeMs);
  return { lines: out.slice(-maxLines), end };
}

/** The newlines in `bytes`. */
function countLines(bytes: Buffer): number {
  let n = 0;
  for (let i = bytes.indexOf(NEWLINE); i !== -1; i = bytes.indexOf(NEWLINE, i + 1)) n++;
  return n;
}

/**
 * Both streams' history merged into one order: by the time each file was last written, stdout
 * first where equal. Which stream's line came first within that time is not known: the agent
 * wrote two files independently.
 */
export function mergeHistories(stdout: readonly LogLine[], stderr: readonly LogLine[]): LogLine[] {
  const out: LogLine[] = [];
  let i = 0;
  let j = 0;
  while (i < stdout.length || j < stderr.length) {
    const a = stdout[i];
    const b = stderr[j];
    if (a && (!b || a.at <= b.at)) {
      out.push(a);
      i++;
    } else if (b) {
      out.push(b);
      j++;
    }
  }
  return out;
}
