// @vitest-environment jsdom
// The agents list: columns, sorting, filtering by text and state, row actions, keyboard.
import { act, cleanup, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentsList } from '../../../../renderer/components/agents/AgentsList.js';
import { TrayStoreProvider } from '../../../../renderer/store/react.js';
import { immediateScheduler } from '../../../../renderer/store/scheduler.js';
import { createTrayStore } from '../../../../renderer/store/store.js';
import { fakeBridge, running, status } from '../../helpers/fakes.js';

afterEach(cleanup);

function setup() {
  const fake = fakeBridge({ startAgent: (i) => running((i as { name: string }).name, Date.now()), restartAgent: (i) => running((i as { name: string }).name, Date.now()) });
  const store = createTrayStore({ bridge: fake.bridge, schedule: immediateScheduler });
  render(
    <TrayStoreProvider store={store}>
      <AgentsList />
    </TrayStoreProvider>,
  );
  const now = Date.now();
  act(() =>
    fake.emit({
      type: 'snapshot',
      at: now,
      agents: [
        running('zeta', now - 5_000, { pid: 300, port: 9000, stats: { cpuPercent: 50, memoryMB: 100, at: now } as never }),
        status('alpha', { port: 8000 }),
        running('mid', now - 90_500, { pid: 200, stats: { cpuPercent: 5, memoryMB: 900, at: now } as never, health: 'healthy', healthScore: 97 }),
        status('broken', { state: 'crashed' }),
      ],
    }),
  );
  return { fake, store };
}

const rowNames = () => screen.getAllByRole('row').slice(1).map((r) => r.getAttribute('aria-label')?.split(',')[0]);

describe('AgentsList', () => {
  it('shows every column, health with its score, and sorts by a column header both ways', async () => {
    setup();
    expect(rowNames()).toEqual(['alpha', 'broken', 'mid', 'zeta']);
    const mid = screen.getByRole('row', { name: 'mid, running' });
    expect(within(mid).getByText('900 MB')).toBeTruthy();
    expect(within(mid).getByText('healthy (97)')).toBeTruthy();
    expect(within(mid).getByText('1m 30s')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: /^CPU/ }));
    expect(rowNames().slice(0, 2)).toEqual(['zeta', 'mid']);
    expect(screen.getByRole('columnheader', { name: /CPU/ }).getAttribute('aria-sort')).toBe('descending');
    await userEvent.click(screen.getByRole('button', { name: /^CPU/ }));
    expect(screen.getByRole('columnheader', { name: /CPU/ }).getAttribute('aria-sort')).toBe('ascending');
    await userEvent.click(screen.getByRole('button', { name: /^Memory/ }));
    expect(rowNames()[0]).toBe('mid');
  });

  it('filters by text (name, port or pid) and by state', async () => {
    setup();
    await userEvent.type(screen.getByRole('searchbox', { name: 'Filter agents' }), 'ze');
    expect(rowNames()).toEqual(['zeta']);
    await userEvent.clear(screen.getByRole('searchbox', { name: 'Filter agents' }));
    await userEvent.type(screen.getByRole('searchbox', { name: 'Filter agents' }), '8000');
    expect(rowNames()).toEqual(['alpha']);
    await userEvent.clear(screen.getByRole('searchbox', { name: 'Filter agents' }));
    await userEvent.click(screen.getByRole('button', { name: 'running' }));
    expect(rowNames()).toEqual(['mid', 'zeta']);
    expect(screen.getByText('2 of 4 agents')).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'crashed' }));
    expect(rowNames()).toEqual(['broken', 'mid', 'zeta']);
  });

  it('row actions run their commands; Logs and Edit go to the agent', async () => {
    const { fake, store } = setup();
    await userEvent.click(screen.getByRole('button', { name: 'Start alpha' }));
    await userEvent.click(screen.getByRole('button', { name: 'Restart mid' }));
    expect(fake.calls.filter((c) => c.name === 'startAgent' || c.name === 'restartAgent').map((c) => [c.name, c.input])).toEqual([
      ['startAgent', { name: 'alpha' }],
      ['restartAgent', { name: 'mid' }],
    ]);
    await userEvent.click(screen.getByRole('button', { name: 'Logs of zeta' }));
    expect(store.getState().ui).toMatchObject({ view: 'logs', selected: 'zeta' });
    await userEvent.click(screen.getByRole('button', { name: 'Edit mid' }));
    expect(store.getState().ui.editor).toEqual({ mode: 'edit', name: 'mid', template: null });
  });

  it('keyboard: arrows move between rows, Enter opens the agent, Space toggles it', async () => {
    const { fake, store } = setup();
    const rows = screen.getAllByRole('row').slice(1);
    rows[0]!.focus();
    await userEvent.keyboard('{ArrowDown}{ArrowDown}');
    expect(document.activeElement?.getAttribute('aria-label')).toBe('mid, running');
    await userEvent.keyboard('{ArrowUp}');
    expect(document.activeElement?.getAttribute('aria-label')).toBe('broken, crashed');
    await userEvent.keyboard(' ');
    expect(fake.calls.find((c) => c.name === 'startAgent')?.input).toEqual({ name: 'broken' });
    await userEvent.keyboard('{Enter}');
    expect(store.getState().ui).toMatchObject({ view: 'agent', selected: 'broken' });
  });
});

describe('AgentsList: why a row failed', () => {
  it('shows a failed agent\'s reason on its row, whole in its title, as the row\'s description', () => {
    const fake = fakeBridge({});
    const store = createTrayStore({ bridge: fake.bridge, schedule: immediateScheduler });
    render(
      <TrayStoreProvider store={store}>
        <AgentsList />
      </TrayStoreProvider>,
    );
    const message = 'Exited with code 1 right after start: ModuleNotFoundError: No module named flask (see its log)';
    act(() =>
      fake.emit({
        type: 'snapshot',
        at: Date.now(),
        agents: [status('broken', { state: 'crashed', lastError: { message, at: Date.now(), exitCode: 1, signal: null, stderr: [] } }), status('fine')],
      }),
    );
    const row = screen.getByRole('row', { name: 'broken, crashed' });
    const reason = within(row).getByText(message);
    expect(reason.className).toBe('agents__reason');
    expect(reason.getAttribute('title')).toBe(message);
    expect(row.getAttribute('aria-describedby')).toBe(reason.id);
    expect(screen.getByRole('row', { name: 'fine, stopped' }).querySelector('.agents__reason')).toBeNull();
  });
});
