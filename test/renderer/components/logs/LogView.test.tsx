// @vitest-environment jsdom
// The log view: live lines, ANSI colours as spans (never markup), search, filters, follow mode,
// copy, the log folder, and virtualisation of a 100,000-line log.
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LOG_ROW_HEIGHT, LogView } from '../../../../renderer/components/logs/LogView.js';
import { BridgeError } from '../../../../shared/bridge.js';
import type { LogLine } from '../../../../shared/status.js';
import { running } from '../../helpers/fakes.js';
import { manyLines, renderWithStore, stubLogLayout } from './harness.js';

const T = 1_700_000_000_000;
const out = (text: string): LogLine => ({ stream: 'stdout', at: T, text });
const err = (text: string): LogLine => ({ stream: 'stderr', at: T, text });

let restoreLayout: () => void = () => {};
beforeEach(() => {
  restoreLayout = stubLogLayout(360);
});
afterEach(() => {
  cleanup();
  restoreLayout();
  vi.unstubAllGlobals();
});

const region = () => screen.getByRole('log', { name: 'Output of alpha' });
/** The text of every row in the DOM, without the time column. */
const rowTexts = () => [...region().querySelectorAll('.log-row .log-text')].map((el) => el.textContent);

/** A clipboard whose writes the test reads. */
function stubClipboard(writeText = vi.fn(async (_text: string) => {})) {
  Object.defineProperty(window.navigator, 'clipboard', { configurable: true, value: { writeText } });
  return writeText;
}

