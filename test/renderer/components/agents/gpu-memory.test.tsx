// @vitest-environment jsdom
// GPU memory in the window: the list's GPU column only while some agent uses GPU memory ("n/a" for
// an agent whose figure this machine cannot tell), and the GPU memory chart on an agent's page only
// where the figure is known.
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentsList } from '../../../../renderer/components/agents/AgentsList.js';
import { AgentDetail } from '../../../../renderer/components/detail/AgentDetail.js';
import { TrayStoreProvider } from '../../../../renderer/store/react.js';
import { immediateScheduler } from '../../../../renderer/store/scheduler.js';
import { createTrayStore } from '../../../../renderer/store/store.js';
import type { AgentStatus, ResourceSample } from '../../../../shared/status.js';
import { fakeBridge, running, status } from '../../helpers/fakes.js';
import { renderWithStore } from '../logs/harness.js';

afterEach(cleanup);

/** A sample of `memoryMB` with GPU memory `gpu` (undefined: an older host that sends none). */
function sample(at: number, memoryMB: number, gpu: number | null | undefined): ResourceSample {
  return { at, cpuPercent: 1, memoryMB, threads: 1, fileHandles: 1, processes: 1, ...(gpu === undefined ? {} : { gpuMemoryMB: gpu }) };
}

/** The list with `agents` in it. */
function list(agents: AgentStatus[]) {
  const fake = fakeBridge({});
  const store = createTrayStore({ bridge: fake.bridge, schedule: immediateScheduler });
  render(
    <TrayStoreProvider store={store}>
      <AgentsList />
    </TrayStoreProvider>,
  );
  act(() => fake.emit({ type: 'snapshot', at: Date.now(), agents }));
  return { fake };
}

const headers = () => screen.getAllByRole('columnheader').map((h) => h.textContent?.replace(/[▲▼]/g, '').trim());

describe('GPU memory in the agents list', () => {
  it('has no GPU column where no agent uses GPU memory (not known, or known and 0)', () => {
    const now = Date.now();
    list([running('a', now - 5000, { stats: sample(now, 100, null) }), running('b', now - 5000, { stats: sample(now, 200, 0) }), running('c', now - 5000, { stats: sample(now, 50, undefined) }), status('d')]);
    expect(headers()).toEqual(['Name', 'State', 'CPU', 'Memory', 'Uptime', 'Port', 'Restarts', 'PID', 'Health', 'Actions']);
    expect(screen.queryByText('n/a')).toBeNull();
  });

  it('shows the GPU column once an agent uses GPU memory: its figure, n/a where not known, sortable', async () => {
    const now = Date.now();
    const { fake } = list([running('a', now - 5000, { stats: sample(now, 100, null) }), running('b', now - 5000, { stats: sample(now, 200, 0) }), status('d')]);
    expect(headers()).not.toContain('GPU');
    act(() => fake.emit({ type: 'snapshot', at: now + 1000, agents: [running('a', now - 5000, { stats: sample(now, 100, null) }), running('b', now - 5000, { stats: sample(now + 1000, 200, 1536) }), status('d')] }));
    expect(headers()).toEqual(['Name', 'State', 'CPU', 'Memory', 'GPU', 'Uptime', 'Port', 'Restarts', 'PID', 'Health', 'Actions']);
    const gpuCell = (row: string) => within(screen.getByRole('row', { name: row })).getAllByRole('cell')[4]?.textContent;
    expect(gpuCell('b, running')).toBe('1.5 GB');
    expect(gpuCell('a, running')).toBe('n/a');
    expect(gpuCell('d, stopped')).toBe('—');
    await userEvent.click(screen.getByRole('button', { name: /^GPU/ }));
    expect(screen.getByRole('columnheader', { name: /GPU/ }).getAttribute('aria-sort')).toBe('descending');
    expect(screen.getAllByRole('row')[1]?.getAttribute('aria-label')).toBe('b, running');
  });
});

describe('GPU memory on an agent\'s page', () => {
  const handlers = (gpu: (i: number) => number | null | undefined) => ({
    getDefinition: () => ({ name: 'alpha', command: 'python3', args: [], env: {} }),
    agentStats: () => ({ samples: [1, 2, 3].map((i) => sample(Date.now() - 3000 + i * 1000, 100 + i, gpu(i))) }),
  });
  const chart = (container: HTMLElement, label: string) => container.querySelector(`[aria-label="${label}"]`)?.closest('.ts-chart') ?? null;

  it('draws the GPU memory chart with its latest value where the figure is known', async () => {
    const h = await renderWithStore(<AgentDetail name="alpha" tab="overview" />, { agents: [running('alpha', Date.now() - 60_000)], handlers: handlers((i) => (i === 1 ? null : 1000 + i * 100)) });
    await waitFor(() => expect(chart(h.container, 'GPU memory of alpha')?.getAttribute('data-points')).toBe('2'));
    expect(chart(h.container, 'GPU memory of alpha')?.querySelector('.ts-chart__value')?.textContent).toBe('1300 MB');
    expect(chart(h.container, 'Memory of alpha')?.getAttribute('data-points')).toBe('3');
  });

  it('has no GPU memory chart where the figure is not known', async () => {
    const h = await renderWithStore(<AgentDetail name="alpha" tab="overview" />, { agents: [running('alpha', Date.now() - 60_000)], handlers: handlers(() => null) });
    await waitFor(() => expect(chart(h.container, 'Memory of alpha')?.getAttribute('data-points')).toBe('3'));
    expect(chart(h.container, 'GPU memory of alpha')).toBeNull();
  });
});
