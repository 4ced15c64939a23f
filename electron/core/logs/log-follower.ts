// Follows one log file that an agent writes through its own descriptor: reads what is appended,
// splits it into lines, rotates the file when it grows too large, and never holds more than a
// bounded backlog (a flood is skipped in the live stream, never in the file).
//
// Reads are synchronous, on purpose: what an agent has just written is in the page cache, and a
// readSync of it costs a few microseconds, where fs.promises pays a thread-pool round trip and a
// promise per read (measured with 100 agents printing a line a second each: the host's CPU is
// dominated by that overhead otherwise). A read is at most 256 KiB, so the event loop is never
// held for long.
import { open, type FileHandle } from 'node:fs/promises';
import { fstatSync, readSync, watch, type FSWatcher } from 'node:fs';
import type { LogLine, LogStream } from '../../../shared/status.js';
import { LineSplitter } from './line-splitter.js';
import { copyingName, rotatedName, truncateAfterCopy } from './rotate.js';

export interface FollowOptions {
  path: string;
  stream: LogStream;
  onLines: (lines: LogLine[]) => void;
  /** Rotate when the file grows past this many bytes (0: never); looked at on every read, so a fast
   *  writer overshoots by what it writes while one read and the rotation run. */
  maxBytes: number;
  /** Rotated copies to keep. */
  keep: number;
  /** A rotation failed (disk full, read-only, refused): the file keeps growing and following goes on;
   *  the rotation is tried again after `rotateRetryMs`. */
  onIoError?: (err: unknown, file: string) => void;
  /** How long after a failed rotation to try again (ms, default 5000). */
  rotateRetryMs?: number;
  /** How often to look at the file when no change notification came (ms); default 250 without a
   *  change watcher and 2000 with one (the poll is then only a safety net for a missed notification). */
  pollMs?: number;
  /** When more than this is unread, jump ahead and say so in the stream (the file keeps it all). */
  maxBacklogBytes?: number;
  now?: () => number;
}

/** Largest read at once. */
const CHUNK = 256 * 1024;
const FIRST_CHUNK = 4 * 1024; // one page: a line a second needs no more
/** Read at most this much before letting the event loop turn: a flood must neither starve the host nor
 *  pile its lines up faster than the event streams can send them (a reading client would be dropped). */
const MAX_BYTES_PER_TURN = 256 * 1024; // one full read: event-stream clients get to drain between turns
const UNWATCHED_POLL_MS = 250;
const WATCHED_POLL_MS = 10_000;
/** Windows updates a file's size for other readers lazily, so a change notification may not come: poll often there. */
const WATCH_IS_RELIABLE = process.platform !== 'win32';

export class LogFollower {
  private offset = 0;
  private handle: FileHandle | null = null;
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private reading: Promise<void> | null = null;
  private again = false;
  private closed = false;
  private checkSize = false;
  /** performance.now() before which no rotation is tried (after a failure). */
  private rotateAfter = 0;
  /** The last rotation's copy being moved into place (a copy made meanwhile is placed after it). */
  private placing: Promise<void> | null = null;
  private rotations = 0;
  /** Reused for every read; starts small (an agent printing a line a second needs little) and grows in a flood. */
  private buffer: Buffer;
  private readonly maxBacklog: number;
  /** Never more than the backlog allowed: what fits the buffer is then never too much to show. */
  private readonly maxChunk: number;
  private readonly splitter = new LineSplitter();
  private readonly now: () => number;

  constructor(private readonly opts: FollowOptions) {
    this.now = opts.now ?? Date.now;
    this.maxBacklog = opts.maxBacklogBytes ?? 8 * 1024 * 1024;
    this.maxChunk = Math.max(1, Math.min(CHUNK, this.maxBacklog));
    this.buffer = Buffer.allocUnsafe(Math.min(FIRST_CHUNK, this.maxChunk));
  }

  /** Starts following at `fromOffset` (default: the current end of the file). */
  async start(fromOffset?: number): Promise<void> {
    this.handle = await open(this.opts.path, 'r');
    this.offset = fromOffset ?? (await this.handle.stat()).size;
    try {
      this.watcher = watch(this.opts.path, { persistent: false }, () => this.kick(false));
      this.watcher.on('error', () => {
        this.watcher?.close();
        this.watcher = null;
        this.schedulePoll(); // notifications are gone: poll often again
      });
    } catch {
      this.watcher = null; // polling alone still works
    }
    this.schedulePoll();
  }

  /** (Re)starts the poll: often without change notifications, seldom with them. */
  private schedulePoll(): void {
    if (this.closed) return;
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(() => this.kick(), this.opts.pollMs ?? (this.watcher && WATCH_IS_RELIABLE ? WATCHED_POLL_MS : UNWATCHED_POLL_MS));
    this.timer.unref();
  }

  /** Reads everything written so far; resolves when the follower has caught up. */
  async drain(): Promise<void> {
    this.kick();
    while (this.reading || this.placing) {
      await this.reading;
      await this.placing;
    }
  }

