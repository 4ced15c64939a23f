// The run history file (`<data dir>/history.jsonl`): one JSON line per finished run, each appended
// with a single write and an fsync; read back skipping a torn last line and invalid lines; kept
// to the newest `retention` runs by an atomic rewrite that is serialized with the appends. The file
// is private (0600). A run whose line cannot be written (a full disk) is still kept in memory. A
// renamed agent's runs are renamed by the same atomic rewrite.
import { chmod, mkdir, open, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { DEFAULT_HISTORY_RETENTION, RunRecordSchema, type RunRecord } from '../../shared/history.js';
import { fileError } from '../core/io-errors.js';

/** The history file holds what ran and why it ended: its owner's only. */
const FILE_MODE = 0o600;

/** The file is rewritten once it holds more than retention × this many lines. */
const COMPACT_FACTOR = 1.25;

export interface HistoryStoreOptions {
  /** How many runs are kept (default 1,000). */
  retention?: number;
  /** Where failures of a background compaction go (default: a process warning). */
  onError?: (err: Error) => void;
}

export interface HistoryQuery {
  /** Only this agent's runs. */
  agent?: string;
  /** At most this many (default 100). */
  limit?: number;
}

/** What reading a history file found. */
export interface HistoryParse {
  /** The valid records, in file order (oldest first). */
  records: RunRecord[];
  /** Non-empty lines that were not a valid record (a torn last line included). */
  skipped: number;
  /** Non-empty lines in the file. */
  lines: number;
  /** The file ends without a newline: the last line was cut short by a crash (or an editor). */
  unterminated: boolean;
  /** The unterminated last line was not a valid record. */
  torn: boolean;
}

/** Parses the text of a history file; never throws. */
export function parseHistory(text: string): HistoryParse {
  const parts = text.split('\n');
  const unterminated = text.length > 0 && !text.endsWith('\n');
  const records: RunRecord[] = [];
  let skipped = 0;
  let lines = 0;
  let torn = false;
  parts.forEach((part, i) => {
    const line = part.trim();
    if (line === '') return;
    lines++;
    const record = parseLine(line);
    if (record) records.push(record);
    else {
      skipped++;
      if (unterminated && i === parts.length - 1) torn = true;
    }
  });
  return { records, skipped, lines, unterminated, torn };
}

function parseLine(line: string): RunRecord | null {
  let json: unknown;
  try {
    json = JSON.parse(line);
  } catch {
    return null;
  }
  const result = RunRecordSchema.safeParse(json);
  return result.success ? result.data : null;
}

/** Appends `data` to `file` and waits until it is on disk. */
async function appendDurably(file: string, data: string): Promise<void> {
  const buf = Buffer.from(data, 'utf8');
  const handle = await open(file, 'a', FILE_MODE);
  try {
    let offset = 0;
    while (offset < buf.length) {
      const { bytesWritten } = await handle.write(buf, offset, buf.length - offset);
      offset += bytesWritten;
    }
    await handle.datasync();
  } finally {
    await handle.close();
  }
}

/** Makes an existing file of an earlier version private (0600) on POSIX; a file that cannot be changed (read-only) stays as it is. */
async function makePrivate(file: string): Promise<void> {
  if (process.platform === 'win32') return;
  try {
    if (((await stat(file)).mode & 0o077) !== 0) await chmod(file, FILE_MODE);
  } catch {
    // absent (created 0600 by the first append), or not ours to change: reading it still works
  }
}

function checkRetention(retention: number): number {
  if (!Number.isInteger(retention) || retention < 1) throw new RangeError(`history retention must be a whole number of at least 1, not ${retention}`);
  return retention;
}

export class HistoryStore {
  /** Every valid record of the file, oldest first. */
  private records: RunRecord[];
  /** Non-empty lines in the file, valid or not: what compaction bounds. */
  private fileLines: number;
  /** The file may not end with a newline: the next append starts a fresh line first. */
  private needsNewline: boolean;
  private queue: Promise<unknown> = Promise.resolve();
  private compactionQueued = false;
  private retention: number;
  private readonly onError: (err: Error) => void;

  private constructor(
    readonly file: string,
    parsed: HistoryParse,
    retention: number,
    onError: ((err: Error) => void) | undefined,
    /** What open() found: records read, lines skipped, whether the last one was torn. */
    readonly loaded: Readonly<Pick<HistoryParse, 'skipped' | 'lines' | 'torn'>> & { records: number },
  ) {
    this.records = parsed.records;
    this.fileLines = parsed.lines;
    this.needsNewline = parsed.unterminated;
    this.retention = retention;
    this.onError = onError ?? ((err) => process.emitWarning(`run history: ${err.message}`));
  }

  /** Opens (or starts) the history file; a torn last line and invalid lines are skipped. */
  static async open(file: string, opts: HistoryStoreOptions = {}): Promise<HistoryStore> {
    const retention = checkRetention(opts.retention ?? DEFAULT_HISTORY_RETENTION);
    try {
      await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    } catch (err) {
      throw fileError(err, dirname(file), 'create');
    }
    let text = '';
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw fileError(err, file, 'read');
    }
    await makePrivate(file);
    const parsed = parseHistory(text);
    const loaded = { records: parsed.records.length, skipped: parsed.skipped, lines: parsed.lines, torn: parsed.torn };
    const store = new HistoryStore(file, parsed, retention, opts.onError, loaded);
    store.maybeCompact();
    return store;
  }

  /** How many runs list() can return at most (the newest `retention`). */
  get size(): number {
    return Math.min(this.records.length, this.retention);
  }

  /** The kept runs, newest first, optionally of one agent only. */
  list(query: HistoryQuery = {}): RunRecord[] {
    const limit = query.limit ?? 100;
    const out: RunRecord[] = [];
    const oldest = Math.max(0, this.records.length - this.retention);
    for (let i = this.records.length - 1; i >= oldest && out.length < limit; i--) {
      const record = this.records[i];
      if (record && (query.agent === undefined || record.name === query.agent)) out.push({ ...record });
    }
    return out;
  }

  /**
   * Appends one run as one complete line and waits until it is on disk. When the line cannot be
   * written (a full disk: a fileError), the run is still kept in memory and listed, and the
   * promise rejects so that the caller can report it.
   */
  append(record: RunRecord): Promise<void> {
    let valid: RunRecord;
    try {
      valid = RunRecordSchema.parse(record);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    const line = `${JSON.stringify(valid)}\n`;
    return this.serial(async () => {
      const data = this.needsNewline ? `\n${line}` : line;
      this.needsNewline = true; // until the whole line is known to be written
      try {
        await appendDurably(this.file, data);
      } catch (err) {
        this.keepInMemory(valid);
        throw fileError(err, this.file, 'append to');
      }
      this.needsNewline = false;
      this.records.push(valid);
      this.fileLines++;
      this.maybeCompact();
    });
  }

  /**
   * Gives the runs of agents new names (an agent renamed: `from` → `to`, all at once, so that
   * { b → b.earlier, a → b } sets b's runs aside and gives a's runs to b). The file is rewritten
   * atomically after every earlier append, with the newest `retention` runs; when that fails the
   * file and memory stay as they were and the promise rejects (a fileError). Resolves with how many
   * runs were renamed (0: nothing was written). Run ids keep their value: they are identifiers.
   */
  renameAgents(names: ReadonlyMap<string, string>): Promise<number> {
    return this.serial(async () => {
      let renamed = 0;
      const next = this.records.map((r) => {
        const to = names.get(r.name);
        if (to === undefined || to === r.name) return r;
        renamed++;
        return { ...r, name: to };
      });
      if (renamed === 0) return 0;
      const kept = next.slice(-this.retention);
      try {
        await writeFileAtomic(this.file, kept.map((r) => `${JSON.stringify(r)}\n`).join(''), { fsync: true, mode: FILE_MODE });
      } catch (err) {
        throw fileError(err, this.file, 'rewrite');
      }
      this.records = kept;
      this.fileLines = kept.length;
      this.needsNewline = false;
      return renamed;
    });
  }

  /** Keeps a run that the file did not take; memory holds at most the runs a compaction would keep, and a few more. */
  private keepInMemory(record: RunRecord): void {
    this.records.push(record);
    const most = Math.ceil(this.retention * COMPACT_FACTOR);
    if (this.records.length > most) this.records.splice(0, this.records.length - this.retention);
  }

  /** Changes how many runs are kept; the file shrinks on the next compaction. */
  setRetention(retention: number): void {
    this.retention = checkRetention(retention);
    this.maybeCompact();
  }

  /** Resolves when every append and compaction asked for so far is done. */
  async whenIdle(): Promise<void> {
    let seen: Promise<unknown>;
    do {
      seen = this.queue;
      await seen;
    } while (seen !== this.queue);
  }

  /** Runs `op` after every earlier append or compaction. */
  private serial<T>(op: () => Promise<T>): Promise<T> {
    const run = this.queue.then(op, op);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Queues a compaction (after the appends already queued) when the file has grown too long. */
  private maybeCompact(): void {
    if (this.compactionQueued || this.fileLines <= this.retention * COMPACT_FACTOR) return;
    this.compactionQueued = true;
    this.serial(() => this.compact()).catch((err: unknown) => {
      this.onError(new Error(`compacting ${this.file} failed (it is left as it was): ${err instanceof Error ? err.message : String(err)}`, { cause: err }));
    });
  }

  /** Rewrites the file atomically with the newest `retention` runs. */
  private async compact(): Promise<void> {
    this.compactionQueued = false;
    if (this.fileLines <= this.retention * COMPACT_FACTOR) return;
    const kept = this.records.slice(-this.retention);
    try {
      await writeFileAtomic(this.file, kept.map((r) => `${JSON.stringify(r)}\n`).join(''), { fsync: true, mode: FILE_MODE });
    } catch (err) {
      throw fileError(err, this.file, 'rewrite');
    }
    this.records = kept;
    this.fileLines = kept.length;
    this.needsNewline = false;
  }
}
