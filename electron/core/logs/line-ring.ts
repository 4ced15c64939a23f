// A fixed-size ring of the most recent log lines of one stream (or of anything else kept newest-last).
import type { LogLine } from '../../../shared/status.js';

export class LineRing<T = LogLine> {
  private readonly items: (T | undefined)[];
  private next = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`ring capacity must be a positive integer, got ${capacity}`);
    this.items = new Array<T | undefined>(capacity);
  }

  /** Adds items, dropping the oldest beyond the capacity. */
  push(items: readonly T[]): void {
    for (const item of items) {
      this.items[this.next] = item;
      this.next = (this.next + 1) % this.capacity;
      if (this.count < this.capacity) this.count++;
    }
  }

  /** The kept items, oldest first; at most `limit` of the newest when given. */
  toArray(limit = this.count): T[] {
    const n = Math.max(0, Math.min(limit, this.count));
    const out: T[] = [];
    for (let i = this.count - n; i < this.count; i++) {
      const item = this.items[(this.next - this.count + i + this.capacity) % this.capacity];
      if (item !== undefined) out.push(item);
    }
    return out;
  }

  /** Forgets every item. */
  clear(): void {
    this.items.fill(undefined);
    this.next = 0;
    this.count = 0;
  }

  get size(): number {
    return this.count;
  }
}
