// Search of one agent's log files on disk: the live files and their rotated copies, both streams,
// newest line first, each file read backwards in blocks. Bounded per request: at most `limit`
// matches, about `maxBytes` read and `timeMs` spent; a cursor goes on with older lines.
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { LogStream } from '../../../shared/status.js';
import { fileError } from '../io-errors.js';
import { FileShrankError, linesBackward, type LineBatch } from './backward-lines.js';
import { lineMatcher, type LineMatcher } from './line-matcher.js';
import { anchorIn, decodeCursor, encodeCursor, locate, planFiles, type PendingFile } from './search-files.js';
import { leadingTime, searchableLine, withoutEscapes } from './search-text.js';

export interface LogSearchLimits {
  /** Bytes read per request, at most (line counting included). */
  maxBytes: number;
  /** Time per request (ms); checked after each block. */
  timeMs: number;
  /** Bytes per read. */
  blockBytes: number;
  /** A longer line is searched (and answered) in pieces of this many bytes. */
  maxLineBytes: number;
  /** How long one block may take in the regex worker before the pattern is refused (ms). */
  regexStallMs: number;
  /** Files up to this size get their lines counted (one forward read), for line numbers. */
  countLinesUpTo: number;
}

export const LOG_SEARCH_LIMITS: LogSearchLimits = {
  maxBytes: 64 * 1024 * 1024,
  timeMs: 3000,
  blockBytes: 256 * 1024,
  maxLineBytes: 16 * 1024,
  regexStallMs: 2000,
  countLinesUpTo: 16 * 1024 * 1024,
};

export type SearchStreams = LogStream | 'all';

export interface LogSearchRequest {
  /** The agent (the cursor is tied to it). */
  name: string;
  files: Record<LogStream, string>;
  q: string;
  regex: boolean;
  caseSensitive: boolean;
  stream: SearchStreams;
  limit: number;
  cursor?: string | undefined;
}

export interface LogSearchMatch {
  /** The time the line begins with (ISO 8601), or null: lines on disk carry none of their own. */
  ts: string | null;
  stream: LogStream;
  /** The line as written (a longer line: the piece that matched). */
  text: string;
  /** The file's name in the logs folder. */
  file: string;
  /** 1-based line number in that file; null where the file was not counted (large files). */
  line: number | null;
}

export interface LogSearchResult {
  /** Newest first. */
  matches: LogSearchMatch[];
  /** Goes on with older lines; null when every file was searched to its start. */
  cursor: string | null;
  scannedBytes: number;
  /** The search stopped at a bound (limit, bytes, time) with lines still to look at: `cursor` goes on. */
  truncated: boolean;
}

export interface LogSearchHooks {
  /** Each match as it is found (a streaming answer); a promise holds the search until it settles (backpressure). */
  onMatch?: (match: LogSearchMatch) => void | Promise<void>;
  /** Stops the search (the client went away); what was found so far is returned. */
  signal?: AbortSignal;
  limits?: Partial<LogSearchLimits>;
  now?: () => number;
}

/** Newlines in the file's bytes [0, end), read forwards in blocks. */
async function countNewlines(handle: FileHandle, end: number, blockBytes: number): Promise<number> {
  const buf = Buffer.allocUnsafe(Math.min(blockBytes * 4, Math.max(end, 1)));
  let count = 0;
  for (let pos = 0; pos < end; ) {
    const { bytesRead } = await handle.read(buf, 0, Math.min(buf.length, end - pos), pos);
    if (bytesRead === 0) break;
    const got = buf.subarray(0, bytesRead);
    for (let i = got.indexOf(0x0a); i !== -1; i = got.indexOf(0x0a, i + 1)) count++;
    pos += bytesRead;
  }
  return count;
}

/** The search of one request: its bounds, what it found, what it read. */
class Search {
  readonly matches: LogSearchMatch[] = [];
  scanned = 0;
  private readonly started: number;
  private readonly now: () => number;

  constructor(
    private readonly req: LogSearchRequest,
    private readonly matcher: LineMatcher,
    private readonly limits: LogSearchLimits,
    private readonly hooks: LogSearchHooks,
  ) {
    this.now = hooks.now ?? Date.now;
    this.started = this.now();
  }

  /** True when a bound is reached: `limit` matches found, the next block would pass the bytes, the time is up, or the client is gone. */
  private spent(): boolean {
    return this.matches.length >= this.req.limit || this.scanned + this.limits.blockBytes > this.limits.maxBytes || this.now() - this.started >= this.limits.timeMs || this.hooks.signal?.aborted === true;
  }

