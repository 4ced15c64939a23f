// @vitest-environment jsdom
// The log view's search of the log files on disk: offered for a search text, fetched on request
// (by keyboard too), shown under the "Older results (from log files)" divider with time and file,
// without the lines the view already shows, paged with "More older results", started over when
// the search changes, its errors in the API's words; and the live view keeps following when the
// results below make it shorter.
import { act, cleanup, fireEvent, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LOG_ROW_HEIGHT, LogView } from '../../../../renderer/components/logs/LogView.js';
import { BridgeError } from '../../../../shared/bridge.js';
import type { CommandResult, LogSearchMatch } from '../../../../shared/commands.js';
import type { LogLine } from '../../../../shared/status.js';
import { running } from '../../helpers/fakes.js';
import { manyLines, renderWithStore, stubLogLayout } from './harness.js';

const T = 1_700_000_000_000;
const out = (text: string): LogLine => ({ stream: 'stdout', at: T, text });
const err = (text: string): LogLine => ({ stream: 'stderr', at: T, text });
const found = (stream: LogSearchMatch['stream'], text: string, file: string, line: number | null, ts: string | null = null): LogSearchMatch => ({ ts, stream, text, file, line });

let restoreLayout: () => void = () => {};
beforeEach(() => {
  restoreLayout = stubLogLayout(360);
});
afterEach(() => {
  cleanup();
  restoreLayout();
});

/** The older results as the list shows them: time, place, text. */
const olderRows = () =>
  within(screen.getByRole('list', { name: 'Older results (from log files)' }))
    .getAllByRole('listitem')
    .map((li) => [li.querySelector('.log-disk__when')?.textContent, li.querySelector('.log-disk__where')?.textContent, li.querySelector('.log-disk__text')?.textContent]);

