// @vitest-environment jsdom
// Recent runs get the width their content needs: the section spans the whole row of the overview,
// times, durations and figures never wrap and line up (tabular digits), and a table wider than a
// narrow window scrolls inside its section. The page's own stylesheet is applied.
import { cleanup, screen, waitFor, within } from '@testing-library/react';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AgentDetail } from '../../../../renderer/components/detail/AgentDetail.js';
import { RunHistoryProvider, type RunHistory } from '../../../../renderer/components/detail/run-history.js';
import { running } from '../../helpers/fakes.js';
import { renderWithStore } from '../logs/harness.js';

afterEach(cleanup);

beforeAll(() => {
  const style = document.createElement('style');
  style.textContent = readFileSync(path.resolve('renderer/components/detail/detail.css'), 'utf8');
  document.head.append(style);
});

const now = Date.now();
const history: RunHistory = {
  runs: [
    { id: 'a-1', name: 'alpha', pid: 10, startedAt: now - 600_000, endedAt: now - 422_000, durationMs: 178_000, startedBy: 'user', ended: 'host-lost', exitCode: null, signal: null, restarts: 0, peakMemoryMB: 1200, avgCpuPercent: 12.5, message: 'lost' },
  ],
  inProgress: [],
};

describe('the Recent runs table', () => {
  it('spans the overview, keeps durations and times on one line with tabular digits, and scrolls when narrower', async () => {
    await renderWithStore(
      <RunHistoryProvider load={async () => history}>
        <AgentDetail name="alpha" tab="overview" />
      </RunHistoryProvider>,
      { agents: [running('alpha', now - 1000)], handlers: { getDefinition: () => ({ name: 'alpha', command: 'x', args: [], env: {} }) } },
    );
    const section = screen.getByRole('region', { name: 'Recent runs' });
    const duration = await waitFor(() => within(section).getByText('2m 58s'));
    expect(getComputedStyle(section).gridColumn).toBe('1 / -1');
    expect(getComputedStyle(duration).whiteSpace).toBe('nowrap');
    expect(getComputedStyle(duration).fontVariantNumeric).toBe('tabular-nums');
    expect(getComputedStyle(duration).textAlign).toBe('right');
    const started = duration.parentElement?.firstElementChild as HTMLElement;
    expect(getComputedStyle(started).whiteSpace).toBe('nowrap');
    // the ending is words: the one column that may wrap
    expect(getComputedStyle(within(section).getByText('Agent Tray lost track of it')).whiteSpace).toBe('normal');
    const scroller = section.querySelector('table')?.parentElement as HTMLElement;
    expect(getComputedStyle(scroller).overflowX).toBe('auto');
  });
});