describe('LogView', () => {
  it('loads the recent output once, then shows live lines; stderr is marked', async () => {
    const h = await renderWithStore(<LogView name="alpha" />, {
      agents: [running('alpha', T)],
      handlers: { agentLogs: () => ({ lines: [{ ts: new Date(T - 1000).toISOString(), stream: 'stdout', text: 'from before' }] }) },
    });
    await waitFor(() => expect(rowTexts()).toEqual(['from before']));
    expect(h.fake.calls.filter((c) => c.name === 'agentLogs')).toHaveLength(1);

    h.log('alpha', [out('started'), err('warning: low disk')]);
    expect(rowTexts()).toEqual(['from before', 'started', 'warning: low disk']);
    const rows = region().querySelectorAll('.log-row');
    expect(rows[2]?.className).toContain('log-row--stderr');
    expect(rows[2]?.getAttribute('data-stream')).toBe('stderr');
    expect(rows[1]?.className).toContain('log-row--stdout');
    expect(screen.getByText('3 lines')).toBeTruthy();
  });

  it('renders ANSI colours as spans and markup as text', async () => {
    const h = await renderWithStore(<LogView name="alpha" />, { agents: [running('alpha', T)] });
    h.log('alpha', [out('\x1b[31mred\x1b[0m and \x1b[1;4mbold\x1b[0m'), out('<img src=x onerror=alert(1)><b>hi</b>')]);
    const red = within(region()).getByText('red');
    expect(red.tagName).toBe('SPAN');
    expect(red.className).toBe('ansi-fg-red');
    expect(within(region()).getByText('bold').className).toBe('ansi-bold ansi-underline');
    expect(region().querySelector('img')).toBeNull();
    expect(region().querySelector('b')).toBeNull();
    expect(rowTexts()[1]).toBe('<img src=x onerror=alert(1)><b>hi</b>');
    expect(region().textContent).not.toContain('\x1b');
  });

  it('highlights matches, counts matching lines, shows only them on request; Escape clears', async () => {
    const user = userEvent.setup();
    const h = await renderWithStore(<LogView name="alpha" />, { agents: [running('alpha', T)] });
    h.log('alpha', [out('Error: one'), out('fine'), err('\x1b[31mERR\x1b[0mOR two error'), out('also fine')]);
    const search = screen.getByRole('searchbox', { name: 'Search output' });
    await user.type(search, 'error');
    expect(screen.getByText('2 matching lines')).toBeTruthy();
    const marks = [...region().querySelectorAll('mark.log-match')].map((m) => m.textContent);
    expect(marks).toEqual(['Error', 'ERR', 'OR', 'error']);
    expect(rowTexts()).toHaveLength(4);

    await user.click(screen.getByRole('checkbox', { name: 'Only matching lines' }));
    expect(rowTexts()).toEqual(['Error: one', 'ERROR two error']);
    expect(screen.getByText('2 of 4 lines')).toBeTruthy();

    // new lines are filtered as they arrive
    h.log('alpha', [out('another error'), out('nothing')]);
    expect(rowTexts()).toEqual(['Error: one', 'ERROR two error', 'another error']);
    expect(screen.getByText('3 matching lines')).toBeTruthy();

    await user.type(search, '{Escape}');
    expect((search as HTMLInputElement).value).toBe('');
    expect(rowTexts()).toHaveLength(6);
    expect(region().querySelector('mark')).toBeNull();
  });

  it('filters by stream', async () => {
    const user = userEvent.setup();
    const h = await renderWithStore(<LogView name="alpha" />, { agents: [running('alpha', T)] });
    h.log('alpha', [out('o1'), err('e1'), out('o2'), err('e2')]);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Streams' }), 'stderr');
    expect(rowTexts()).toEqual(['e1', 'e2']);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Streams' }), 'stdout');
    expect(rowTexts()).toEqual(['o1', 'o2']);
    expect(screen.getByText('2 of 4 lines')).toBeTruthy();
  });

  it('follows new lines, stops when the user scrolls up, and resumes with the button or End', async () => {
    const user = userEvent.setup();
    const h = await renderWithStore(<LogView name="alpha" />, { agents: [running('alpha', T)] });
    h.log('alpha', manyLines(100));
    const el = region();
    const bottom = () => 100 * LOG_ROW_HEIGHT - 360;
    expect(el.scrollTop).toBe(bottom());
    expect(screen.getByRole('button', { name: 'Follow' }).getAttribute('aria-pressed')).toBe('true');

    // more lines: still at the end
    h.log('alpha', manyLines(10, T, 'more'));
    expect(el.scrollTop).toBe(110 * LOG_ROW_HEIGHT - 360);

    // the user scrolls up: the view stays where they put it while lines arrive
    el.scrollTop = 200;
    fireEvent.scroll(el);
    expect(screen.getByRole('button', { name: 'Follow' }).getAttribute('aria-pressed')).toBe('false');
    h.log('alpha', manyLines(10, T, 'later'));
    expect(el.scrollTop).toBe(200);

    await user.click(screen.getByRole('button', { name: 'Jump to latest' }));
    expect(el.scrollTop).toBe(120 * LOG_ROW_HEIGHT - 360);
    expect(screen.queryByRole('button', { name: 'Jump to latest' })).toBeNull();

    // a wheel turn upwards stops following at once; End resumes it
    fireEvent.wheel(el, { deltaY: -100 });
    expect(screen.getByRole('button', { name: 'Jump to latest' })).toBeTruthy();
    h.log('alpha', manyLines(5, T, 'again'));
    expect(el.scrollTop).toBe(120 * LOG_ROW_HEIGHT - 360);
    el.focus();
    await user.keyboard('{End}');
    expect(el.scrollTop).toBe(125 * LOG_ROW_HEIGHT - 360);
    expect(screen.getByRole('button', { name: 'Follow' }).getAttribute('aria-pressed')).toBe('true');
  });

  it('keeps the rows the user reads in view while the oldest lines drop at the cap', async () => {
    const h = await renderWithStore(<LogView name="alpha" />, { agents: [running('alpha', T)], limits: { logLines: 100 } });
    h.log('alpha', manyLines(100));
    const el = region();
    el.scrollTop = 50 * LOG_ROW_HEIGHT; // "line 50" at the top
    fireEvent.scroll(el);
    h.log('alpha', manyLines(10, T, 'new'));
    expect(el.scrollTop).toBe(40 * LOG_ROW_HEIGHT);
    fireEvent.scroll(el);
    expect(rowTexts()).toContain('line 50');

  });

  it('moves the view by the shown rows that dropped, not by every dropped line, when filtered', async () => {
    const user = userEvent.setup();
    const h = await renderWithStore(<LogView name="alpha" />, { agents: [running('alpha', T)], limits: { logLines: 100 } });
    h.log('alpha', Array.from({ length: 100 }, (_, i) => (i % 2 === 0 ? out(`o${i}`) : err(`e${i}`))));
    await user.selectOptions(screen.getByRole('combobox', { name: 'Streams' }), 'stdout');
    const el = region();
    el.scrollTop = 0;
    fireEvent.scroll(el);
    el.scrollTop = 20 * LOG_ROW_HEIGHT; // of 50 stdout rows, 20 in a viewport: not at the end
    fireEvent.scroll(el);
    // 10 new lines push out the 10 oldest: 5 of them stdout rows
    h.log('alpha', manyLines(10, T, 'new'));
    expect(el.scrollTop).toBe(15 * LOG_ROW_HEIGHT);
  });

  it('copies the shown lines as plain text, without colour codes', async () => {
    const user = userEvent.setup();
    const writeText = stubClipboard();
    const h = await renderWithStore(<LogView name="alpha" />, { agents: [running('alpha', T)] });
    h.log('alpha', [out('\x1b[32mok\x1b[0m one'), err('\x1b[31mboom\x1b[0m'), out('two')]);
    await user.click(screen.getByRole('button', { name: 'Copy' }));
    expect(writeText).toHaveBeenCalledWith('ok one\nboom\ntwo');
    expect(screen.getByRole('status').textContent).toBe('Copied 3 lines');

    await user.selectOptions(screen.getByRole('combobox', { name: 'Streams' }), 'stdout');
    await user.click(screen.getByRole('button', { name: 'Copy' }));
    expect(writeText).toHaveBeenLastCalledWith('ok one\ntwo');
  });

  it('shows a failed copy inline', async () => {
    const user = userEvent.setup();
    stubClipboard(vi.fn(async () => Promise.reject(new Error('Document is not focused.'))));
    const h = await renderWithStore(<LogView name="alpha" />, { agents: [running('alpha', T)] });
    h.log('alpha', [out('x')]);
    await user.click(screen.getByRole('button', { name: 'Copy' }));
    expect(screen.getByRole('alert').textContent).toBe('could not copy: Document is not focused.');
  });

  it('shows the log folder with a copy button when the host cannot open it', async () => {
    const user = userEvent.setup();
    const writeText = stubClipboard();
    const h = await renderWithStore(<LogView name="alpha" />, {
      agents: [running('alpha', T)],
      handlers: { openLogFolder: () => ({ folder: '/data/logs/alpha', stdout: '/data/logs/alpha/stdout.log', stderr: '/data/logs/alpha/stderr.log', opened: false }) },
    });
    await user.click(screen.getByRole('button', { name: 'Open log folder' }));
    expect(h.fake.calls.find((c) => c.name === 'openLogFolder')?.input).toEqual({ name: 'alpha' });
    expect(screen.getByText('/data/logs/alpha')).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Copy path' }));
    expect(writeText).toHaveBeenCalledWith('/data/logs/alpha');
    await user.click(screen.getByRole('button', { name: 'Hide the folder' }));
    expect(screen.queryByText('/data/logs/alpha')).toBeNull();
  });

  it('shows nothing more when the folder was opened, and the error in the API words when it failed', async () => {
    const user = userEvent.setup();
    let opened = true;
    await renderWithStore(<LogView name="alpha" />, {
      agents: [running('alpha', T)],
      handlers: {
        openLogFolder: () => {
          if (!opened) throw new BridgeError({ code: 'internal', message: 'the file manager could not be started', hint: 'open /data/logs/alpha yourself' });
          return { folder: '/data/logs/alpha', stdout: 'a', stderr: 'b', opened: true };
        },
      },
    });
    await user.click(screen.getByRole('button', { name: 'Open log folder' }));
    expect(screen.queryByText('/data/logs/alpha')).toBeNull();
    opened = false;
    await user.click(screen.getByRole('button', { name: 'Open log folder' }));
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('the file manager could not be started');
    expect(alert.textContent).toContain('open /data/logs/alpha yourself');
  });

  it('keeps only the rows on screen in the DOM for 100,000 lines', async () => {
    const h = await renderWithStore(<LogView name="alpha" />, { agents: [running('alpha', T)] });
    h.log('alpha', manyLines(100_000));
    expect(screen.getByText('100,000 lines')).toBeTruthy();
    const el = region();
    // the view follows: it is at the end; once the list hears the scroll it shows the last lines
    fireEvent.scroll(el);
    const rows = el.querySelectorAll('.log-row');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(60);
    expect(rowTexts()).toContain('line 99999');
    expect(rowTexts()).not.toContain('line 0');

    // scrolled to the top: the first lines, still only a screenful
    el.scrollTop = 0;
    fireEvent.scroll(el);
    expect(rowTexts()).toContain('line 0');
    expect(el.querySelectorAll('.log-row').length).toBeLessThan(60);
    const top = el.querySelector('.log-canvas') as HTMLElement;
    expect(top.style.height).toBe(`${100_000 * LOG_ROW_HEIGHT}px`);
  });

  it('says how many lines were dropped at the cap', async () => {
    const h = await renderWithStore(<LogView name="alpha" />, { agents: [running('alpha', T)], limits: { logLines: 50 } });
    h.log('alpha', manyLines(60));
    expect(screen.getByText(/^10 lines dropped/)).toBeTruthy();
  });

  it('focuses the search with / and Ctrl+F', async () => {
    const user = userEvent.setup();
    await renderWithStore(<LogView name="alpha" />, { agents: [running('alpha', T)] });
    const search = screen.getByRole('searchbox', { name: 'Search output' });
    await user.keyboard('/');
    expect(document.activeElement).toBe(search);
    expect((search as HTMLInputElement).value).toBe('');
    search.blur();
    await user.keyboard('{Control>}f{/Control}');
    expect(document.activeElement).toBe(search);
  });

  it('shows a failed load with its hint and a retry', async () => {
    const user = userEvent.setup();
    let fail = true;
    const h = await renderWithStore(<LogView name="alpha" />, {
      agents: [running('alpha', T)],
      handlers: {
        agentLogs: () => {
          if (fail) throw new BridgeError({ code: 'unavailable', message: 'the host is busy', hint: 'try again in a moment' });
          return { lines: [{ ts: new Date(T).toISOString(), stream: 'stdout', text: 'back' }] };
        },
      },
    });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('the host is busy');
    expect(alert.textContent).toContain('try again in a moment');
    fail = false;
    await user.click(within(alert).getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(rowTexts()).toEqual(['back']));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(h.fake.calls.filter((c) => c.name === 'agentLogs')).toHaveLength(2);
  });

  it('says when the output of an adopted agent is not captured, and when there is no such agent', async () => {
    const h = await renderWithStore(<LogView name="alpha" />, { agents: [running('alpha', T, { adopted: true, outputCaptured: false })] });
    expect(screen.getByText(/output is not captured/)).toBeTruthy();
    await act(async () => h.fake.emit({ type: 'agent-removed', name: 'alpha' }));
    expect(screen.getByText('There is no agent named alpha.')).toBeTruthy();
  });
});
