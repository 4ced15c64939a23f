// One line per action: what the agent is now, how a stop ended, why a start failed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeStatus, describeStop } from '../../../electron/cli/control.js';
import { parseTimeout } from '../../../electron/cli/ensure.js';
import { UsageError } from '../../../electron/cli/client.js';
import type { AgentStatus, StopResult } from '../../../shared/status.js';

function status(over: Partial<AgentStatus>): AgentStatus {
  return { name: 'researcher', state: 'stopped', since: 0, pid: null, startedAt: null, uptimeMs: null, exitCode: null, signal: null, restarts: 0, lastError: null, port: null, health: 'unknown', healthScore: 100, nextAttemptAt: null, violations: 0, stats: null, adopted: false, outputCaptured: true, conflict: null, ...over };
}

test('start and restart: running with its pid, or the reason it failed', () => {
  assert.deepEqual(describeStatus(status({ state: 'running', pid: 123 })), { line: 'researcher: running (pid 123)', ok: true });
  const errored = status({ state: 'errored', lastError: { message: 'Agent "researcher": command "pyth" was not found on PATH', at: 0, exitCode: null, signal: null, stderr: [] } });
  assert.deepEqual(describeStatus(errored), { line: 'researcher: errored: command "pyth" was not found on PATH', ok: false });
  const crashed = status({ state: 'crashed', exitCode: 1, lastError: { message: 'researcher exited with code 1: boom', at: 0, exitCode: 1, signal: null, stderr: [] } });
  assert.deepEqual(describeStatus(crashed), { line: 'researcher: crashed: exited with code 1: boom', ok: false });
  assert.deepEqual(describeStatus(status({ state: 'crashed', exitCode: 3 })), { line: 'researcher: crashed: exit code 3', ok: false });
  assert.deepEqual(describeStatus(status({ state: 'stopped', exitCode: 0 })), { line: 'researcher: stopped (it exited with code 0)', ok: true });
});

test('stop and kill: how long, which step, how many processes', () => {
  const result = (over: Partial<StopResult>): StopResult => ({ name: 'researcher', exitCode: 0, signal: null, durationMs: 85.4, outcome: 'graceful', pids: [10], ...over });
  assert.equal(describeStop('stop', result({})), 'researcher: stopped in 85 ms (graceful)');
  assert.equal(describeStop('stop', result({ outcome: 'insisted', pids: [10, 11, 12] })), 'researcher: stopped in 85 ms (insisted, 3 processes)');
  assert.equal(describeStop('kill', result({ outcome: 'killed', durationMs: 3 })), 'researcher: killed in 3 ms (1 process)');
  assert.equal(describeStop('stop', result({ outcome: 'not-running', pids: [] })), 'researcher: was not running');
});

test('ensure --timeout: units or plain milliseconds, else a usage error', () => {
  assert.equal(parseTimeout('60s'), 60_000);
  assert.equal(parseTimeout('2m'), 120_000);
  assert.equal(parseTimeout('1500'), 1500);
  assert.throws(() => parseTimeout('soon'), UsageError);
  assert.throws(() => parseTimeout('2h'), UsageError);
});
