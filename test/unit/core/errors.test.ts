// Unit tests for AgentTrayError (message with hint, code, details, cause) and unknownAgent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AgentTrayError, unknownAgent } from '../../../electron/core/errors.js';

test('AgentTrayError joins the message and the hint, and keeps code, hint, details and cause', () => {
  const cause = Object.assign(new Error('spawn python3 ENOENT'), { code: 'ENOENT' });
  const err = new AgentTrayError('spawn-failed', 'Agent "a" could not start', { hint: 'Install python3', details: { name: 'a' }, cause });
  assert.ok(err instanceof Error);
  assert.equal(err.name, 'AgentTrayError');
  assert.equal(err.message, 'Agent "a" could not start. Install python3');
  assert.equal(err.code, 'spawn-failed');
  assert.equal(err.hint, 'Install python3');
  assert.deepEqual(err.details, { name: 'a' });
  assert.equal(err.cause, cause);
  assert.match(String(err), /^AgentTrayError: Agent "a" could not start\. Install python3/);
});

test('AgentTrayError without options has the bare message, empty details and no cause', () => {
  const err = new AgentTrayError('io-failed', 'disk full');
  assert.equal(err.message, 'disk full');
  assert.equal(err.hint, undefined);
  assert.deepEqual(err.details, {});
  assert.equal('cause' in err, false);
});

test('unknownAgent lists the known names', () => {
  const err = unknownAgent('reserch', ['researcher', 'ollama']);
  assert.equal(err.code, 'unknown-agent');
  assert.match(err.message, /^No agent named "reserch" \(known agents: researcher, ollama\)\. /);
  assert.match(err.message, /agents\.json/);
  assert.deepEqual(err.details, { name: 'reserch' });
});

test('unknownAgent says when no agents are defined', () => {
  const err = unknownAgent('x', []);
  assert.match(err.message, /no agents are defined yet/);
  assert.doesNotMatch(err.message, /known agents:/);
});
