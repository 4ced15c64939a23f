// The text of one event in the stream.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatEvent } from '../../../electron/server/sse.js';
import { parseBlock } from '../../helpers/sse-client.js';

test('an event is id, event type and one line of JSON data, even when a log line has newlines', () => {
  const event = { type: 'log' as const, name: 'web', lines: [{ stream: 'stdout' as const, at: 1, text: 'a\nb\r\nc' }] };
  const text = formatEvent(7, event);
  assert.match(text, /^id: 7\nevent: log\ndata: \{.*\}\n\n$/);
  assert.equal(text.split('\n').length, 5);
  const parsed = parseBlock(text.trimEnd());
  assert.deepEqual(JSON.parse(parsed?.data ?? ''), event);
  assert.equal(parsed?.id, '7');
});
