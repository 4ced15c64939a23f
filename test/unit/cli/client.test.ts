// Requests built from the command table's routes, and error answers as readable lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildRequest, formatErrorBody, requireName, UsageError } from '../../../electron/cli/client.js';
import { COMMANDS, COMMAND_NAMES } from '../../../shared/commands.js';

test('GET: path parameters filled and encoded, the rest as query', () => {
  assert.deepEqual(buildRequest('listAgents', {}), { method: 'GET', path: '/api/agents' });
  assert.deepEqual(buildRequest('getAgent', { name: 'web' }), { method: 'GET', path: '/api/agents/web' });
  assert.deepEqual(buildRequest('agentLogs', { name: 'my agent', lines: 20, stream: 'stderr' }), {
    method: 'GET',
    path: '/api/agents/my%20agent/logs?lines=20&stream=stderr',
  });
  assert.deepEqual(buildRequest('agentLogs', { name: 'web' }), { method: 'GET', path: '/api/agents/web/logs' }, 'defaults are the host\'s');
});

test('POST, PUT, DELETE: a JSON body of the rest, or of the field `http.body` names', () => {
  assert.deepEqual(buildRequest('startAgent', { name: 'web' }), { method: 'POST', path: '/api/agents/web/start', body: '{}' });
  assert.deepEqual(buildRequest('ensureAgent', { name: 'web', timeoutMs: '90s' }), { method: 'POST', path: '/api/agents/web/ensure', body: '{"timeoutMs":"90s"}' });
  const definition = { name: 'web', command: 'node', args: ['a.js'] };
  assert.deepEqual(buildRequest('createAgent', { definition }), { method: 'POST', path: '/api/agents', body: JSON.stringify(definition) });
  assert.deepEqual(buildRequest('updateAgent', { name: 'old', definition }), { method: 'PUT', path: '/api/agents/old', body: JSON.stringify(definition) });
  assert.deepEqual(buildRequest('removeAgent', { name: 'web', stop: true }), { method: 'DELETE', path: '/api/agents/web', body: '{"stop":true}' });
});

test('every command builds on its own route', () => {
  for (const name of COMMAND_NAMES) {
    // every path parameter of the route gets the value 'x'
    const params = Object.fromEntries([...COMMANDS[name].http.path.matchAll(/:(\w+)/g)].map((m) => [m[1], 'x']));
    const req = buildRequest(name, { ...params, definition: { name: 'x', command: 'c' } } as never);
    assert.equal(req.method, COMMANDS[name].http.method, name);
    assert.equal(req.path.split('?')[0], COMMANDS[name].http.path.replace(/:\w+/g, 'x'), name);
  }
});

test('a missing path parameter is a programming error, not a request to /api/agents/undefined', () => {
  assert.throws(() => buildRequest('startAgent', {} as never), /no "name"/);
});

test('error bodies: the message with its hint, once; other bodies by HTTP status', () => {
  assert.deepEqual(formatErrorBody(404, { error: { code: 'unknown-agent', message: 'No agent named "x" (known agents: a)', hint: 'Check the spelling' } }), {
    code: 'unknown-agent',
    message: 'No agent named "x" (known agents: a). Check the spelling',
  });
  assert.deepEqual(formatErrorBody(409, { error: { code: 'conflict', message: 'Port in use. Stop the other one', hint: 'Stop the other one' } }), { code: 'conflict', message: 'Port in use. Stop the other one' });
  assert.deepEqual(formatErrorBody(404, { message: 'Route GET:/api/x not found', statusCode: 404 }), { code: 'http-404', message: 'The host answered HTTP 404: Route GET:/api/x not found' });
  assert.deepEqual(formatErrorBody(502, undefined), { code: 'http-502', message: 'The host answered HTTP 502' });
});

test('NAME: exactly one, else a usage error', () => {
  assert.equal(requireName(['web'], 'u'), 'web');
  assert.throws(() => requireName([], 'agent-tray start NAME'), (e: unknown) => e instanceof UsageError && /missing the agent NAME\nUsage: agent-tray start NAME/.test(e.message));
  assert.throws(() => requireName(['a', 'b'], 'u'), UsageError);
});
