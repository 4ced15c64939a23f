// Unit tests for the rebuild throttle on a fake clock: first run immediate, bursts coalesce into one trailing run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createThrottle } from '../../../electron/main/tray/rebuild-throttle.js';
import { fakeTimers } from '../../helpers/fake-timers.js';

/** A throttle over a counter that records when it ran. */
function setup(interval = 250) {
  const clock = fakeTimers();
  const runs: number[] = [];
  const throttle = createThrottle(() => runs.push(clock.now()), interval, clock);
  return { clock, runs, throttle };
}

test('the first request runs at once', () => {
  const { runs, throttle, clock } = setup();
  throttle.request();
  assert.deepEqual(runs, [1_000]);
  assert.equal(clock.pending(), 0);
});

test('requests within the interval coalesce into one trailing run at its end', () => {
  const { runs, throttle, clock } = setup();
  throttle.request();
  clock.advance(10);
  throttle.request();
  throttle.request();
  clock.advance(100);
  throttle.request();
  assert.deepEqual(runs, [1_000]);
  assert.equal(clock.pending(), 1);
  clock.advance(140);
  assert.deepEqual(runs, [1_000, 1_250]);
  clock.advance(1_000);
  assert.deepEqual(runs, [1_000, 1_250], 'nothing more without new requests');
});

test('a request after a quiet interval runs at once again', () => {
  const { runs, throttle, clock } = setup();
  throttle.request();
  clock.advance(300);
  throttle.request();
  assert.deepEqual(runs, [1_000, 1_300]);
});

test('100 events in a second give at most a few runs, the last after the last event', () => {
  const { runs, throttle, clock } = setup(250);
  for (let i = 0; i < 100; i++) {
    throttle.request();
    clock.advance(10);
  }
  clock.advance(1_000);
  assert.ok(runs.length <= 5, `ran ${runs.length} times`);
  assert.ok((runs.at(-1) ?? 0) >= 1_000 + 99 * 10, 'the last state is shown');
  for (let i = 1; i < runs.length; i++) assert.ok((runs[i] ?? 0) - (runs[i - 1] ?? 0) >= 250);
});

test('flush runs a pending trailing call now, and does nothing when none is pending', () => {
  const { runs, throttle, clock } = setup();
  throttle.flush();
  assert.deepEqual(runs, []);
  throttle.request();
  throttle.request();
  clock.advance(50);
  throttle.flush();
  assert.deepEqual(runs, [1_000, 1_050]);
  assert.equal(clock.pending(), 0);
  clock.advance(1_000);
  assert.deepEqual(runs, [1_000, 1_050]);
});

test('dispose cancels the pending run and ignores later requests', () => {
  const { runs, throttle, clock } = setup();
  throttle.request();
  throttle.request();
  throttle.dispose();
  assert.equal(clock.pending(), 0);
  clock.advance(1_000);
  throttle.request();
  throttle.flush();
  assert.deepEqual(runs, [1_000]);
});

test('a throwing fn does not wedge the throttle', () => {
  const clock = fakeTimers();
  let calls = 0;
  const throttle = createThrottle(() => {
    calls++;
    throw new Error('boom');
  }, 100, clock);
  assert.throws(() => throttle.request(), /boom/);
  clock.advance(200);
  assert.throws(() => throttle.request(), /boom/);
  assert.equal(calls, 2);
});

test('works with the real timers by default: the trailing run comes on its own', { timeout: 5_000 }, async () => {
  let calls = 0;
  await new Promise<void>((resolve) => {
    const throttle = createThrottle(() => {
      calls++;
      if (calls === 2) resolve();
    }, 20);
    throttle.request();
    throttle.request();
    assert.equal(calls, 1);
  });
  assert.equal(calls, 2);
});
