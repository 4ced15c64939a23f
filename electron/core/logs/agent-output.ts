// An agent's output: the two log files it writes to directly, the followers that read them back,
// and the rings of recent lines that the UI and lastError draw from.
import { mkdirSync, openSync, closeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { LogLine, LogStream } from '../../../shared/status.js';
import { LineRing } from './line-ring.js';
import { LogFollower } from './log-follower.js';

export interface OutputOptions {
  files: { stdout: string; stderr: string };
  ringLines: number;
  maxBytes: number;
  keep: number;
  onLines: (lines: LogLine[]) => void;
}

export class AgentOutput {
  readonly rings: Record<LogStream, LineRing>;
  private followers: LogFollower[] = [];

  constructor(private readonly opts: OutputOptions) {
    this.rings = { stdout: new LineRing(opts.ringLines), stderr: new LineRing(opts.ringLines) };
  }

  /** Opens both log files in append mode for a child to inherit; the caller closes them after the spawn. */
  openForChild(): { stdoutFd: number; stderrFd: number } {
    mkdirSync(dirname(this.opts.files.stdout), { recursive: true });
    const stdoutFd = openSync(this.opts.files.stdout, 'a');
    try {
      return { stdoutFd, stderrFd: openSync(this.opts.files.stderr, 'a') };
    } catch (err) {
      closeSync(stdoutFd);
      throw err;
    }
  }

  /** Starts following both files from their current ends. */
  async follow(): Promise<void> {
    await this.close();
    this.followers = (['stdout', 'stderr'] as const).map(
      (stream) =>
        new LogFollower({
          path: this.opts.files[stream],
          stream,
          maxBytes: this.opts.maxBytes,
          keep: this.opts.keep,
          onLines: (lines) => {
            this.rings[stream].push(lines);
            this.opts.onLines(lines);
          },
        }),
    );
    await Promise.all(this.followers.map((f) => f.start()));
  }

  /** Reads everything written so far. */
  async drain(): Promise<void> {
    await Promise.all(this.followers.map((f) => f.drain()));
  }

  /** Reads what is left and stops following. */
  async close(): Promise<void> {
    const followers = this.followers;
    this.followers = [];
    await Promise.all(followers.map((f) => f.close()));
  }

  /** The most recent lines of one stream, or of both merged by time. */
  recent(stream: LogStream | 'both', limit: number): LogLine[] {
    if (stream !== 'both') return this.rings[stream].toArray(limit);
    const merged = [...this.rings.stdout.toArray(limit), ...this.rings.stderr.toArray(limit)];
    merged.sort((a, b) => a.at - b.at);
    return merged.slice(-limit);
  }
}
