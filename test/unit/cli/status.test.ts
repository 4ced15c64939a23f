// `agent-tray status`: uptimes people read at a glance, and the table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatUptime, renderTable, shortError, statusTable } from '../../../electron/cli/status.js';
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

test('short error: first line, name dropped, cut with an ellipsis', () => {
  const long = status({ name: 'a', state: 'errored', lastError: { message: `Agent "a": ${'x'.repeat(100)}\nmore`, at: 0, exitCode: null, signal: null, stderr: [] } });
  const text = shortError(long, 20);
  assert.equal(text, `${'x'.repeat(19)}…`);
  assert.equal(shortError(status({})), '');
});
