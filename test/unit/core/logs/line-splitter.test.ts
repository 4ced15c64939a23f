// Unit tests for LineSplitter: bytes to whole lines across chunks, CRLF, UTF-8 borders, bounded line length, resync, reset, flush.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LineSplitter, MAX_LINE_CHARS } from '../../../../electron/core/logs/line-splitter.js';

const b = (s: string) => Buffer.from(s, 'utf8');

test('joins a line that spans several chunks and keeps empty lines', () => {
  const s = new LineSplitter();
  assert.deepEqual(s.push(b('hel')), []);
  assert.deepEqual(s.push(b('lo\nwor')), ['hello']);
  assert.deepEqual(s.push(b('ld\n\nlast')), ['world', '']);
  assert.deepEqual(s.flush(), ['last']);
});

test('strips the CR of CRLF, also when CR and LF arrive in different chunks', () => {
  const s = new LineSplitter();
  assert.deepEqual(s.push(b('a\r\nb\r')), ['a']);
  assert.deepEqual(s.push(b('\nc\rd\n')), ['b', 'c\rd']);
});

test('decodes a multi-byte UTF-8 character split across chunks', () => {
  const euro = b('€'); // e2 82 ac
  const s = new LineSplitter();
  assert.deepEqual(s.push(Buffer.concat([b('price: 5'), euro.subarray(0, 1)])), []);
  assert.deepEqual(s.push(euro.subarray(1, 2)), []);
  assert.deepEqual(s.push(Buffer.concat([euro.subarray(2), b(' ok\n')])), ['price: 5€ ok']);
  // one byte at a time
  const bytes = b('€😀 ünï\n');
  const lines: string[] = [];
  for (const byte of bytes) lines.push(...s.push(Buffer.from([byte])));
  assert.deepEqual(lines, ['€😀 ünï']);
});

test('cuts a long line without newline into pieces of maxLineChars and holds at most that much', () => {
  const s = new LineSplitter(10);
  const out: string[] = [];
  let pushed = '';
  for (let i = 0; i < 1000; i++) {
    const chunk = String.fromCharCode(97 + (i % 26)).repeat(7);
    pushed += chunk;
    out.push(...s.push(b(chunk)));
    // what is not yet emitted is all the splitter holds: never more than one piece
    assert.ok(pushed.length - out.join('').length <= 10, `holds ${pushed.length - out.join('').length} characters`);
  }
  assert.ok(out.every((l) => l.length === 10));
  const rest = s.flush();
  assert.equal([...out, ...rest].join(''), pushed);
  assert.equal(MAX_LINE_CHARS, 16 * 1024);
});

test('a piece never exceeds maxLineChars and the text is kept in order', () => {
  const s = new LineSplitter(4);
  assert.deepEqual(s.push(b('abcdefghij')), ['abcd', 'efgh']);
  assert.deepEqual(s.push(b('k\nxy\n')), ['ijk', 'xy']);
});

test('resync discards up to the next newline, even across chunks', () => {
  const s = new LineSplitter();
  assert.deepEqual(s.push(b('held')), []);
  s.resync();
  assert.deepEqual(s.push(b('middle of a li')), []);
  assert.deepEqual(s.push(b('ne\nnext\nnew')), ['next']);
  assert.deepEqual(s.push(b('er\n')), ['newer']);
});

test('resync drops an incomplete UTF-8 sequence', () => {
  const s = new LineSplitter();
  s.push(b('€').subarray(0, 2));
  s.resync();
  assert.deepEqual(s.push(b('x\nok\n')), ['ok']);
});

test('reset forgets the partial line but keeps the next one whole', () => {
  const s = new LineSplitter();
  s.push(b('old partial'));
  s.push(b('€').subarray(0, 1));
  s.reset();
  assert.deepEqual(s.push(b('fresh\n')), ['fresh']);
});

test('flush returns the unterminated last line once, without a trailing CR', () => {
  const s = new LineSplitter();
  s.push(b('done\r'));
  assert.deepEqual(s.flush(), ['done']);
  assert.deepEqual(s.flush(), []);
  s.push(b('a\n'));
  assert.deepEqual(s.flush(), []);
});

test('flush of a truncated UTF-8 sequence gives a replacement character, not an error', () => {
  const s = new LineSplitter();
  s.push(Buffer.concat([b('x'), b('€').subarray(0, 2)]));
  assert.deepEqual(s.flush(), ['x\uFFFD']);
});

test('a CRLF line of exactly maxLineChars whose LF comes in the next chunk is one line', () => {
  const s = new LineSplitter(4);
  const out = [...s.push(b('abcd\r')), ...s.push(b('\n'))];
  assert.deepEqual(out, ['abcd']);
});
