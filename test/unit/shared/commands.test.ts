// The command contract: durations, route uniqueness, and that every command has its schemas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { COMMANDS, COMMAND_NAMES, DurationMsSchema, parseDuration } from '../../../shared/commands.js';
import { ERROR_HTTP_STATUS, httpStatusFor } from '../../../shared/errors.js';

test('durations: ms by default, with ms, s and m units', () => {
  assert.equal(parseDuration('500'), 500);
  assert.equal(parseDuration('500ms'), 500);
  assert.equal(parseDuration('90s'), 90_000);
  assert.equal(parseDuration('1.5s'), 1500);
  assert.equal(parseDuration('2m'), 120_000);
  assert.ok(Number.isNaN(parseDuration('soon')));
  assert.equal(DurationMsSchema.parse('60s'), 60_000);
  assert.equal(DurationMsSchema.parse(250), 250);
  assert.equal(DurationMsSchema.safeParse('2h').success, false);
  assert.equal(DurationMsSchema.safeParse('61m').success, false, 'at most an hour');
  assert.equal(DurationMsSchema.safeParse(-1).success, false);
});

test('every command has a distinct route, and path parameters are input fields', () => {
  const routes = COMMAND_NAMES.map((n) => `${COMMANDS[n].http.method} ${COMMANDS[n].http.path}`);
  assert.equal(new Set(routes).size, routes.length, routes.join('\n'));
  for (const name of COMMAND_NAMES) {
    const spec = COMMANDS[name];
    assert.ok(spec.http.path.startsWith('/api/'), name);
    for (const param of spec.http.path.match(/:(\w+)/g) ?? []) {
      const shape = (spec.input as unknown as { shape: Record<string, unknown> }).shape;
      assert.ok(param.slice(1) in shape, `${name}: ${param} is an input field`);
    }
    if (spec.http.body) assert.ok(spec.http.body in (spec.input as unknown as { shape: Record<string, unknown> }).shape, `${name}: body field`);
  }
});

test('error codes map to HTTP statuses; unknown codes are 500', () => {
  assert.equal(httpStatusFor('unknown-agent'), 404);
  assert.equal(httpStatusFor('bad-request'), 400);
  assert.equal(httpStatusFor('sandbox-refused'), 400);
  assert.equal(httpStatusFor('unauthorized'), 401);
  assert.equal(httpStatusFor('forbidden-origin'), 403);
  assert.equal(httpStatusFor('conflict'), 409);
  assert.equal(httpStatusFor('no-such-code'), 500);
  assert.ok(Object.values(ERROR_HTTP_STATUS).every((s) => s >= 400 && s < 600));
});
