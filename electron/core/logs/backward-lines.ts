// A log file read backwards, newest line first, one block at a time: a file of any size costs one
// block of memory plus one line, never a read of the whole file. A line longer than the limit is
// handed out in pieces cut from its end, so that an endless line (a progress bar without newlines)
// neither grows memory nor stops the reader from getting past it.
import type { FileHandle } from 'node:fs/promises';

const NEWLINE = 0x0a;

export interface BackwardOptions {
  /** Bytes read per block. */
  blockBytes: number;
  /** A line longer than this (in bytes) is handed out in pieces of at most this many. */
  maxLineBytes: number;
}

/** One line, or one piece of a long line: bytes [start, end) of the batch's buffer, without its newline. */
export interface LineRecord {
  start: number;
  end: number;
  /** Newlines between this record's start and the batch's `to`: the line number is the count of newlines before `to`, minus this, plus one. */
  newlinesAfter: number;
}

/** The lines one block completed. */
export interface LineBatch {
  /** The bytes the records are in; `bytes[0]` is the file's byte `at`. */
  bytes: Buffer;
  at: number;
  /** The batch covers the file's bytes [from, to): every byte at `to` or later was handed out before. */
  from: number;
  to: number;
  /** Newest first. */
  records: LineRecord[];
  /** Newlines in [from, to). */
  newlines: number;
  /** Bytes read from the file for this batch. */
  read: number;
}

/** The file became shorter than the part being read (rotated: truncated after its copy). */
export class FileShrankError extends Error {
  constructor(readonly file: string) {
    super(`${file} was truncated while it was being read`);
  }
}

/** Where the pieces of bytes [start, end) begin, cut from the end every `max` bytes (never inside a UTF-8 character); highest first. */
function pieceStarts(buf: Buffer, start: number, end: number, max: number): number[] {
  const cuts: number[] = [];
  let e = end;
  while (e - start > max) {
    let c = e - max;
    while (c < e && ((buf[c] ?? 0) & 0xc0) === 0x80) c++;
    if (c >= e) c = e - max;
    cuts.push(c);
    e = c;
  }
  return cuts;
}

/**
 * The records of `buf` (the file's bytes [at, at + buf.length)) that are complete: every line that
 * begins inside it (all of them when `at` is 0), and the pieces of the first, unfinished line past
 * its head. Newest first, with how many newlines follow each one's start.
 */
function completeRecords(buf: Buffer, at: number, max: number): LineRecord[] {
  const records: LineRecord[] = [];
  let segEnd = buf.length;
  let newlines = 0;
  let last = true;
  const push = (start: number, end: number) => {
    let e = end;
    for (const c of pieceStarts(buf, start, end, max)) {
      records.push({ start: c, end: e, newlinesAfter: newlines });
      e = c;
    }
    return e;
  };
  for (;;) {
    const nl = segEnd > 0 ? buf.lastIndexOf(NEWLINE, segEnd - 1) : -1;
    if (nl === -1 && at > 0) {
      // the line that ends here began before the buffer: only its pieces beyond one head are complete
      push(0, segEnd);
      return records;
    }
    const start = nl + 1;
    // nothing after the last newline is no line (a file that ends with one, or a line handed out before)
    if (!(last && start === segEnd)) records.push({ start, end: push(start, segEnd), newlinesAfter: newlines });
    last = false;
    if (nl === -1) return records;
    newlines++;
    segEnd = nl;
  }
}

/**
 * The lines of the file's bytes [0, end), newest first, in batches of one block each. One buffer
 * serves the whole file: a batch's `bytes` are valid until the next batch is asked for.
 */
export async function* linesBackward(handle: FileHandle, file: string, end: number, opts: BackwardOptions): AsyncGenerator<LineBatch> {
  // the unfinished line carried from block to block is at most maxLineBytes and its newline
  const work = Buffer.allocUnsafe(opts.blockBytes + opts.maxLineBytes + 1);
  const top = work.length;
  let pos = end; // the lowest byte read
  let to = end; // every byte from here on was handed out
  let kept = 0; // the bytes [pos, to), at the top of `work`
  let read = 0;
  while (to > 0) {
    if (pos > 0) {
      const length = Math.min(opts.blockBytes, pos);
      const { bytesRead } = await handle.read(work, top - kept - length, length, pos - length);
      if (bytesRead < length) throw new FileShrankError(file);
      pos -= length;
      kept += length;
      read += length;
    }
    const bytes = work.subarray(top - kept, top);
    const records = completeRecords(bytes, pos, opts.maxLineBytes);
    const oldest = records.at(-1);
    if (!oldest) continue; // the head of a long line: read on
    // every newline counted before the oldest record was pushed lies between its start and `to`
    const from = pos + oldest.start;
    yield { bytes, at: pos, from, to, records, newlines: oldest.newlinesAfter, read };
    read = 0;
    // what is left is the start of an unfinished line: moved to the top for the next block to go under
    const left = from - pos;
    work.copy(work, top - left, top - kept, top - kept + left);
    kept = left;
    to = from;
  }
}
