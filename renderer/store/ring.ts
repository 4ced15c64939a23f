// A bounded, immutable list that drops its oldest items: log lines and resource samples. It is a
// list of fixed-size chunks, so appending copies at most one chunk and the list of chunks, never
// the whole list (a log of 100,000 lines gets new lines many times a second).

export interface Ring<T> {
  /** Full chunks, then the last one (which may be partly filled); never mutated. */
  readonly chunks: readonly (readonly T[])[];
  /** How many items of the first chunk were dropped. */
  readonly head: number;
  readonly length: number;
  /** At most this many items are kept. */
  readonly cap: number;
  readonly chunkSize: number;
}

/** A chunk size that keeps appends cheap for the cap. */
function chunkSizeFor(cap: number): number {
  return Math.max(16, Math.min(1024, Math.ceil(cap / 8)));
}

/** An empty ring that keeps at most `cap` items (at least 1). */
export function emptyRing<T>(cap: number, chunkSize = chunkSizeFor(cap)): Ring<T> {
  return { chunks: [], head: 0, length: 0, cap: Math.max(1, Math.floor(cap)), chunkSize };
}

/** The ring with `items` appended; the oldest items are dropped beyond the cap. */
export function ringPush<T>(ring: Ring<T>, items: readonly T[]): Ring<T> {
  if (items.length === 0) return ring;
  const add = items.length > ring.cap ? items.slice(items.length - ring.cap) : items;
  const chunks = ring.chunks.slice();
  let last = chunks.length > 0 ? (chunks.pop() as readonly T[]).slice() : [];
  for (const item of add) {
    if (last.length === ring.chunkSize) {
      chunks.push(last);
      last = [];
    }
    last.push(item);
  }
  chunks.push(last);

  let head = ring.head;
  let length = ring.length + add.length;
  while (length > ring.cap) {
    const first = chunks[0] as readonly T[];
    const inFirst = first.length - head;
    const drop = length - ring.cap;
    if (drop >= inFirst) {
      chunks.shift();
      head = 0;
      length -= inFirst;
    } else {
      head += drop;
      length -= drop;
    }
  }
  return { chunks, head, length, cap: ring.cap, chunkSize: ring.chunkSize };
}

/** A ring of `items` (the newest `cap` of them). */
export function ringFrom<T>(items: readonly T[], cap: number): Ring<T> {
  return ringPush(emptyRing<T>(cap), items);
}

/** The item at `index` (0 = oldest kept), or undefined outside the ring. */
export function ringAt<T>(ring: Ring<T>, index: number): T | undefined {
  if (index < 0 || index >= ring.length || !Number.isInteger(index)) return undefined;
  const pos = ring.head + index;
  return ring.chunks[Math.floor(pos / ring.chunkSize)]?.[pos % ring.chunkSize];
}

/** The newest item. */
export function ringLast<T>(ring: Ring<T>): T | undefined {
  return ringAt(ring, ring.length - 1);
}

/** Items `start` (inclusive) to `end` (exclusive), oldest first, as a new array. */
export function ringSlice<T>(ring: Ring<T>, start = 0, end = ring.length): T[] {
  const from = Math.max(0, start);
  const to = Math.min(ring.length, end);
  const out: T[] = [];
  for (let i = from; i < to; i++) out.push(ringAt(ring, i) as T);
  return out;
}

/** Every item, oldest first. */
export function ringToArray<T>(ring: Ring<T>): T[] {
  const out: T[] = [];
  ring.chunks.forEach((chunk, i) => {
    for (let j = i === 0 ? ring.head : 0; j < chunk.length; j++) out.push(chunk[j] as T);
  });
  return out;
}

/** The ring allowed to hold up to `cap` items; a larger cap keeps every item, a smaller one is ignored (nothing is dropped here). */
export function ringGrown<T>(ring: Ring<T>, cap: number): Ring<T> {
  const next = Math.max(1, Math.floor(cap));
  return next > ring.cap ? { ...ring, cap: next } : ring;
}
