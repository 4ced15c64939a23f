// The SSE reader: events split anywhere across chunks, every line ending, comments, multi-line data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readSse, SseParser, type SseMessage } from '../../../electron/cli/sse-reader.js';

const STREAM = ': heartbeat\n\nevent: snapshot\ndata: {"type":"snapshot","agents":[]}\n\nevent: log\ndata: {"type":"log","name":"web","lines":[{"text":"héllo ✓"}]}\n\n';
const EXPECTED: SseMessage[] = [
  { event: 'snapshot', data: '{"type":"snapshot","agents":[]}' },
  { event: 'log', data: '{"type":"log","name":"web","lines":[{"text":"héllo ✓"}]}' },
];

async function collect(chunks: (string | Uint8Array)[]): Promise<SseMessage[]> {
  const out: SseMessage[] = [];
  for await (const m of readSse((async function* () { yield* chunks; })())) out.push(m);
  return out;
}

test('one chunk, or a chunk per character, gives the same events', async () => {
  assert.deepEqual(await collect([STREAM]), EXPECTED);
  assert.deepEqual(await collect([...STREAM]), EXPECTED);
});

test('every split point of the byte stream, including inside a UTF-8 character', async () => {
  const bytes = new TextEncoder().encode(STREAM);
  for (let i = 1; i < bytes.length; i++) {
    assert.deepEqual(await collect([bytes.slice(0, i), bytes.slice(i)]), EXPECTED, `split at byte ${i}`);
  }
});

test('CRLF and CR line endings, also when a chunk ends between CR and LF', async () => {
  const crlf = STREAM.replaceAll('\n', '\r\n');
  for (let i = 1; i < crlf.length; i++) assert.deepEqual(await collect([crlf.slice(0, i), crlf.slice(i)]), EXPECTED, `CRLF split at ${i}`);
  assert.deepEqual(await collect([STREAM.replaceAll('\n', '\r')]), EXPECTED);
});

test('multi-line data, no space after the colon, default event type, id, and ignored fields', () => {
  const p = new SseParser();
  assert.deepEqual(p.push('data:one\ndata: two\nretry: 10\nfoo: bar\nid: 7\n'), []);
  assert.deepEqual(p.push('\n'), [{ event: 'message', data: 'one\ntwo', id: '7' }]);
});

test('an event without data is not dispatched; its type does not leak into the next', () => {
  const p = new SseParser();
  assert.deepEqual(p.push('event: ping\n\ndata: x\n\n'), [{ event: 'message', data: 'x' }]);
});

test('a leading BOM is skipped, and an unterminated event at the end is dropped', async () => {
  assert.deepEqual(await collect(['\uFEFFdata: a\n\n', 'data: cut off']), [{ event: 'message', data: 'a' }]);
});

test('a web ReadableStream (fetch\'s body) is read too', async () => {
  const bytes = new TextEncoder().encode(STREAM);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 7) controller.enqueue(bytes.slice(i, i + 7));
      controller.close();
    },
  });
  const out: SseMessage[] = [];
  for await (const m of readSse(stream)) out.push(m);
  assert.deepEqual(out, EXPECTED);
});
