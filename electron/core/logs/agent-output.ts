// An agent's output: the two log files it writes to directly, the followers that read them back,
// and the rings of recent lines that the UI and lastError draw from.
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LogLine, LogStream } from '../../../shared/status.js';
import type { AgentTrayError } from '../errors.js';
import { fileError } from '../io-errors.js';
import { diskFullError, freeBytes, LOW_SPACE_BYTES } from './disk-space.js';
import { mergeHistories, readStreamHistory } from './history.js';
import { LineRing } from './line-ring.js';
import { LogFollower } from './log-follower.js';
import { secretMasker, type Masker } from './mask-secrets.js';

export interface OutputOptions {
  files: { stdout: string; stderr: string };
  ringLines: number;
  maxBytes: number;
  keep: number;
  onLines: (lines: LogLine[]) => void;
  /** A log file could not be rotated (a full disk, a read-only or refused file): counted in
   *  `writeFailures`; the agent keeps writing, following goes on and the rotation is tried again later. */
  onIoError?: (err: AgentTrayError, file: string) => void;
  /** How long after a failed rotation to try again (ms, default 5000). */
  rotateRetryMs?: number;
  /** How often the free space under the log files is looked at while following (ms, default 10000; 0: never). */
  diskCheckMs?: number;
}

/** A line with its place in the agent's output: one counter for both streams, in the order the lines were read. */
interface Numbered {
  seq: number;
  line: LogLine;
}

const STREAMS = ['stdout', 'stderr'] as const;

export class AgentOutput {
  private readonly rings: Record<LogStream, LineRing<Numbered>>;
  private followers: LogFollower[] = [];
  private seq = 0;
  /** Rotations that failed, and times the disk under the logs was found full, since this output was created. */
  writeFailures = 0;
  private diskTimer: NodeJS.Timeout | null = null;
  /** The disk was found full and has not had room since: said once, not at every check. */
  private diskFull = false;
  /** Masks the current run's secret values in every line read (null: it has none). */
  private mask: Masker | null = null;

  constructor(private readonly opts: OutputOptions) {
    this.rings = { stdout: new LineRing(opts.ringLines), stderr: new LineRing(opts.ringLines) };
  }

  /** The secret values to mask (`***`) in every line read from now on (see mask-secrets.ts). */
  setSecrets(values: Iterable<string>): void {
    this.mask = secretMasker(values);
  }

  /** The lines with the secret values masked. */
  private masked(lines: LogLine[]): LogLine[] {
    const mask = this.mask;
    if (!mask) return lines;
    return lines.map((line) => {
      const text = mask(line.text);
      return text === line.text ? line : { ...line, text }; // a line without a secret stays the same object
    });
  }

  /** Opens both log files in append mode (created 0600, in a 0700 folder) for a child to inherit; the caller closes them after the spawn. */
  openForChild(): { stdoutFd: number; stderrFd: number } {
    mkdirSync(dirname(this.opts.files.stdout), { recursive: true, mode: 0o700 });
    const stdoutFd = openSync(this.opts.files.stdout, 'a', 0o600);
    try {
      return { stdoutFd, stderrFd: openSync(this.opts.files.stderr, 'a', 0o600) };
    } catch (err) {
      closeSync(stdoutFd);
      throw err;
    }
  }

  /**
   * Starts following both files from their current ends. With `history` (an agent taken back after
   * a restart) the rings are first filled with the last lines the files already hold, which are not
   * reported through `onLines` (they are not new), and following begins right after them.
   */
  async follow(opts: { history?: boolean } = {}): Promise<void> {
    await this.close();
    const from: Partial<Record<LogStream, number>> = opts.history ? await this.loadHistory() : {};
    this.followers = STREAMS.map(
      (stream) =>
        new LogFollower({
          path: this.opts.files[stream],
          stream,
          maxBytes: this.opts.maxBytes,
          keep: this.opts.keep,
          ...(this.opts.rotateRetryMs !== undefined ? { rotateRetryMs: this.opts.rotateRetryMs } : {}),
          onLines: (read) => {
            const lines = this.masked(read);
            this.rings[stream].push(lines.map((line) => ({ seq: this.seq++, line })));
            this.opts.onLines(lines);
          },
          onIoError: (err, file) => {
            this.writeFailures++;
            this.opts.onIoError?.(fileError(err, file, 'rotate'), file);
          },
        }),
    );
    await Promise.all(this.followers.map((f, i) => f.start(from[STREAMS[i]!])));
    this.watchDiskSpace();
  }