  /** Drains, emits an unterminated last line, and stops following. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.drain();
    this.closed = true;
    this.watcher?.close();
    if (this.timer) clearInterval(this.timer);
    const rest = this.splitter.flush();
    if (rest.length) this.emit(rest);
    await this.handle?.close();
    this.handle = null;
  }

  /** Reads what is new; `checkSize` also looks at the file's size (truncated by someone else? too far behind?). */
  private kick(checkSize = true): void {
    if (this.closed || !this.handle) return;
    this.checkSize ||= checkSize;
    if (this.reading) {
      this.again = true; // rotating: read again when done
      return;
    }
    if (this.rotationDue(this.handle)) {
      this.rotate(); // before reading: a fast writer gains nothing while a read runs
      return;
    }
    const check = this.checkSize;
    this.checkSize = false;
    let more: boolean;
    try {
      more = this.catchUp(this.handle, check);
    } catch {
      return; // an unreadable file is picked up again on the next start
    }
    if (this.rotationDue(this.handle)) this.rotate();
    else if (more) this.resumeSoon();
  }

  /** True when the file (not only what was read of it) is past maxBytes and no failure asks to wait. */
  private rotationDue(handle: FileHandle): boolean {
    if (this.opts.maxBytes <= 0 || performance.now() < this.rotateAfter) return false;
    if (this.offset > this.opts.maxBytes) return true;
    try {
      return fstatSync(handle.fd).size > this.opts.maxBytes;
    } catch {
      return false;
    }
  }

  /** A flood: let the event loop turn, then read on. */
  private resumeSoon(): void {
    this.reading = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      this.reading = null;
      this.again = false;
      this.kick(true);
    });
  }

  /** Rotates the file (asynchronously: it copies the whole file), then reads on while the copy is moved
   *  into place. A failure is reported and retried later; the file keeps growing meanwhile and every line
   *  still arrives. */
  private rotate(): void {
    const after = this.placing ?? undefined;
    const copyTo = after ? `${copyingName(this.opts.path)}.${++this.rotations}` : copyingName(this.opts.path);
    this.reading = truncateAfterCopy(this.opts.path, this.opts.keep, { unread: { from: this.offset, max: CHUNK }, copyTo, ...(after ? { after } : {}) })
      .then(({ length, tail, placed }) => {
        this.rotated(length, tail);
        const placing: Promise<void> = placed
          .catch((err: unknown) => this.failed(err))
          .finally(() => {
            if (this.placing === placing) this.placing = null;
          });
        this.placing = placing;
      })
      .catch((err: unknown) => this.failed(err))
      .finally(() => {
        this.reading = null;
        this.again = false;
        this.kick(true); // what arrived meanwhile, and the rest of a flood
      });
  }

  /** A rotation failed: report it, and try again after rotateRetryMs. */
  private failed(err: unknown): void {
    this.rotateAfter = performance.now() + (this.opts.rotateRetryMs ?? 5_000);
    try {
      this.opts.onIoError?.(err, this.opts.path);
    } catch {
      // a failing reporter must not stop following
    }
  }

  /** After a rotation that truncated the file at `length`: the bytes not yet read (`tail`, when they fit one
   *  read) go into the stream, or are skipped with a notice; the file starts again at 0. A line cut by the
   *  truncation continues in the live file, so the splitter keeps its partial line. */
  private rotated(length: number, tail: Buffer | null): void {
    const unread = length - this.offset;
    if (unread < 0) this.splitter.reset(); // truncated by someone else as well
    else if (tail && tail.length === unread) {
      const lines = this.splitter.push(tail);
      if (lines.length) this.emit(lines);
    } else if (unread > 0) {
      const where = this.opts.keep >= 1 ? `the log file ${rotatedName(this.opts.path, 1)} has every line` : 'no rotated copies are kept';
      this.emit([`[agent-tray] output too fast to show live: skipped ${unread} bytes at rotation; ${where}`]);
      this.splitter.resync();
    }
    this.offset = 0;
  }

  /** Reads to the end of the file. A change notification costs one read when the new text fits the buffer; the
   *  size is looked at on the poll, on drain, and when a read fills the buffer (then a backlog may be waiting). */
  private catchUp(handle: FileHandle, checkSize: boolean): boolean {
    let check = checkSize;
    let read = 0;
    for (;;) {
      if (read >= MAX_BYTES_PER_TURN) return true; // more may be there: the caller lets the event loop turn first
      const checked = check;
      if (check) {
        const size = fstatSync(handle.fd).size;
        if (size < this.offset) {
          // truncated by someone else: start again from the top
          this.offset = 0;
          this.splitter.reset();
        }
        const backlog = size - this.offset;
        if (backlog > this.maxBacklog) {
          const skipTo = size - Math.floor(this.maxBacklog / 4);
          this.emit([`[agent-tray] output too fast to show live: skipped ${skipTo - this.offset} bytes; the log file ${this.opts.path} has every line`]);
          this.offset = skipTo;
          this.splitter.resync();
        }
        if (this.offset >= size) break;
      }
      const buf = this.buffer;
      const bytesRead = readSync(handle.fd, buf, 0, buf.length, this.offset);
      if (bytesRead === 0) break;
      if (bytesRead === buf.length && !checked) {
        // more may be waiting than the live stream should show: look at the size before using this
        if (buf.length < this.maxChunk) this.buffer = Buffer.allocUnsafe(Math.min(this.maxChunk, buf.length * 4));
        check = true;
        continue;
      }
      this.offset += bytesRead;
      read += bytesRead;
      const lines = this.splitter.push(buf.subarray(0, bytesRead)); // decoded to strings: the buffer is free again
      if (lines.length) this.emit(lines);
      if (bytesRead < buf.length) break; // the end of what was written when the read began
      check = true;
    }
    return false;
  }

  private emit(texts: string[]): void {
    const at = this.now();
    this.opts.onLines(texts.map((text) => ({ stream: this.opts.stream, at, text })));
  }
}