  /** Searches the files in turn, newest first, until a bound; returns the ones left (the first perhaps half done). */
  async run(pending: PendingFile[]): Promise<PendingFile[]> {
    const left = [...pending];
    while (left.length > 0) {
      if (this.spent()) return left;
      const file = left[0] as PendingFile;
      const where = await locate(file, this.req.files);
      if (where === null) {
        left.shift(); // rotated away and deleted since the search began
        continue;
      }
      let finished: boolean;
      try {
        finished = await this.searchFile(Object.assign(file, { path: where }));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw fileError(err, where, 'read');
        finished = true; // deleted (rotated past keep) between the look and the read
      }
      if (!finished) return left;
      left.shift();
    }
    return left;
  }

  /** Searches one file backwards from `file.end`, moving `file.end` as it goes; true when it reached the file's start. */
  private async searchFile(file: PendingFile & { path: string }): Promise<boolean> {
    const handle = await open(file.path, 'r');
    try {
      // counted only when the bound leaves room for the count and a block of search after it
      if (file.newlines === null && file.end <= Math.min(this.limits.countLinesUpTo, this.limits.maxBytes - this.scanned - this.limits.blockBytes)) {
        file.newlines = await countNewlines(handle, file.end, this.limits.blockBytes);
        this.scanned += file.end;
      }
      for await (const batch of linesBackward(handle, file.path, file.end, this.limits)) {
        this.scanned += batch.read;
        const stop = await this.searchBatch(file, batch);
        if (stop !== null) {
          this.moveTo(file, batch, stop.start, stop.newlinesAfter);
          return file.end === 0;
        }
        this.moveTo(file, batch, batch.from - batch.at, batch.newlines);
        if (file.end > 0 && this.spent()) return false;
      }
      return true;
    } catch (err) {
      if (err instanceof FileShrankError) return false; // rotated under the read: the cursor finds the copy
      throw err;
    } finally {
      await handle.close();
    }
  }

  /** Records that every line from `start` (in the batch's buffer) on was searched. */
  private moveTo(file: PendingFile, batch: LineBatch, start: number, newlinesAfter: number): void {
    file.end = batch.at + start;
    file.anchor = anchorIn(batch.bytes, batch.at, file.end);
    if (file.newlines !== null) file.newlines -= newlinesAfter;
  }

  /** Tests a batch's lines, newest first, reporting each match; the record it stopped at when `limit` was reached, else null. */
  private async searchBatch(file: PendingFile & { path: string }, batch: LineBatch): Promise<{ start: number; newlinesAfter: number } | null> {
    const { bytes, records } = batch;
    const oldest = records.at(-1);
    const newest = records[0];
    if (!oldest || !newest) return null;
    if (!this.matcher.mayMatch(withoutEscapes(bytes.toString('utf8', oldest.start, newest.end)))) return null;
    const raws = records.map((r) => {
      const text = bytes.toString('utf8', r.start, r.end);
      return text.endsWith('\r') ? text.slice(0, -1) : text;
    });
    const texts = raws.map(searchableLine);
    const hits = await this.matcher.match(texts);
    const name = path.basename(file.path);
    for (const i of hits) {
      const r = records[i]!;
      const match: LogSearchMatch = {
        ts: leadingTime(texts[i]!),
        stream: file.stream,
        text: raws[i]!,
        file: name,
        line: file.newlines === null ? null : file.newlines - r.newlinesAfter + 1,
      };
      this.matches.push(match);
      await this.hooks.onMatch?.(match);
      if (this.matches.length >= this.req.limit) return r;
      if (this.hooks.signal?.aborted) return r;
    }
    return null;
  }
}

/**
 * Searches the log files of one agent, newest line first: a plain, case-insensitive substring
 * by default, or a regular expression (a pattern that does not compile is a bad-request naming it).
 */
export async function searchLogFiles(req: LogSearchRequest, hooks: LogSearchHooks = {}): Promise<LogSearchResult> {
  const limits = { ...LOG_SEARCH_LIMITS, ...hooks.limits };
  const matcher = lineMatcher(req.q, { regex: req.regex, caseSensitive: req.caseSensitive, stallMs: limits.regexStallMs });
  try {
    const streams: LogStream[] = req.stream === 'all' ? ['stdout', 'stderr'] : [req.stream];
    const pending = req.cursor ? decodeCursor(req.cursor, req.name, req.stream) : await planFiles(req.files, streams);
    const search = new Search(req, matcher, limits, hooks);
    const left = (await search.run(pending)).filter((f) => f.end > 0);
    return { matches: search.matches, cursor: left.length > 0 ? encodeCursor(req.name, req.stream, left) : null, scannedBytes: search.scanned, truncated: left.length > 0 };
  } finally {
    await matcher.close();
  }
}
