// Unit tests for LineRing: a fixed-size ring of the newest log lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineRing } from '../../../../electron/core/logs/line-ring.js';
import type { LogLine } from '../../../../shared/status.js';

const lines = (from: number, to: number): LogLine[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({ stream: 'stdout', at: from + i, text: `line ${from + i}` }));
const texts = (ring: LineRing, limit?: number) => ring.toArray(limit).map((l) => l.text);

test('an empty ring has no lines', () => {
  const ring = new LineRing(3);
  assert.equal(ring.size, 0);
  assert.deepEqual(ring.toArray(), []);
  assert.deepEqual(ring.toArray(5), []);
});

test('keeps lines oldest first until the capacity is reached', () => {
  const ring = new LineRing(5);
  ring.push(lines(1, 2));
  ring.push(lines(3, 3));
  assert.equal(ring.size, 3);
  assert.deepEqual(texts(ring), ['line 1', 'line 2', 'line 3']);
});

test('drops the oldest lines beyond the capacity', () => {
  const ring = new LineRing(3);
  ring.push(lines(1, 4));
  assert.equal(ring.size, 3);
  assert.equal(ring.capacity, 3);
  assert.deepEqual(texts(ring), ['line 2', 'line 3', 'line 4']);
});

test('toArray(limit) gives the newest `limit` lines, oldest first', () => {
  const ring = new LineRing(4);
  ring.push(lines(1, 6));
  assert.deepEqual(texts(ring, 2), ['line 5', 'line 6']);
  assert.deepEqual(texts(ring, 4), ['line 3', 'line 4', 'line 5', 'line 6']);
  assert.deepEqual(texts(ring, 100), ['line 3', 'line 4', 'line 5', 'line 6']);
  assert.deepEqual(texts(ring, 0), []);
  assert.deepEqual(texts(ring, -3), []);
});

test('stays correct after wrapping around many times, pushed one by one and in batches', () => {
  const ring = new LineRing(7);
  let n = 0;
  for (let round = 0; round < 100; round++) {
    const batch = (round % 11) + 1;
    ring.push(lines(n + 1, n + batch));
    n += batch;
    const expected = Array.from({ length: Math.min(7, n) }, (_, i) => `line ${n - Math.min(7, n) + 1 + i}`);
    assert.deepEqual(texts(ring), expected, `after ${n} lines`);
    assert.deepEqual(texts(ring, 3), expected.slice(-3));
  }
});

test('a ring of one keeps the last line', () => {
  const ring = new LineRing(1);
  ring.push(lines(1, 3));
  assert.deepEqual(texts(ring), ['line 3']);
});

test('refuses a capacity that is not a positive integer', () => {
  for (const capacity of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
    assert.throws(() => new LineRing(capacity), (err: unknown) => err instanceof RangeError && /positive integer/.test(err.message), String(capacity));
  }
});
