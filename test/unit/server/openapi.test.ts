// The OpenAPI document generated from the command table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildOpenApi, openApiPath, pathParams } from '../../../electron/server/openapi.js';
import { COMMAND_NAMES, COMMANDS } from '../../../shared/commands.js';

test('routes turn into OpenAPI paths and their parameters', () => {
  assert.deepEqual(pathParams('/api/agents/:name/logs'), ['name']);
  assert.deepEqual(pathParams('/api/agents'), []);
  assert.equal(openApiPath('/api/agents/:name/logs'), '/api/agents/{name}/logs');
});

test('every command is one operation, with unique operation ids and no JSON Schema dialect markers inside', () => {
  const doc = buildOpenApi({ version: '1.2.3' }) as { info: { version: string }; paths: Record<string, Record<string, { operationId: string }>> };
  assert.equal(doc.info.version, '1.2.3');
  const ops = Object.values(doc.paths).flatMap((p) => Object.values(p));
  const ids = ops.map((o) => o.operationId);
  assert.equal(new Set(ids).size, ids.length);
  for (const name of COMMAND_NAMES) assert.ok(ids.includes(name), name);
  assert.equal(ops.length, COMMAND_NAMES.length + 6, 'plus the event stream, /metrics, /mcp (POST, and GET and DELETE refused) and the document itself');
  assert.equal(JSON.stringify(doc).includes('"$schema"'), false);
});

test('path parameters are required, the rest of the input is query, a body field is the request body', () => {
  const doc = buildOpenApi({ version: '0' }) as { paths: Record<string, Record<string, { parameters?: { name: string; in: string; required: boolean }[]; requestBody?: { required: boolean } }>> };
  const ensure = doc.paths['/api/agents/{name}/ensure']?.post;
  assert.deepEqual(ensure?.parameters?.map((p) => [p.in, p.name, p.required]), [['path', 'name', true], ['query', 'timeoutMs', false]]);
  assert.equal(ensure?.requestBody, undefined);
  const update = doc.paths['/api/agents/{name}']?.put;
  assert.deepEqual(update?.parameters?.map((p) => [p.in, p.name, p.required]), [['path', 'name', true], ['query', 'restart', false]]);
  assert.equal(update?.requestBody?.required, true);
  assert.equal(COMMANDS.updateAgent.http.body, 'definition');
});

test('/mcp is documented: POST takes a JSON-RPC message with the bearer token, GET and DELETE answer 405', () => {
  type Op = { operationId: string; security?: unknown; requestBody?: { content: Record<string, unknown> }; responses: Record<string, unknown> };
  const doc = buildOpenApi({ version: '0' }) as { security: unknown; paths: Record<string, Record<string, Op>> };
  const mcp = doc.paths['/mcp'];
  assert.deepEqual(Object.keys(mcp ?? {}).sort(), ['delete', 'get', 'post']);
  assert.equal(mcp?.post?.operationId, 'mcp');
  assert.equal(mcp?.post?.security, undefined, 'the document-wide bearer token applies');
  assert.deepEqual(doc.security, [{ bearer: [] }]);
  assert.ok(mcp?.post?.requestBody?.content['application/json']);
  for (const code of ['200', '202', '400', '401', '406', '415']) assert.ok(mcp?.post?.responses[code], `POST /mcp documents ${code}`);
  assert.ok(mcp?.get?.responses['405']);
  assert.ok(mcp?.delete?.responses['405']);
});
