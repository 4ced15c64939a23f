// Unit tests for the `ps` output parser, on a recorded macOS sample with the time zone injected.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  parseLstart,
  parsePsTable,
  psStartTimeCommand,
  psTableCommand,
  type LocalTimeFn,
} from '../../../electron/core/platform/ps-output.js';

/** Local time in a fixed UTC+01:00 zone, so the test gives the same answer on any host. */
const utcPlusOne: LocalTimeFn = (y, mo, d, h, mi, s) => Date.UTC(y, mo, d, h, mi, s) - 3_600_000;

const MACOS_PS = [
  '    1     0     1 Ss   Sun Nov  1 08:02:11 2026',
  '  331     1   331 Ss   Sun Nov  1 08:02:40 2026',
  '  812   331   812 S    Sun Nov 22 13:34:19 2026',
  ' 4120   812  4120 R+   Sun Nov 22 13:40:02 2026',
  ' 4133  4120  4120 Z    Sun Nov 22 13:40:05 2026',
  ' 9001  4120  9001 SN   Thu Dec 31 23:59:59 2026',
  '',
].join('\n');

test('psTableCommand lists every process without headers', () => {
  assert.deepEqual(psTableCommand(), { command: 'ps', args: ['-A', '-o', 'pid=,ppid=,pgid=,stat=,lstart='] });
});

test('psStartTimeCommand asks for one pid and refuses non-pids', () => {
  assert.deepEqual(psStartTimeCommand(812), { command: 'ps', args: ['-o', 'lstart=', '-p', '812'] });
  assert.throws(() => psStartTimeCommand(0), /not a process id/);
  assert.throws(() => psStartTimeCommand(1.5), /not a process id/);
});

test('parsePsTable reads pid, ppid, pgid, the state letter and the start time', () => {
  const table = parsePsTable(MACOS_PS, utcPlusOne);
  assert.equal(table.length, 6);
  assert.deepEqual(table[0], { pid: 1, ppid: 0, pgid: 1, state: 'S', startTime: Date.UTC(2026, 10, 1, 7, 2, 11) });
  assert.deepEqual(table[3], { pid: 4120, ppid: 812, pgid: 4120, state: 'R', startTime: Date.UTC(2026, 10, 22, 12, 40, 2) });
  assert.equal(table[4]?.state, 'Z');
  assert.equal(table[4]?.pgid, 4120);
  assert.equal(table[5]?.startTime, Date.UTC(2026, 11, 31, 22, 59, 59));
});

test('parsePsTable accepts CRLF and empty output', () => {
  assert.deepEqual(parsePsTable('', utcPlusOne), []);
  assert.equal(parsePsTable(MACOS_PS.replaceAll('\n', '\r\n'), utcPlusOne).length, 6);
});

test('parsePsTable uses the host time zone by default', () => {
  const [row] = parsePsTable('  812   331   812 S    Sun Nov 22 13:34:19 2026\n');
  assert.equal(row?.startTime, new Date(2026, 10, 22, 13, 34, 19).getTime());
});

test('malformed lines and dates throw a clear Error', () => {
  assert.throws(() => parsePsTable('  PID  PPID  PGID STAT STARTED\n', utcPlusOne), /malformed ps line/);
  assert.throws(() => parsePsTable('  1 0 1 Ss yesterday\n', utcPlusOne), /malformed ps lstart/);
  assert.throws(() => parseLstart('Sun Foo 22 13:34:19 2026', utcPlusOne), /malformed ps lstart/);
});

test('parseLstart handles a single-digit day padded with spaces', () => {
  assert.equal(parseLstart('Mon Nov  2 00:00:00 2026\n', utcPlusOne), Date.UTC(2026, 10, 1, 23, 0, 0));
});
