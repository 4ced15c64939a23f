// Stacks as pure functions: when each dependency condition holds, how a failed dependency and a
// list of unmet conditions read, readiness by readyLine / probe / running, and the resumed wait.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { PersistedState } from '../../../electron/core/run-state.js';
import { conditionMet, describeWaitingFor, failureReason, hasFailed, seconds, type DependencyView } from '../../../electron/core/stack/conditions.js';
import { matchReadyLine, newReadiness, readinessMeasure, readyFields } from '../../../electron/core/stack/readiness.js';
import { RESTART_DEFAULTS } from '../../../electron/core/supervision/restart-policy.js';
import { resumeDecision } from '../../../electron/core/supervision/resume.js';

const view = (over: Partial<DependencyView>): DependencyView => ({ state: 'running', health: 'unknown', ready: false, completedAt: null, lastError: null, ...over });

test('started needs running; healthy needs running and a healthy probe; ready needs running and ready', () => {
  assert.equal(conditionMet('started', view({}), 0), true);
  for (const state of ['starting', 'waiting', 'backoff', 'stopping', 'stopped'] as const) assert.equal(conditionMet('started', view({ state }), 0), false, state);
  assert.equal(conditionMet('healthy', view({ health: 'healthy' }), 0), true);
  assert.equal(conditionMet('healthy', view({ health: 'starting' }), 0), false);
  assert.equal(conditionMet('healthy', view({ state: 'stopping', health: 'healthy' }), 0), false);
  assert.equal(conditionMet('ready', view({ ready: true }), 0), true);
  assert.equal(conditionMet('ready', view({ ready: false, health: 'healthy' }), 0), false);
});

test('completed needs a clean exit at or after the request, whatever the state now', () => {
  assert.equal(conditionMet('completed', view({ state: 'stopped', completedAt: 1_000 }), 1_000), true);
  assert.equal(conditionMet('completed', view({ state: 'stopped', completedAt: 999 }), 1_000), false, 'an earlier run does not count');
  assert.equal(conditionMet('completed', view({ state: 'stopped', completedAt: null }), 0), false);
  assert.equal(conditionMet('completed', view({ state: 'backoff', completedAt: 2_000 }), 1_000), true, 'a policy "always" one-shot restarting after its clean exit');
});

test('crashed and errored are failures; a pending retry is not', () => {
  assert.deepEqual((['crashed', 'errored', 'backoff', 'stopped', 'waiting'] as const).map(hasFailed), [true, true, false, false, false]);
});

test('a failure reads "<agent> <state>: <its reason>": its last stderr line, else its message without its own name', () => {
  const crash = { message: 'model exited with code 1: CUDA out of memory (gave up after 5 restarts within 60 s)', at: 1, exitCode: 1, signal: null, stderr: ['loading weights', 'CUDA out of memory'] };
  assert.equal(failureReason('model', 'crashed', crash), 'model crashed: CUDA out of memory');
  assert.equal(failureReason('model', 'crashed', { ...crash, stderr: [] }), 'model crashed: exited with code 1: CUDA out of memory (gave up after 5 restarts within 60 s)');
  const spawn = { message: 'Agent "model": /opt/llama could not be started (ENOENT)', at: 1, exitCode: null, signal: null, stderr: [] };
  assert.equal(failureReason('model', 'errored', spawn), 'model errored: Agent "model": /opt/llama could not be started (ENOENT)');
  assert.equal(failureReason('model', 'errored', null, 'spawn refused'), 'model errored: spawn refused');
  assert.equal(failureReason('model', 'errored', null), 'model errored');
});

test('unmet conditions and wait lengths read as a person says them', () => {
  assert.equal(describeWaitingFor([{ agent: 'model', condition: 'healthy' }, { agent: 'setup', condition: 'completed' }]), 'model (healthy), setup (completed)');
  assert.deepEqual([seconds(600_000), seconds(700), seconds(12_345), seconds(1_500)], ['600 s', '0.7 s', '12 s', '1.5 s']);
});

test('readiness is measured by the readyLine when the output is read, else the probe, else running', () => {
  const line = newReadiness({ readyLine: '^listening on \\d+$' });
  const none = newReadiness({});
  const probe = { health: { http: { url: 'http://127.0.0.1:1/health' } } };
  assert.equal(readinessMeasure(probe, line, true), 'line');
  assert.equal(readinessMeasure(probe, line, false), 'healthy', 'an adopted process whose output is not ours');
  assert.equal(readinessMeasure(probe, none, true), 'healthy');
  assert.equal(readinessMeasure({}, none, true), 'running');
  assert.equal(readinessMeasure({ health: { intervalMs: 1_000 } }, none, true), 'running', 'health settings without a probe');
});

test('the first matching line counts; ready only while running; readyAt is when it became ready', () => {
  const r = newReadiness({ readyLine: 'listening on \\d+' });
  const lines = [
    { stream: 'stdout' as const, at: 10, text: 'loading for 600 ms' },
    { stream: 'stderr' as const, at: 20, text: 'listening on 8080' },
    { stream: 'stdout' as const, at: 30, text: 'listening on 9090' },
  ];
  assert.equal(matchReadyLine(r, lines)?.at, 20);
  assert.equal(matchReadyLine(newReadiness({}), lines), null);
  assert.deepEqual(readyFields('line', 'running', 'unknown', { ...r, at: 20 }), { ready: true, readyAt: 20 });
  assert.deepEqual(readyFields('line', 'running', 'healthy', r), { ready: false, readyAt: null }, 'no line yet: not ready, whatever the probe says');
  assert.deepEqual(readyFields('line', 'stopped', 'unknown', { ...r, at: 20 }), { ready: false, readyAt: null });
  assert.deepEqual(readyFields('healthy', 'running', 'healthy', { ...r, at: 40 }), { ready: true, readyAt: 40 });
  assert.deepEqual(readyFields('healthy', 'running', 'unhealthy', { ...r, at: 40 }), { ready: false, readyAt: null });
  assert.deepEqual(readyFields('running', 'running', 'unknown', { ...r, at: 50 }), { ready: true, readyAt: 50 });
  assert.deepEqual(readyFields('running', 'waiting', 'unknown', r), { ready: false, readyAt: null });
});

test('a readyLine that does not compile (it slipped past validation) falls back to the probe', () => {
  assert.equal(newReadiness({ readyLine: '(' }).regex, null);
});

test('a start that was waiting for its dependencies waits again under the next host, keeping its budget and last error', () => {
  const saved: PersistedState = {
    name: 'server',
    state: 'waiting',
    runId: 'r1',
    at: 1_000,
    restarts: 2,
    crashes: { restartTimes: [900], attempt: 1 },
    nextAttemptAt: null,
    lastError: { message: 'server exited with code 1', at: 800, exitCode: 1, signal: null, stderr: [] },
    exitCode: 1,
    signal: null,
  };
  const d = resumeDecision('server', saved, RESTART_DEFAULTS, 5_000);
  assert.equal(d.action, 'wait');
  if (d.action !== 'wait') return;
  assert.match(d.message, /^server was waiting for its dependencies; it waits again \(carried on from before Agent Tray restarted\)$/);
  assert.deepEqual(d.crashes, saved.crashes);
  assert.equal(d.lastError, saved.lastError);
  assert.equal(resumeDecision('server', saved, { ...RESTART_DEFAULTS, policy: 'no' }, 5_000).action, 'wait', 'whatever its restart policy: a person asked for this start');
});
