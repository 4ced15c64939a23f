// A fixed-size ring of the most recent log lines of one stream.
import type { LogLine } from '../../../shared/status.js';

export class LineRing {
  private readonly items: (LogLine | undefined)[];
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    this.items = new Array<LogLine | undefined>(capacity);
  }

  /** Adds lines, dropping the oldest beyond the capacity. */
  push(lines: readonly LogLine[]): void {
    for (const line of lines) {
      this.items[this.next] = line;
      this.next = (this.next + 1) % this.capacity;
      if (this.count < this.capacity) this.count++;
    }
  }

  /** The kept lines, oldest first; at most `limit` of the newest when given. */
  toArray(limit = this.count): LogLine[] {
    const n = Math.max(0, Math.min(limit, this.count));
    const out: LogLine[] = [];
    for (let i = this.count - n; i < this.count; i++) {
      const item = this.items[(this.next - this.count + i + this.capacity) % this.capacity];
      if (item) out.push(item);
    }
    return out;
  }

  get size(): number {
    return this.count;
  }
}
