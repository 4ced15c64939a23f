// `agent-tray status`: uptimes people read at a glance, and the table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorBlock, formatUptime, renderTable, shortError, statusLines, statusTable } from '../../../electron/cli/status.js';
import type { AgentStatus } from '../../../shared/status.js';

test('uptime: seconds, minutes and seconds, hours and minutes, days and hours', () => {
  assert.equal(formatUptime(0), '0s');
  assert.equal(formatUptime(999), '0s');
  assert.equal(formatUptime(3_400), '3s');
  assert.equal(formatUptime(59_999), '59s');
  assert.equal(formatUptime(60_000), '1m 00s');
  assert.equal(formatUptime((5 * 60 + 2) * 1000), '5m 02s');
  assert.equal(formatUptime(3_599_999), '59m 59s');
  assert.equal(formatUptime(3_600_000), '1h 00m');
  assert.equal(formatUptime((2 * 3600 + 3 * 60 + 59) * 1000), '2h 03m');
  assert.equal(formatUptime((28 * 3600 + 59 * 60) * 1000), '1d 4h');
  assert.equal(formatUptime(400 * 86_400_000), '400d 0h');
  assert.equal(formatUptime(-5), '0s', 'clock skew never shows a negative uptime');
});

test('table: padded columns, two spaces apart, no trailing spaces', () => {
  assert.deepEqual(renderTable(['A', 'BB'], [['xxx', 'y'], ['z', '']]), ['A    BB', 'xxx  y', 'z']);
});

function status(over: Partial<AgentStatus>): AgentStatus {
  return { name: 'web', state: 'stopped', since: 0, pid: null, startedAt: null, uptimeMs: null, exitCode: null, signal: null, restarts: 0, lastError: null, port: null, health: 'unknown', healthScore: 100, nextAttemptAt: null, violations: 0, stats: null, adopted: false, outputCaptured: true, conflict: null, ...over };
}

test('status table: dashes for what is not there, an ERROR column only when something failed', () => {
  assert.deepEqual(statusTable([status({ name: 'researcher', state: 'running', pid: 4242, uptimeMs: 302_000, port: 8001 }), status({ name: 'ollama' })]), [
    'NAME        STATE    PID   UPTIME  PORT',
    'researcher  running  4242  5m 02s  8001',
    'ollama      stopped  -     -       -',
  ]);
  const crashed = status({
    name: 'crasher',
    state: 'crashed',
    pid: 999,
    exitCode: 1,
    lastError: { message: 'crasher exited with code 1: boom: OPENAI_API_KEY is not set', at: 0, exitCode: 1, signal: null, stderr: [] },
  });
  assert.deepEqual(statusTable([status({ state: 'running', pid: 7, uptimeMs: 1000 }), crashed]), [
    'NAME     STATE    PID  UPTIME  PORT  ERROR',
    'web      running  7    1s      -',
    'crasher  crashed  -    -       -     exited with code 1: boom: OPENAI_API_KEY is not set',
  ]);
});

test('short error: name dropped, lines joined; a cut one ends with where to read it whole', () => {
  const long = status({ name: 'a', state: 'errored', lastError: { message: `Agent "a": ${'x'.repeat(100)}\nmore`, at: 0, exitCode: null, signal: null, stderr: [] } });
  assert.equal(shortError(long), `${'x'.repeat(100)} ⏎ more`);
  const pointer = '… (agent-tray status --wide, or agent-tray logs a)';
  assert.equal(shortError(long, 80), `${'x'.repeat(80 - pointer.length)}${pointer}`);
  assert.equal(shortError(long, 80).length, 80);
  assert.equal(shortError(long, 10), pointer, 'too narrow for any of it: still says where to read it');
  assert.equal(shortError(status({})), '');
});

test('status lines: whole errors when they fit the terminal (or there is none); else below the table, cut to its width', () => {
  const message = `crasher exited with code 1: ${'y'.repeat(120)} END`;
  const crashed = status({ name: 'crasher', state: 'crashed', lastError: { message, at: 0, exitCode: 1, signal: null, stderr: [] } });
  const agents = [status({ state: 'running', pid: 7, uptimeMs: 1000 }), crashed];
  assert.deepEqual(statusLines(agents, undefined), statusTable(agents), 'not a terminal: the table with whole errors');
  assert.match(statusLines(agents, undefined)[2] ?? '', /END$/);
  assert.deepEqual(statusLines(agents, 400), statusTable(agents), 'a wide terminal: everything fits');
  const lines = statusLines(agents, 80);
  assert.deepEqual(lines.slice(0, 4), ['NAME     STATE    PID  UPTIME  PORT', 'web      running  7    1s      -', 'crasher  crashed  -    -       -', '']);
  assert.equal(lines.length, 6, 'the error takes two lines');
  assert.ok(lines[4]!.startsWith(`crasher: exited with code 1: yyy`), lines[4]);
  assert.ok(lines[5]!.startsWith(`         yyy`), lines[5]);
  assert.ok(lines[5]!.endsWith('… (agent-tray status --wide, or agent-tray logs crasher)'), lines[5]);
  assert.equal(lines[4]!.length, 80);
  assert.ok(!lines.join('').includes('END'));
  for (const l of lines) assert.ok(l.length <= 80, l);
  // an error that fits in two lines is not cut
  const shorter = status({ name: 'c', state: 'errored', lastError: { message: `${'z'.repeat(100)} END`, at: 0, exitCode: null, signal: null, stderr: [] } });
  assert.deepEqual(errorBlock(shorter, 80), [`c: ${'z'.repeat(77)}`, `   ${'z'.repeat(23)} END`]);
});
