// Unit tests for which alerts become desktop notifications and what they say.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { NOTIFICATION_BODY_MAX, notificationFor } from '../../../electron/main/notifications/alert-notification.js';
import type { Alert } from '../../../shared/status.js';

const alert = (over: Partial<Alert>): Alert => ({ id: 1, at: 0, severity: 'critical', kind: 'crashed', name: 'researcher', message: 'researcher exited with code 1: boom', ...over });

test('a crash, a give-up, a failed start and an unhealthy agent notify, naming the agent', () => {
  assert.deepEqual(notificationFor(alert({}), true), { title: 'researcher crashed', body: 'researcher exited with code 1: boom', agent: 'researcher' });
  assert.equal(notificationFor(alert({ severity: 'warning' }), true)?.title, 'researcher crashed and will restart');
  assert.equal(notificationFor(alert({ kind: 'gave-up' }), true)?.title, 'researcher crashed and gave up restarting');
  assert.equal(notificationFor(alert({ kind: 'errored' }), true)?.title, 'researcher could not start');
  assert.equal(notificationFor(alert({ kind: 'unhealthy', message: 'researcher is unhealthy: HTTP 503' }), true)?.body, 'researcher is unhealthy: HTTP 503');
});

test('limits, trends and host-wide alerts stay in the window', () => {
  for (const kind of ['limit', 'memory-trend', 'zombie']) assert.equal(notificationFor(alert({ kind }), true), null, kind);
  assert.equal(notificationFor(alert({ kind: 'utilization', name: null }), true), null);
});

test('turned off: nothing notifies', () => {
  assert.equal(notificationFor(alert({}), false), null);
});

test('a long message is cut with an ellipsis', () => {
  const body = notificationFor(alert({ message: 'x'.repeat(1000) }), true)?.body ?? '';
  assert.equal(body.length, NOTIFICATION_BODY_MAX);
  assert.ok(body.endsWith('…'));
});