describe('LogView: search of the log files on disk', () => {
  it('shows the older matches under a divider with time and file, leaves out what the view holds, and pages on', async () => {
    const user = userEvent.setup();
    const pages: Record<string, CommandResult<'searchLogs'>> = {
      first: {
        matches: [
          // written after the view's last line: not one the view shows
          found('stdout', 'error just written', 'alpha.out.log', 13),
          found('stdout', 'error live', 'alpha.out.log', 12),
          found('stdout', 'error older', 'alpha.out.log', 7, '2024-05-01T10:00:00.000Z'),
          found('stderr', 'error on stderr', 'alpha.err.log', 3),
          found('stderr', 'error older on stderr', 'alpha.err.log.1', null),
        ],
        cursor: 'c1',
        scannedBytes: 2 * 1024 * 1024,
        truncated: true,
      },
      c1: { matches: [found('stdout', 'the oldest \x1b[31merror\x1b[0m', 'alpha.out.log.1', 3)], cursor: null, scannedBytes: 1024 * 1024, truncated: false },
    };
    const h = await renderWithStore(<LogView name="alpha" />, {
      agents: [running('alpha', T)],
      handlers: { searchLogs: (input) => pages[(input as { cursor?: string }).cursor ?? 'first']! },
    });
    h.log('alpha', [out('error live'), err('error on stderr'), out('fine')]);
    expect(screen.queryByRole('button', { name: 'Search older logs on disk' })).toBeNull();

    await user.type(screen.getByRole('searchbox', { name: 'Search output' }), 'error');
    const start = screen.getByRole('button', { name: 'Search older logs on disk' });
    start.focus();
    await user.keyboard('{Enter}');
    expect(h.fake.calls.filter((c) => c.name === 'searchLogs').map((c) => c.input)).toEqual([{ name: 'alpha', q: 'error', stream: 'all' }]);

    expect(screen.getByRole('heading', { name: 'Older results (from log files)' })).toBeTruthy();
    const when = new Date('2024-05-01T10:00:00.000Z');
    const day = `${when.getFullYear()}-${String(when.getMonth() + 1).padStart(2, '0')}-${String(when.getDate()).padStart(2, '0')}`;
    // the lines the view already shows are left out
    expect(olderRows()).toEqual([
      ['no time', 'alpha.out.log:13', 'error just written'],
      [`${day} ${when.toTimeString().slice(0, 8)}`, 'alpha.out.log:7', 'error older'],
      ['no time', 'alpha.err.log.1', 'error older on stderr'],
    ]);
    const items = within(screen.getByRole('list', { name: 'Older results (from log files)' })).getAllByRole('listitem');
    expect(items[1]?.querySelector('time')?.getAttribute('datetime')).toBe('2024-05-01T10:00:00.000Z');
    expect(items[2]?.getAttribute('data-stream')).toBe('stderr');
    expect(items[2]?.textContent).toContain('stderr: ');
    expect([...items[1]!.querySelectorAll('mark.log-match')].map((m) => m.textContent)).toEqual(['error']);
    expect(screen.getByText(/^3 older matching lines · 2\.0 MB of log files searched · older files remain$/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Search older logs on disk' })).toBeNull();

    const more = screen.getByRole('button', { name: 'More older results' });
    more.focus();
    await user.keyboard('{Enter}');
    expect(h.fake.calls.filter((c) => c.name === 'searchLogs').at(-1)?.input).toEqual({ name: 'alpha', q: 'error', stream: 'all', cursor: 'c1' });
    expect(olderRows().at(-1)).toEqual(['no time', 'alpha.out.log.1:3', 'the oldest error']);
    expect(screen.queryByRole('button', { name: 'More older results' })).toBeNull();
    const summary = screen.getByText(/^4 older matching lines · 3\.0 MB of log files searched$/);
    expect(document.activeElement).toBe(summary);

    // another search text starts over
    await user.type(screen.getByRole('searchbox', { name: 'Search output' }), 's');
    expect(screen.queryByRole('heading', { name: 'Older results (from log files)' })).toBeNull();
    expect(screen.getByRole('button', { name: 'Search older logs on disk' })).toBeTruthy();
  });

  it('keeps following when the results make the live view shorter (a scroll that comes with a new height is the layout\'s)', async () => {
    const h = await renderWithStore(<LogView name="alpha" />, { agents: [running('alpha', T)] });
    h.log('alpha', manyLines(100));
    const el = screen.getByRole('log', { name: 'Output of alpha' });
    expect(el.scrollTop).toBe(100 * LOG_ROW_HEIGHT - 360);
    fireEvent.scroll(el);
    // the results below take 160 px: the browser keeps scrollTop, which is no longer the end
    restoreLayout();
    restoreLayout = stubLogLayout(200);
    fireEvent.scroll(el);
    expect(screen.getByRole('button', { name: 'Follow' }).getAttribute('aria-pressed')).toBe('true');
    expect(el.scrollTop).toBe(100 * LOG_ROW_HEIGHT - 200);
    // a scroll of the user's at the same height still lets go
    el.scrollTop = 100;
    fireEvent.scroll(el);
    expect(screen.getByRole('button', { name: 'Follow' }).getAttribute('aria-pressed')).toBe('false');
  });

  it('searches the stream the view shows, says when nothing older matched, and shows a refusal in the API\'s words', async () => {
    const user = userEvent.setup();
    let answer: () => CommandResult<'searchLogs'> = () => ({ matches: [], cursor: null, scannedBytes: 4096, truncated: false });
    const h = await renderWithStore(<LogView name="alpha" />, { agents: [running('alpha', T)], handlers: { searchLogs: () => answer() } });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Streams' }), 'stderr');
    await user.type(screen.getByRole('searchbox', { name: 'Search output' }), 'timeout');
    await user.click(screen.getByRole('button', { name: 'Search older logs on disk' }));
    expect(h.fake.calls.filter((c) => c.name === 'searchLogs').at(-1)?.input).toEqual({ name: 'alpha', q: 'timeout', stream: 'stderr' });
    expect(screen.getByText('No older matches in the log files · 4 KB of log files searched')).toBeTruthy();
    expect(screen.queryByRole('list', { name: 'Older results (from log files)' })).toBeNull();

    answer = () => {
      throw new BridgeError({ code: 'permission-denied', message: 'Could not read /data/logs/alpha.out.log: permission denied', hint: 'Give your user read access to it' });
    };
    await user.type(screen.getByRole('searchbox', { name: 'Search output' }), 's');
    await user.click(screen.getByRole('button', { name: 'Search older logs on disk' }));
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Search of the log files: Could not read /data/logs/alpha.out.log: permission denied');
    expect(alert.textContent).toContain('Give your user read access to it');
    answer = () => ({ matches: [found('stderr', 'timeouts', 'alpha.err.log', 1)], cursor: null, scannedBytes: 10, truncated: false });
    await act(async () => {
      within(alert).getByRole('button', { name: 'Retry' }).click();
    });
    expect(screen.queryByRole('alert')).toBeNull();
    expect(olderRows()).toEqual([['no time', 'alpha.err.log:1', 'timeouts']]);
  });
});
