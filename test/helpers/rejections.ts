// What a promise rejects with, for tests of refusals.
import assert from 'node:assert/strict';
import { AgentTrayError } from '../../electron/core/errors.js';

/** The AgentTrayError a promise rejects with (fails the test when it resolves, or rejects with something else). */
export async function rejection(p: Promise<unknown>): Promise<AgentTrayError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof AgentTrayError, `expected an AgentTrayError, got ${String(err)}`);
    return err;
  }
  assert.fail('expected the promise to reject');
}

/** Rejects with an AgentTrayError of `code`; returns it. */
export async function rejectsWith(p: Promise<unknown>, code: string): Promise<AgentTrayError> {
  const err = await rejection(p);
  assert.equal(err.code, code, err.message);
  return err;
}
