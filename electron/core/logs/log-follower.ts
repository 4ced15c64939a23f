// Follows one log file that an agent writes through its own descriptor: reads what is appended,
// splits it into lines, rotates the file when it grows too large, and never holds more than a
// bounded backlog (a flood is skipped in the live stream, never in the file).
import { open, stat, type FileHandle } from 'node:fs/promises';
import { watch, type FSWatcher } from 'node:fs';
import type { LogLine, LogStream } from '../../../shared/status.js';
import { LineSplitter } from './line-splitter.js';
import { copyTruncate } from './rotate.js';

export interface FollowOptions {
  path: string;
  stream: LogStream;
  onLines: (lines: LogLine[]) => void;
  /** Rotate when the file grows past this many bytes (0: never). */
  maxBytes: number;
  /** Rotated copies to keep. */
  keep: number;
  /** How often to look at the file when no change notification came (ms); default 250 without a
   *  change watcher and 2000 with one (the poll is then only a safety net for a missed notification). */
  pollMs?: number;
  /** When more than this is unread, jump ahead and say so in the stream (the file keeps it all). */
  maxBacklogBytes?: number;
  now?: () => number;
}

/** Largest read at once; a read takes only what is there, so a line a second costs a small buffer. */
const CHUNK = 256 * 1024;
const UNWATCHED_POLL_MS = 250;
const WATCHED_POLL_MS = 2_000;
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
  private readonly splitter = new LineSplitter();
  private readonly now: () => number;

  constructor(private readonly opts: FollowOptions) {
    this.now = opts.now ?? Date.now;
  }

  /** Starts following at `fromOffset` (default: the current end of the file). */
  async start(fromOffset?: number): Promise<void> {
    this.handle = await open(this.opts.path, 'r');
    this.offset = fromOffset ?? (await this.handle.stat()).size;
    try {
      this.watcher = watch(this.opts.path, { persistent: false }, () => this.kick());
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
    while (this.reading) await this.reading;
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

  private kick(): void {
    if (this.closed || !this.handle) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = this.readAll()
      .catch(() => undefined) // a vanished file is picked up again on the next start
      .finally(() => {
        this.reading = null;
        if (this.again) {
          this.again = false;
          this.kick();
        }
      });
  }

  private async readAll(): Promise<void> {
    const handle = this.handle;
    if (!handle) return;
    let buf: Buffer | null = null; // sized to the first read, reused for the rest of this catch-up
    for (;;) {
      const size = (await stat(this.opts.path)).size;
      if (size < this.offset) {
        // truncated by someone else: start again from the top
        this.offset = 0;
        this.splitter.reset();
      }
      const backlog = size - this.offset;
      const maxBacklog = this.opts.maxBacklogBytes ?? 8 * 1024 * 1024;
      if (backlog > maxBacklog) {
        const skipTo = size - Math.floor(maxBacklog / 4);
        this.emit([`[agent-tray] output too fast to show live: skipped ${skipTo - this.offset} bytes; the log file ${this.opts.path} has every line`]);
        this.offset = skipTo;
        this.splitter.resync();
      }
      if (this.offset >= size) break;
      const want = Math.min(CHUNK, size - this.offset);
      if (!buf || buf.length < want) buf = Buffer.allocUnsafe(want);
      const { bytesRead } = await handle.read(buf, 0, want, this.offset);
      if (bytesRead === 0) break;
      this.offset += bytesRead;
      const lines = this.splitter.push(buf.subarray(0, bytesRead));
      if (lines.length) this.emit(lines);
    }
    if (this.opts.maxBytes > 0 && this.offset > this.opts.maxBytes) {
      await copyTruncate(this.opts.path, this.opts.keep);
      this.offset = 0;
      this.splitter.reset();
    }
  }

  private emit(texts: string[]): void {
    const at = this.now();
    this.opts.onLines(texts.map((text) => ({ stream: this.opts.stream, at, text })));
  }
}
