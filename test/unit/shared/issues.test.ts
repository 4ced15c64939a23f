// Unit tests for issuePath and formatIssues: schema issues as "where: what" lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { formatIssues, issuePath } from '../../../shared/issues.js';

test('issuePath joins keys with dots and indexes with brackets', () => {
  assert.equal(issuePath(['agents', 1, 'port']), 'agents[1].port');
  assert.equal(issuePath(['agents', 0, 'stop', 'command', 2]), 'agents[0].stop.command[2]');
  assert.equal(issuePath([0, 'name']), '[0].name');
  assert.equal(issuePath(['a', 'b']), 'a.b');
});

test('issuePath names the top level for an empty path', () => {
  assert.equal(issuePath([]), '(top level)');
});

test('formatIssues gives one "path: message" line per issue, with an optional prefix', () => {
  const schema = z.object({ port: z.number().max(10, 'too big'), tags: z.array(z.string()) });
  const result = schema.safeParse({ port: 11, tags: ['ok', 3] });
  assert.equal(result.success, false);
  if (result.success) return;
  const lines = formatIssues(result.error);
  assert.equal(lines.length, 2);
  assert.equal(lines[0], 'port: too big');
  assert.match(lines[1] ?? '', /^tags\[1\]: /);
  assert.deepEqual(formatIssues(result.error, ['agents', 3]).map((l) => l.split(':')[0]), ['agents[3].port', 'agents[3].tags[1]']);
});

test('issuePath quotes a key that is not a plain word, such as an env name with "=" or an empty one', () => {
  assert.equal(issuePath(['env', 'NODE_OPTIONS=--require x']), 'env."NODE_OPTIONS=--require x"');
  assert.equal(issuePath(['env', '']), 'env.""');
  assert.equal(issuePath(['env', 'OLLAMA_HOST']), 'env.OLLAMA_HOST');
});
