// Every error in the one API shape, with its status.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AgentTrayError, unknownAgent } from '../../../electron/core/errors.js';
import { errorReply } from '../../../electron/server/error-reply.js';

const ctx = { method: 'POST', path: '/api/agents', contentType: 'text/xml', bodyLimit: 1024 };

test('an AgentTrayError keeps its code, its status, and its hint apart from the message', () => {
  const r = errorReply(unknownAgent('nope', ['web']), ctx);
  assert.equal(r.status, 404);
  assert.equal(r.unexpected, false);
  assert.deepEqual(r.body, {
    error: { code: 'unknown-agent', message: 'No agent named "nope" (known agents: web)', hint: 'Check the spelling, or add the agent to agents.json', details: { name: 'nope' } },
  });
  const plain = errorReply(new AgentTrayError('conflict', 'busy'), ctx);
  assert.equal(plain.status, 409);
  assert.deepEqual(plain.body, { error: { code: 'conflict', message: 'busy' } });
});

test('errors of the HTTP layer keep their status and say what was wrong', () => {
  const tooLarge = errorReply(Object.assign(new Error('Request body is too large'), { statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' }), ctx);
  assert.equal(tooLarge.status, 413);
  assert.equal(tooLarge.body.error.code, 'bad-request');
  assert.match(tooLarge.body.error.message, /POST \/api\/agents is larger than the limit of 1024 bytes/);
  const media = errorReply(Object.assign(new Error('Unsupported Media Type'), { statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' }), ctx);
  assert.equal(media.status, 415);
  assert.match(media.body.error.message, /Content-Type "text\/xml"/);
  assert.equal(errorReply(Object.assign(new Error('gone'), { statusCode: 404 }), ctx).body.error.code, 'not-found');
});

test('anything else is a 500 `internal` that the caller logs', () => {
  const r = errorReply(new RangeError('boom'), ctx);
  assert.equal(r.status, 500);
  assert.equal(r.unexpected, true);
  assert.equal(r.body.error.code, 'internal');
  assert.match(r.body.error.message, /POST \/api\/agents: boom/);
  assert.equal(errorReply(Object.assign(new Error('x'), { statusCode: 503 }), ctx).status, 500);
});
