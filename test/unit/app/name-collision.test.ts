// Agent names that differ only in case are one file on Windows and macOS: caseCollision finds them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { caseCollision, refuseCaseCollision } from '../../../electron/app/name-collision.js';
import { AgentTrayError } from '../../../electron/core/errors.js';

test('caseCollision names the first existing agent whose name differs only in case', () => {
  assert.equal(caseCollision('A1', ['b', 'a1', 'a1x']), 'a1');
  assert.equal(caseCollision('MODEL', ['Model', 'model']), 'Model', 'the first one');
  assert.equal(caseCollision('a1', ['b', 'a10']), null);
  assert.equal(caseCollision('a1', ['a1']), null, 'the same name is the store\'s agent-exists, not a case collision');
});

test('caseCollision skips the agent being renamed, so a1 may become A1', () => {
  assert.equal(caseCollision('A1', ['a1', 'b'], 'a1'), null);
  assert.equal(caseCollision('B', ['a1', 'b'], 'a1'), 'b');
  assert.equal(caseCollision('b', ['b', 'B'], 'b'), null, 'an update that keeps its name passes, even beside a hand-made collision');
});

test('refuseCaseCollision throws agent-exists naming both names and why', () => {
  refuseCaseCollision('c', ['a1', 'b']);
  assert.throws(
    () => refuseCaseCollision('A1', ['a1']),
    (err: unknown) =>
      err instanceof AgentTrayError &&
      err.code === 'agent-exists' &&
      err.message.includes('"A1"') &&
      err.message.includes('"a1"') &&
      /only in case/.test(err.message) &&
      /Windows and macOS/.test(err.message) &&
      err.details.existing === 'a1',
  );
});
