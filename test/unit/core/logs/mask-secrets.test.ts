// Secret values in agent output become *** before a line is kept or sent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { secretMasker } from '../../../../electron/core/logs/mask-secrets.js';

test('every occurrence of a value of 6 characters or more is masked; shorter values are left (too many false hits)', () => {
  const mask = secretMasker(['sk-abcdef123', 'short', 'hunter22']);
  assert.ok(mask);
  assert.equal(mask('key=sk-abcdef123 again sk-abcdef123'), 'key=*** again ***');
  assert.equal(mask('password hunter22; short stays short'), 'password ***; short stays short');
  assert.equal(mask('nothing to hide'), 'nothing to hide');
  assert.equal(secretMasker(['12345', '']), null, 'nothing long enough: no masker at all');
});

test('a value that contains another is masked whole; each line of a multi-line value is masked', () => {
  const mask = secretMasker(['abcdef', 'xxabcdefyy', '-----BEGIN KEY-----\nMIIEvQIBADANBgkq\n-----END KEY-----']);
  assert.ok(mask);
  assert.equal(mask('xxabcdefyy'), '***');
  assert.equal(mask('an abcdef'), 'an ***');
  assert.equal(mask('MIIEvQIBADANBgkq'), '***');
  assert.equal(mask('-----BEGIN KEY-----'), '***');
});

test('a value with characters special in a regular expression is replaced literally', () => {
  const mask = secretMasker(['a.b*c+(d)$1']);
  assert.equal(mask?.('x a.b*c+(d)$1 y aXbbc'), 'x *** y aXbbc');
});
