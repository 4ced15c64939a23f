// How a request becomes a command's input.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { commandInput } from '../../../electron/server/command-routes.js';
import { AgentTrayError } from '../../../electron/core/errors.js';

test('query, then body fields, then path parameters, which win', () => {
  const route = { method: 'POST' as const, path: '/api/agents/:name/ensure' };
  assert.deepEqual(commandInput(route, { params: { name: 'a' }, query: { timeoutMs: '5s', name: 'b' }, body: { timeoutMs: 100, name: 'c' } }), { name: 'a', timeoutMs: 100 });
  assert.deepEqual(commandInput(route, { params: { name: 'a' }, query: {}, body: undefined }), { name: 'a' });
  assert.deepEqual(commandInput(route, { params: { name: 'a' }, query: {}, body: null }), { name: 'a' });
});

test('a route that names a body field takes the whole body as that field', () => {
  const route = { method: 'PUT' as const, path: '/api/agents/:name', body: 'definition' };
  const definition = { name: 'x', command: 'node' };
  assert.deepEqual(commandInput(route, { params: { name: 'a' }, query: {}, body: definition }), { name: 'a', definition });
  assert.throws(
    () => commandInput(route, { params: { name: 'a' }, query: {}, body: undefined }),
    (e: unknown) => e instanceof AgentTrayError && e.code === 'bad-request' && /PUT \/api\/agents\/:name needs a JSON body: the definition/.test(e.message),
  );
});

test('a body that is not an object is refused, naming what it is', () => {
  const route = { method: 'POST' as const, path: '/api/agents/start-all' };
  for (const [body, what] of [[[1], 'an array'], ['x', 'string'], [3, 'number']] as const) {
    assert.throws(
      () => commandInput(route, { params: {}, query: {}, body }),
      (e: unknown) => e instanceof AgentTrayError && e.code === 'bad-request' && e.message.includes(`must be a JSON object, not ${what}`),
    );
  }
});
