// `agent-tray logs`: how lines print, -n, and joining the last lines with the followed ones.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatLogLine, linesAfter, parseLineCount } from '../../../electron/cli/logs.js';
import { UsageError } from '../../../electron/cli/client.js';
import type { ApiLogLine } from '../../../shared/commands.js';
import type { LogLine } from '../../../shared/status.js';

test('stderr lines are marked', () => {
  assert.equal(formatLogLine('stdout', 'tick 1'), 'tick 1');
  assert.equal(formatLogLine('stderr', 'boom'), '! boom');
});

test('-n: 1 to 1000 lines', () => {
  assert.equal(parseLineCount('100'), 100);
  for (const bad of ['0', '1001', '-3', '2.5', 'ten', '']) assert.throws(() => parseLineCount(bad), UsageError, bad);
});

const line = (at: number, text: string, stream: LogLine['stream'] = 'stdout'): LogLine => ({ at, stream, text });
const shown = (l: LogLine): ApiLogLine => ({ ts: new Date(l.at).toISOString(), stream: l.stream, text: l.text });

test('followed lines already shown are not printed twice; newer ones are', () => {
  const a = line(1000, 'tick 1');
  const b = line(1100, 'tick 2');
  const c = line(1200, 'tick 3');
  assert.deepEqual(linesAfter([shown(a), shown(b)], [b, c]), [c]);
  assert.deepEqual(linesAfter([shown(a), shown(b), shown(c)], [b, c]), []);
  assert.deepEqual(linesAfter([shown(a)], [b, c]), [b, c], 'no overlap: everything that arrived is new');
  assert.deepEqual(linesAfter([], [a]), [a]);
});

test('lines that arrived before the shown window are not printed after it', () => {
  const lines = [1, 2, 3, 4, 5].map((n) => line(1000 + n, `tick ${n}`));
  // subscribed at tick 1; -n 2 showed ticks 3 and 4; tick 5 is new
  assert.deepEqual(linesAfter([shown(lines[2]!), shown(lines[3]!)], lines), [lines[4]]);
});

test('identical text at another time is a new line', () => {
  const first = line(1000, 'same');
  const again = line(2000, 'same');
  assert.deepEqual(linesAfter([shown(first)], [again]), [again]);
  assert.deepEqual(linesAfter([shown(line(1000, 'x', 'stderr'))], [line(1000, 'x', 'stdout')]), [line(1000, 'x', 'stdout')]);
});
