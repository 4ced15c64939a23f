// The bounded ring under logs and stats: order, cap, chunk boundaries, and that it never mutates.
import { describe, expect, it } from 'vitest';
import { emptyRing, ringAt, ringFrom, ringLast, ringPush, ringSlice, ringToArray } from '../../../renderer/store/ring.js';

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('ring', () => {
  it('keeps items in order and drops the oldest beyond the cap', () => {
    let r = emptyRing<number>(5, 2);
    r = ringPush(r, [1, 2, 3]);
    expect(ringToArray(r)).toEqual([1, 2, 3]);
    r = ringPush(r, [4, 5, 6, 7]);
    expect(ringToArray(r)).toEqual([3, 4, 5, 6, 7]);
    expect(r.length).toBe(5);
    expect(ringAt(r, 0)).toBe(3);
    expect(ringAt(r, 4)).toBe(7);
    expect(ringAt(r, 5)).toBeUndefined();
    expect(ringAt(r, -1)).toBeUndefined();
    expect(ringLast(r)).toBe(7);
    expect(ringSlice(r, 1, 3)).toEqual([4, 5]);
  });

  it('agrees with a plain array over many pushes of every size (chunk boundaries, pushes larger than the cap)', () => {
    for (const [cap, chunk] of [[7, 3], [16, 16], [100, 16], [1, 16]] as const) {
      let r = emptyRing<number>(cap, chunk);
      let plain: number[] = [];
      let n = 0;
      for (const size of [1, 2, 5, 0, 9, 31, 3, 1, 1, 120, 4]) {
        const items = range(n, n + size);
        n += size;
        r = ringPush(r, items);
        plain = [...plain, ...items].slice(-cap);
        expect(ringToArray(r)).toEqual(plain);
        expect(r.length).toBe(plain.length);
        for (let i = 0; i < plain.length; i++) expect(ringAt(r, i)).toBe(plain[i]);
      }
    }
  });

  it('never changes a ring it was given', () => {
    const a = ringFrom([1, 2, 3], 4);
    const before = ringToArray(a);
    const b = ringPush(a, [4, 5, 6]);
    expect(ringToArray(a)).toEqual(before);
    expect(ringToArray(b)).toEqual([3, 4, 5, 6]);
    expect(ringPush(b, [])).toBe(b);
  });

  it('holds 100,000 items and appends to them by copying one chunk, not the whole list', () => {
    let r = ringFrom(range(0, 100_000), 100_000);
    const firstChunk = r.chunks[0];
    r = ringPush(r, [100_000]);
    expect(r.length).toBe(100_000);
    expect(ringAt(r, 0)).toBe(1);
    expect(ringLast(r)).toBe(100_000);
    expect(r.chunks[0]).toBe(firstChunk); // shared, not copied
  });
});