  /**
   * While following: the agent writes its logs itself, so when their disk is full its lines are
   * lost without the host seeing an error. Look at the free space now and then; a full disk is
   * counted in `writeFailures` and reported once through `onIoError` (again after it had room).
   */
  private watchDiskSpace(): void {
    const every = this.opts.diskCheckMs ?? 10_000;
    if (every <= 0 || this.diskTimer) return;
    const check = (): void => {
      const free = freeBytes(dirname(this.opts.files.stdout));
      if (free === null) return;
      if (free >= LOW_SPACE_BYTES) {
        this.diskFull = false;
        return;
      }
      if (this.diskFull) return;
      this.diskFull = true;
      this.writeFailures++;
      const file = this.opts.files.stdout;
      this.opts.onIoError?.(fileError(diskFullError(file), file, 'write'), file);
    };
    check();
    this.diskTimer = setInterval(check, every);
    this.diskTimer.unref();
  }

  /**
   * Fills the rings with the last lines the files already hold (not reported through `onLines`:
   * they are not new), for an agent taken back or whose crash a new host carries on; resolves with
   * where each file's history ends, for a follower to begin there.
   */
  async loadHistory(): Promise<Partial<Record<LogStream, number>>> {
    const now = Date.now();
    const [out, err] = await Promise.all(STREAMS.map((s) => readStreamHistory(this.opts.files[s], s, this.opts.ringLines, this.opts.keep, now)));
    this.rings.stdout.clear();
    this.rings.stderr.clear();
    for (const line of this.masked(mergeHistories(out!.lines, err!.lines))) this.rings[line.stream].push([{ seq: this.seq++, line }]);
    const from: Partial<Record<LogStream, number>> = {};
    if (out!.end !== undefined) from.stdout = out!.end;
    if (err!.end !== undefined) from.stderr = err!.end;
    return from;
  }

  /** Takes over the lines another output holds in memory (an agent renamed: its lines under its new name), in their order. */
  takeLinesFrom(other: AgentOutput): void {
    for (const s of STREAMS) {
      this.rings[s].clear();
      this.rings[s].push(other.rings[s].toArray());
    }
    this.seq = Math.max(this.seq, other.seq);
  }

  /** Reads everything written so far. */
  async drain(): Promise<void> {
    await Promise.all(this.followers.map((f) => f.drain()));
  }

  /** Reads what is left and stops following. */
  async close(): Promise<void> {
    if (this.diskTimer) clearInterval(this.diskTimer);
    this.diskTimer = null;
    const followers = this.followers;
    this.followers = [];
    await Promise.all(followers.map((f) => f.close()));
  }

  /** The most recent lines of one stream, or of both in the order they were read. */
  recent(stream: LogStream | 'both', limit: number): LogLine[] {
    if (stream !== 'both') return this.rings[stream].toArray(limit).map((n) => n.line);
    const a = this.rings.stdout.toArray(limit);
    const b = this.rings.stderr.toArray(limit);
    // each ring is in read order already: merge the two by their shared counter, keep the newest `limit`
    const merged: LogLine[] = [];
    let i = a.length - 1;
    let j = b.length - 1;
    while (merged.length < limit && (i >= 0 || j >= 0)) {
      const x = a[i];
      const y = b[j];
      if (x && (!y || x.seq > y.seq)) {
        merged.push(x.line);
        i--;
      } else if (y) {
        merged.push(y.line);
        j--;
      }
    }
    return merged.reverse();
  }
}
