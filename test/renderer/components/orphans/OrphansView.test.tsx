// @vitest-environment jsdom
// The orphans view: each orphan with pid, agent, command line (cut, whole on focus), age and memory;
// Stop takes its row away once the host stopped it, Stop all stops every one, an error is said in
// the API's words; the empty list explains what an orphan is; the navigation counts them.
import { act, cleanup, render, screen, waitFor, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { BridgeError } from '../../../../shared/bridge.js';
import type { Orphan } from '../../../../shared/discovery.js';
import { App } from '../../../../renderer/App.js';
import { OrphansView } from '../../../../renderer/components/orphans/OrphansView.js';
import { TrayStoreProvider } from '../../../../renderer/store/react.js';
import { bindRouting } from '../../../../renderer/store/routing.js';
import { immediateScheduler } from '../../../../renderer/store/scheduler.js';
import { createTrayStore } from '../../../../renderer/store/store.js';
import { fakeBridge, status, type Handlers } from '../../helpers/fakes.js';

afterEach(() => {
  cleanup();
});

const LONG = `/usr/bin/python3 -m vllm.entrypoints.openai.api_server --model /models/${'x'.repeat(200)} --port 8000`;

const orphan = (pid: number, name: string, patch: Partial<Orphan> = {}): Orphan => ({ name, pid, commandLine: `node ${name}.mjs`, via: 'pid-file', ...patch });

function setup(orphans: Orphan[], handlers: Handlers = {}) {
  let listed = orphans;
  const fake = fakeBridge({
    listOrphans: () => ({ orphans: listed }),
    stopOrphan: (input) => {
      const pid = (input as { pid: number }).pid;
      const o = listed.find((x) => x.pid === pid);
      if (!o) throw new BridgeError({ code: 'not-found', message: `Process ${pid} is not an orphan of Agent Tray`, hint: 'It has ended, is supervised again, or was never ours' });
      listed = listed.filter((x) => x.pid !== pid);
      return { stopped: { name: o.name, pid, outcome: 'graceful', pids: [pid] } };
    },
    cleanupOrphans: () => {
      const stopped = listed.map((o) => ({ name: o.name, pid: o.pid, outcome: 'graceful', pids: [o.pid] }));
      listed = [];
      return { stopped };
    },
    ...handlers,
  });
  const store = createTrayStore({ bridge: fake.bridge, schedule: immediateScheduler });
  render(
    <TrayStoreProvider store={store}>
      <OrphansView />
    </TrayStoreProvider>,
  );
  return { fake, store, user: userEvent.setup(), setListed: (o: Orphan[]) => (listed = o) };
}

/** The table's body rows as the texts of their cells. */
function rows(): string[][] {
  const table = screen.getByRole('table');
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map((r) => within(r).getAllByRole('cell').map((c) => c.textContent ?? ''));
}

describe('OrphansView', () => {
  it('lists each orphan with pid, agent, whole command line on focus, age and memory', async () => {
    const hourAgo = Date.now() - 3_630_000;
    const { fake, store } = setup([orphan(4242, 'gone', { commandLine: LONG, startedAt: hourAgo, memoryMB: 1536 }), orphan(77, 'web', { via: 'marker', commandLine: null, startedAt: null, memoryMB: null })]);
    act(() => fake.emit({ type: 'snapshot', at: Date.now(), agents: [status('web')] }));
    await screen.findByRole('table');
    expect(rows()).toEqual([
      ['4242', 'gone' + 'no longer configured; found by its PID file', LONG, '1 h ago', '1.5 GB', 'Stop'],
      ['77', 'web' + "configured, not supervised; found by Agent Tray's marker variables", 'not readable', '—', '—', 'Stop'],
    ]);
    const command = screen.getByText(LONG);
    expect(command.getAttribute('title')).toBe(LONG); // the whole line on hover
    expect(command.tabIndex).toBe(0); // and reachable by keyboard, where CSS shows it whole
    expect(command.className).toContain('orphan-row__command');
    expect(screen.getByText('1 h ago').getAttribute('title')).toBe(new Date(hourAgo).toLocaleString());
    // a configured agent links to its page; a gone one is plain text
    expect(screen.getByRole('link', { name: 'web' }).getAttribute('href')).toBe('#/agents/web');
    expect(screen.queryByRole('link', { name: 'gone' })).toBeNull();
    await userEvent.setup().click(screen.getByRole('link', { name: 'web' }));
    expect(store.getState().ui).toMatchObject({ view: 'agent', selected: 'web' });
  });

  it('stops one orphan: its row goes once the host stopped it', async () => {
    const { fake, user } = setup([orphan(10, 'a'), orphan(11, 'b')]);
    await screen.findByRole('table');
    await user.click(screen.getByRole('button', { name: 'Stop process 10 (a)' }));
    expect(fake.calls.filter((c) => c.name === 'stopOrphan').map((c) => c.input)).toEqual([{ pid: 10 }]);
    expect(rows().map((r) => r[0])).toEqual(['11']);
  });

  it('says why a stop failed in the API\'s words, and lists again when the process is no longer an orphan', async () => {
    const { fake, user, setListed } = setup([orphan(10, 'a'), orphan(11, 'b')]);
    await screen.findByRole('table');
    setListed([orphan(11, 'b')]); // 10 ended meanwhile
    await user.click(screen.getByRole('button', { name: 'Stop process 10 (a)' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Stop process 10: Process 10 is not an orphan of Agent Tray');
    expect(alert.textContent).toContain('It has ended, is supervised again, or was never ours');
    await waitFor(() => expect(rows().map((r) => r[0])).toEqual(['11']));
    expect(fake.calls.filter((c) => c.name === 'listOrphans').length).toBe(2);
  });

  it('Stop all stops every orphan and says how many', async () => {
    const { fake, user } = setup([orphan(10, 'a'), orphan(11, 'b')]);
    await screen.findByRole('table');
    await user.click(screen.getByRole('button', { name: 'Stop all' }));
    expect(fake.calls.some((c) => c.name === 'cleanupOrphans')).toBe(true);
    expect(await screen.findByText('Stopped 2 orphans with their process trees.')).toBeTruthy();
    expect(screen.queryByRole('table')).toBeNull();
    expect((screen.getByRole('button', { name: 'Stop all' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('explains what an orphan is when there is none, and Refresh lists again', async () => {
    const { user, setListed } = setup([]);
    expect(await screen.findByText('No orphans.')).toBeTruthy();
    expect(screen.getByText(/An orphan is a process Agent Tray started whose agent is gone/)).toBeTruthy();
    setListed([orphan(5, 'late')]);
    await user.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(await screen.findByRole('table')).toBeTruthy();
    expect(rows().map((r) => r[0])).toEqual(['5']);
  });

  it('shows a listing error in the API\'s words with Try again', async () => {
    let fail = true;
    setup([], {
      listOrphans: () => {
        if (fail) throw new BridgeError({ code: 'internal', message: 'Could not read the process table', hint: 'Try again in a moment' });
        return { orphans: [orphan(9, 'x')] };
      },
    });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Could not read the process table');
    expect(screen.queryByText('No orphans.')).toBeNull();
    fail = false;
    await userEvent.setup().click(within(alert).getByRole('button', { name: 'Try again' }));
    expect(await screen.findByRole('table')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('the navigation', () => {
  it('counts the orphans and opens their view at #/orphans', async () => {
    window.history.replaceState(null, '', '/');
    const fake = fakeBridge({ listOrphans: () => ({ orphans: [orphan(1, 'a'), orphan(2, 'b')] }) });
    const store = createTrayStore({ bridge: fake.bridge, schedule: immediateScheduler });
    render(<App store={store} />);
    act(() => fake.emit({ type: 'snapshot', at: 1, agents: [] }));
    const nav = screen.getByRole('navigation', { name: 'Views' });
    const entry = await within(nav).findByRole('button', { name: /^Orphans/ });
    await waitFor(() => expect(entry.textContent).toBe('Orphans2 orphans'));
    await userEvent.setup().click(entry);
    expect(store.getState().ui.view).toBe('orphans');
    expect(entry.getAttribute('aria-current')).toBe('page');
    expect(await screen.findByRole('heading', { name: 'Orphans' })).toBeTruthy();
  });

  it('opens at #/orphans, where the navigation and the view share one listing', async () => {
    window.history.replaceState(null, '', '/#/orphans');
    const fake = fakeBridge({ listOrphans: () => ({ orphans: [orphan(1, 'a')] }) });
    const store = createTrayStore({ bridge: fake.bridge, schedule: immediateScheduler });
    const unbind = bindRouting(store, window);
    try {
      render(<App store={store} />);
      expect(await screen.findByRole('heading', { name: 'Orphans' })).toBeTruthy();
      expect(within(screen.getByRole('navigation', { name: 'Views' })).getByRole('button', { name: /^Orphans/ }).getAttribute('aria-current')).toBe('page');
      await screen.findByRole('table');
      expect(fake.calls.filter((c) => c.name === 'listOrphans').length).toBe(1);
    } finally {
      unbind();
    }
  });

  it('shows no count when there are no orphans', async () => {
    const fake = fakeBridge();
    const store = createTrayStore({ bridge: fake.bridge, schedule: immediateScheduler });
    render(<App store={store} />);
    await waitFor(() => expect(store.getState().orphans.loaded).toBe(true));
    expect(within(screen.getByRole('navigation', { name: 'Views' })).getByRole('button', { name: /^Orphans/ }).textContent).toBe('Orphans');
  });
});
