// A file that cannot be written (an agent's log, the run history) becomes a `disk` warning, at
// most one per file a minute, and every failure is counted per file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AlertCenter } from '../../../electron/app/alerts.js';
import { ioErrorEvent } from '../../../electron/core/io-error-event.js';
import { fileError } from '../../../electron/core/io-errors.js';
import type { Alert } from '../../../shared/status.js';

function center() {
  let now = 1_000;
  const published: Alert[] = [];
  const c = new AlertCenter({ utilization: () => ({ active: 0, max: 0 }), memoryForecast: () => null }, (a) => published.push(a), { now: () => now });
  return { c, published, advance: (ms: number) => (now += ms) };
}

const enospc = (): NodeJS.ErrnoException => Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });

test('an io-error event is a `disk` warning naming the file and the cause', () => {
  const { c, published } = center();
  c.observe(ioErrorEvent(enospc(), '/data/logs/web.out.log', 'web', 'write', 5));
  assert.equal(published.length, 1);
  const alert = published[0]!;
  assert.deepEqual([alert.severity, alert.kind, alert.name], ['warning', 'disk', 'web']);
  assert.match(alert.message, /^Could not write \/data\/logs\/web\.out\.log: the disk is full \(ENOSPC\)/);
  assert.match(alert.message, /Free some space/);
});

test('at most one `disk` alert per file a minute; another file alerts at once; every failure is counted', () => {
  const { c, published, advance } = center();
  const history = '/data/history.jsonl';
  for (let i = 0; i < 5; i++) c.observe(ioErrorEvent(enospc(), history, null, 'append to', 1_000 + i));
  c.observe(ioErrorEvent(Object.assign(new Error('EROFS'), { code: 'EROFS' }), '/data/logs/web.err.log', 'web', 'write', 1_010));
  assert.deepEqual(published.map((a) => [a.kind, a.name]), [['disk', null], ['disk', 'web']]);
  advance(59_999);
  c.observe(ioErrorEvent(enospc(), history, null, 'append to', 61_000));
  assert.equal(published.length, 2, 'still within the minute');
  advance(1);
  c.observe(ioErrorEvent(enospc(), history, null, 'append to', 61_001));
  assert.equal(published.length, 3);
  assert.match(published[2]!.message, /\(7 failed writes so far\)$/);
  const counted = c.ioErrors();
  assert.equal(counted.total, 8);
  assert.deepEqual(
    counted.files.map((f) => [f.file, f.name, f.count, f.code]),
    [
      [history, null, 7, 'ENOSPC'],
      ['/data/logs/web.err.log', 'web', 1, 'EROFS'],
    ],
  );
});

test('the event keeps the errno of an error already wrapped by fileError, and its words', () => {
  const wrapped = fileError(Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }), '/data/history.jsonl', 'append to');
  const event = ioErrorEvent(wrapped, '/data/history.jsonl', null, 'append to', 7);
  assert.deepEqual({ ...event, message: '' }, { type: 'io-error', name: null, file: '/data/history.jsonl', code: 'EACCES', message: '', at: 7 });
  assert.match(event.message, /^Could not append to \/data\/history\.jsonl: permission denied \(EACCES\)/);
  assert.equal(ioErrorEvent(new Error('odd'), '/f', null).code, 'EIO', 'an error without errno');
});
