// Notices edits of the configuration files while a host runs. Editors and Agent Tray itself replace
// a file by renaming a new one over it, which ends a watch on the file, so the folder is watched
// (fs.watch) and events are filtered by name; a slow poll of each file's size, time and inode
// catches what fs.watch misses (network drives, some editors, a watch that failed). Events are
// debounced: a burst of writes is one look at the file.
import { watch, type FSWatcher } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';

export interface WatchedFile {
  file: string;
  /** Called (debounced) when the file may have changed; it reads and compares the content itself. */
  changed(): Promise<void> | void;
}

export interface ConfigWatcherOptions {
  /** Quiet time after the last event before the file is looked at (default 100 ms). */
  debounceMs?: number;
  /** How often each file is stat'ed in case fs.watch missed something (default 1000 ms). */
  pollMs?: number;
}

/** A file's stat, as one comparable string ("" when it does not exist). */
async function fingerprint(file: string): Promise<string> {
  try {
    const s = await stat(file);
    return `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
  } catch {
    return '';
  }
}

export class ConfigWatcher {
  private readonly watchers: FSWatcher[] = [];
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly prints = new Map<string, string>();
  private poll: NodeJS.Timeout | null = null;
  private polling = false;
  private closed = false;
  private readonly debounceMs: number;
  private readonly pollMs: number;

  constructor(
    private readonly files: readonly WatchedFile[],
    opts: ConfigWatcherOptions = {},
  ) {
    this.debounceMs = opts.debounceMs ?? 100;
    this.pollMs = opts.pollMs ?? 1_000;
  }

  /** Starts watching: the folders of the files, and the poll. */
  async start(): Promise<void> {
    for (const f of this.files) this.prints.set(f.file, await fingerprint(f.file));
    for (const dir of new Set(this.files.map((f) => path.dirname(f.file)))) this.watchDir(dir);
    this.poll = setInterval(() => void this.pollOnce(), this.pollMs);
    this.poll.unref();
  }

  /** Stops every watch, the poll and any pending look. */
  close(): void {
    this.closed = true;
    for (const w of this.watchers.splice(0)) w.close();
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    if (this.poll) clearInterval(this.poll);
    this.poll = null;
  }

  private watchDir(dir: string): void {
    try {
      // not persistent: a watch never keeps a process alive that has nothing else to do
      const w = watch(dir, { persistent: false }, (_event, name) => {
        const base = name === null ? null : String(name);
        for (const f of this.files) if (path.dirname(f.file) === dir && (base === null || base === path.basename(f.file))) this.schedule(f);
      });
      w.on('error', () => w.close()); // the folder went away, or too many watches: the poll carries on
      this.watchers.push(w);
    } catch {
      // no fs.watch here (or the folder is missing): the poll alone notices changes
    }
  }

  /** Looks at `f` once events about it have been quiet for debounceMs. */
  private schedule(f: WatchedFile): void {
    if (this.closed) return;
    const pending = this.timers.get(f.file);
    if (pending) clearTimeout(pending);
    const timer = setTimeout(() => {
      this.timers.delete(f.file);
      if (!this.closed) void Promise.resolve(f.changed()).catch(() => undefined);
    }, this.debounceMs);
    timer.unref();
    this.timers.set(f.file, timer);
  }

  /** Stat'ing each file: a different size, time or inode schedules a look. */
  private async pollOnce(): Promise<void> {
    if (this.polling || this.closed) return;
    this.polling = true;
    try {
      for (const f of this.files) {
        const print = await fingerprint(f.file);
        if (print !== this.prints.get(f.file)) {
          this.prints.set(f.file, print);
          this.schedule(f);
        }
      }
    } finally {
      this.polling = false;
    }
  }
}
