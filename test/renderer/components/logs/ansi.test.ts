// ANSI in agent output: what is shown, what search and copy see, and how matches cut segments.
import { describe, expect, it } from 'vitest';
import { ansiSegments, cleanLine, markRanges, paletteColour, plainText } from '../../../../renderer/components/logs/ansi.js';
import { makeMatcher } from '../../../../renderer/components/logs/search.js';

const ESC = '\x1b';

describe('plainText and cleanLine', () => {
  it('leaves ordinary text alone (the same string)', () => {
    const text = 'listening on :8080\twith tabs';
    expect(plainText(text)).toBe(text);
    expect(cleanLine(text)).toBe(text);
  });

  it('removes SGR, cursor and OSC sequences, charset selections and control characters', () => {
    expect(plainText(`${ESC}[1;31mERROR${ESC}[0m disk ${ESC}[2Kfull`)).toBe('ERROR disk full');
    expect(plainText(`${ESC}]0;my title\x07ready`)).toBe('ready');
    expect(plainText(`${ESC}]8;;https://x.test${ESC}\\link${ESC}]8;;${ESC}\\`)).toBe('link');
    expect(plainText(`a${ESC}(Bb\x07c\x00d`)).toBe('abcd');
    expect(plainText(`${ESC}[?25lhidden cursor${ESC}[?25h`)).toBe('hidden cursor');
  });

  it('keeps what a terminal would show after carriage returns (progress bars)', () => {
    expect(plainText('10%\r50%\r100%')).toBe('100%');
    expect(plainText('done\r')).toBe('done');
  });

  it('keeps SGR codes in cleanLine for the colours', () => {
    expect(cleanLine(`${ESC}]0;t\x07${ESC}[32mok`)).toBe(`${ESC}[32mok`);
  });
});

describe('ansiSegments', () => {
  it('gives one plain segment for a plain line', () => {
    expect(ansiSegments('hello')).toEqual([{ text: 'hello', className: '', color: null, background: null }]);
  });

  it('maps standard and bright colours and decorations to classes', () => {
    const segs = ansiSegments(`${ESC}[31mred${ESC}[0m plain ${ESC}[1;4;92mbold${ESC}[0m ${ESC}[3;44mit`);
    expect(segs.map((s) => [s.text, s.className])).toEqual([
      ['red', 'ansi-fg-red'],
      [' plain ', ''],
      ['bold', 'ansi-fg-bright-green ansi-bold ansi-underline'],
      [' ', ''],
      ['it', 'ansi-bg-blue ansi-italic'],
    ]);
  });

  it('gives 256-colour and true-colour values as CSS colours', () => {
    const [low, cube, grey, tc] = ansiSegments(`${ESC}[38;5;9ma${ESC}[38;5;208mb${ESC}[38;5;244mc${ESC}[38;2;1;2;3;48;2;250;0;0md`);
    expect(low?.className).toBe('ansi-fg-bright-red');
    expect(cube?.color).toBe(paletteColour(208));
    expect(paletteColour(208)).toBe('rgb(255, 135, 0)');
    expect(grey?.color).toBe('rgb(128, 128, 128)');
    expect(tc).toMatchObject({ text: 'd', color: 'rgb(1, 2, 3)', background: 'rgb(250, 0, 0)' });
  });

  it('keeps markup as text', () => {
    const segs = ansiSegments(`${ESC}[31m<img src=x onerror=alert(1)>`);
    expect(segs).toEqual([{ text: '<img src=x onerror=alert(1)>', className: 'ansi-fg-red', color: null, background: null }]);
  });

  it('joins to the same text as plainText', () => {
    const line = `${ESC}[1mBold${ESC}[22m and ${ESC}[38;5;33mblue${ESC}[0m\r${ESC}[33mwarn${ESC}[0m: ${ESC}]0;x\x07disk`;
    expect(ansiSegments(line).map((s) => s.text).join('')).toBe(plainText(line));
  });
});

describe('markRanges and the matcher', () => {
  it('cuts segments where matches start and end, across segment borders', () => {
    const segs = ansiSegments(`${ESC}[31mERR${ESC}[0mOR: error`);
    const matcher = makeMatcher('error');
    const text = segs.map((s) => s.text).join('');
    const marked = markRanges(segs, matcher?.ranges(text) ?? []);
    expect(marked.map((m) => [m.text, m.className, m.match])).toEqual([
      ['ERR', 'ansi-fg-red', true],
      ['OR', '', true],
      [': ', '', false],
      ['error', '', true],
    ]);
  });

  it('matches case-insensitively and treats the query as text, not a pattern', () => {
    const m = makeMatcher('a.b(');
    expect(m?.test('xxA.B(yy')).toBe(true);
    expect(m?.test('aXb(')).toBe(false);
    expect(m?.ranges('a.b( A.B(')).toEqual([
      [0, 4],
      [5, 9],
    ]);
    expect(makeMatcher('')).toBeNull();
  });
});
