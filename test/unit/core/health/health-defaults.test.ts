// Unit tests for resolveHealth: the probe picked from the settings, and settings over given defaults over HEALTH_DEFAULTS.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { HealthSettingsSchema } from '../../../../shared/agent.js';
import { HEALTH_DEFAULTS, resolveHealth } from '../../../../electron/core/health/health-defaults.js';

test('no probe configured resolves to null, whatever else is set', () => {
  assert.equal(resolveHealth({}), null);
  assert.equal(resolveHealth({ intervalMs: 500, restartOnFailure: true }), null);
});

test('an http probe gets every default', () => {
  assert.deepEqual(resolveHealth({ http: { url: 'http://127.0.0.1:8001/health' } }), {
    probe: { kind: 'http', url: 'http://127.0.0.1:8001/health' },
    intervalMs: 10_000,
    timeoutMs: 2_000,
    startPeriodMs: 5_000,
    failureThreshold: 3,
    successThreshold: 1,
    restartOnFailure: false,
  });
});

test('a tcp probe without a host connects to 127.0.0.1; a given host is kept', () => {
  assert.deepEqual(resolveHealth({ tcp: { port: 11434 } })?.probe, { kind: 'tcp', host: '127.0.0.1', port: 11434 });
  assert.deepEqual(resolveHealth({ tcp: { host: 'localhost', port: 80 } })?.probe, { kind: 'tcp', host: 'localhost', port: 80 });
});

test('a command probe keeps its argv (as a copy)', () => {
  const command = ['curl', '-f', 'http://127.0.0.1:8001/health'];
  const resolved = resolveHealth({ command });
  assert.deepEqual(resolved?.probe, { kind: 'command', argv: command });
  command.push('--changed');
  assert.deepEqual(resolved?.probe, { kind: 'command', argv: ['curl', '-f', 'http://127.0.0.1:8001/health'] });
});

test('settings win over the given defaults, which win over HEALTH_DEFAULTS', () => {
  const resolved = resolveHealth(
    { tcp: { port: 9000 }, intervalMs: 1_000, restartOnFailure: false },
    { intervalMs: 30_000, timeoutMs: 500, restartOnFailure: true },
  );
  assert.equal(resolved?.intervalMs, 1_000, 'the agent setting wins');
  assert.equal(resolved?.timeoutMs, 500, 'the given default fills what the agent leaves out');
  assert.equal(resolved?.restartOnFailure, false, 'an explicit false is a setting, not a missing value');
  assert.equal(resolved?.startPeriodMs, HEALTH_DEFAULTS.startPeriodMs);
  assert.equal(resolved?.failureThreshold, HEALTH_DEFAULTS.failureThreshold);
});

test('a given default that is undefined does not erase the built-in one', () => {
  const resolved = resolveHealth({ tcp: { port: 9000 } }, { intervalMs: undefined });
  assert.equal(resolved?.intervalMs, HEALTH_DEFAULTS.intervalMs);
});

test('settings parsed by the schema resolve the same way', () => {
  const settings = HealthSettingsSchema.parse({ http: { url: 'http://localhost:3000/' }, successThreshold: 2 });
  const resolved = resolveHealth(settings);
  assert.equal(resolved?.probe.kind, 'http');
  assert.equal(resolved?.successThreshold, 2);
});

test('HEALTH_DEFAULTS are the documented ones and cannot be changed', () => {
  assert.deepEqual({ ...HEALTH_DEFAULTS }, { intervalMs: 10000, timeoutMs: 2000, startPeriodMs: 5000, failureThreshold: 3, successThreshold: 1, restartOnFailure: false });
  assert.ok(Object.isFrozen(HEALTH_DEFAULTS));
});
