// The bearer token check.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bearerToken, tokenMatcher } from '../../../electron/server/auth.js';

test('bearerToken reads `Bearer TOKEN` in any case and nothing else', () => {
  assert.equal(bearerToken('Bearer abc'), 'abc');
  assert.equal(bearerToken('bearer  abc '), 'abc');
  for (const h of [undefined, '', 'Basic abc', 'Bearer', 'Bearer a b', 'abc']) assert.equal(bearerToken(h), null, String(h));
});

test('tokenMatcher accepts the token only, whatever the length of the attempt', () => {
  const matches = tokenMatcher('s3cret-token');
  assert.equal(matches('s3cret-token'), true);
  for (const t of ['s3cret-toke', 's3cret-tokenx', '', 'S3CRET-TOKEN', null, undefined]) assert.equal(matches(t), false, String(t));
});
