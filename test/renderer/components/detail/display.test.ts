// How the detail view writes times, command lines and the ends of runs.
import { describe, expect, it } from 'vitest';
import { commandLine, endingText, formatWhen, quoteArg, startedByText } from '../../../../renderer/components/detail/display.js';
import { MASK } from '../../../../renderer/store/format.js';

describe('display', () => {
  it('writes today as a time of day and other days with their date', () => {
    const now = new Date(2026, 4, 17, 15, 0, 0).getTime();
    expect(formatWhen(new Date(2026, 4, 17, 9, 5, 7).getTime(), now)).toBe('09:05:07');
    expect(formatWhen(new Date(2026, 4, 16, 23, 59, 0).getTime(), now)).toBe('2026-05-16 23:59');
  });

  it('quotes arguments a shell would split or expand, and leaves masked secrets alone', () => {
    expect(quoteArg('--port=8080')).toBe('--port=8080');
    expect(quoteArg('two words')).toBe("'two words'");
    expect(quoteArg("it's")).toBe("'it'\\''s'");
    expect(quoteArg('$HOME')).toBe("'$HOME'");
    expect(quoteArg('')).toBe("''");
    expect(quoteArg(`--token=${MASK}`)).toBe(`--token=${MASK}`);
    expect(commandLine('python3', ['-m', 'http.server', 'a b'])).toBe("python3 -m http.server 'a b'");
  });

  it('says how a run ended and who started it', () => {
    expect(endingText('crashed', 1, null)).toBe('crashed (exit 1)');
    expect(endingText('killed-by-user', null, 'SIGKILL')).toBe('killed (SIGKILL)');
    expect(endingText('stopped-by-user', null, null)).toBe('stopped');
    expect(startedByText('autostart')).toBe('at launch');
  });
});
