// Unit tests for describeExit: how a process ended, in words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { describeExit } from '../../../electron/core/exit-description.js';

test('describes a normal exit, an exit code, an unknown code and a signal', () => {
  assert.equal(describeExit(0, null), 'exited normally (code 0)');
  assert.equal(describeExit(1, null), 'exited with code 1');
  assert.equal(describeExit(-1, null), 'exited with code -1');
  assert.equal(describeExit(null, null), 'exited (code unknown)');
  assert.equal(describeExit(null, 'SIGKILL'), 'was ended by SIGKILL');
});

test('a signal wins over an exit code', () => {
  assert.equal(describeExit(143, 'SIGTERM'), 'was ended by SIGTERM');
  assert.equal(describeExit(0, 'SIGINT'), 'was ended by SIGINT');
});
