// One read of the process table for everyone who needs it at the same time: a hundred agents
// stopping together each poll for their tree every 25 ms, and a read of /proc costs a file per
// process. A caller always gets a table whose read began after it asked (never an older one, which
// could still show a process the caller has just seen exit): a read begins on the next microtask
// after the first caller asks, or when the read under way ends, and everyone who asked by then shares it.
import { readProcessTable, type ProcessInfo } from './process-table.js';

export class SharedTableReader<T = readonly ProcessInfo[]> {
  private current: Promise<T> | null = null;
  private queued: Promise<T> | null = null;
  /** Reads actually made (for tests and benchmarks). */
  reads = 0;

  constructor(private readonly read: () => Promise<T>) {}

  /** A table read that begins after this call: the one queued to begin next (after the read under way, if any). */
  fresh(): Promise<T> {
    this.queued ??= (this.current ?? Promise.resolve())
      .catch(() => undefined) // the read under way failed its own callers, not the next ones
      .then(() => {
        this.queued = null;
        return this.begin();
      });
    return this.queued;
  }

  private begin(): Promise<T> {
    this.reads++;
    const reading = this.read().finally(() => {
      if (this.current === reading) this.current = null;
    });
    this.current = reading;
    return reading;
  }
}

const readers = new Map<NodeJS.Platform, SharedTableReader<readonly ProcessInfo[]>>();

/** The process table, read once for all concurrent callers on this platform (see SharedTableReader). */
export function readProcessTableShared(platform: NodeJS.Platform = process.platform): Promise<readonly ProcessInfo[]> {
  let reader = readers.get(platform);
  if (!reader) {
    reader = new SharedTableReader(() => readProcessTable(platform));
    readers.set(platform, reader);
  }
  return reader.fresh();
}
