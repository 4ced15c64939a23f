// @vitest-environment jsdom
// The status bar: badges coloured by state with uptime, a click toggles, errors beside it,
// Start all / Stop all / Refresh.
import { act, cleanup, render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { BridgeError } from '../../../../shared/bridge.js';
import { StatusBar } from '../../../../renderer/components/status-bar/StatusBar.js';
import { TrayStoreProvider } from '../../../../renderer/store/react.js';
import { immediateScheduler } from '../../../../renderer/store/scheduler.js';
import { createTrayStore } from '../../../../renderer/store/store.js';
import { fakeBridge, running, status } from '../../helpers/fakes.js';

afterEach(cleanup);

function setup(handlers: Parameters<typeof fakeBridge>[0] = {}) {
  const fake = fakeBridge(handlers);
  const store = createTrayStore({ bridge: fake.bridge, schedule: immediateScheduler });
  render(
    <TrayStoreProvider store={store}>
      <StatusBar />
    </TrayStoreProvider>,
  );
  return { fake, store };
}

describe('StatusBar', () => {
  it('shows one badge per agent, coloured by state, named with its state', () => {
    const { fake } = setup();
    act(() => fake.emit({ type: 'snapshot', at: Date.now(), agents: [status('a'), running('b', Date.now() - 62_500), status('c', { state: 'backoff' }), status('d', { state: 'crashed' })] }));
    expect(screen.getByRole('button', { name: 'a: stopped' }).className).toContain('badge--grey');
    const b = screen.getByRole('button', { name: /^b: running, up 1m 2s/ });
    expect(b.className).toContain('badge--green');
    expect(b.querySelector('.badge__uptime')?.getAttribute('data-text')).toBe('1m 2s');
    expect(screen.getByRole('button', { name: /^c: backoff/ }).className).toContain('badge--yellow');
    expect(screen.getByRole('button', { name: /^d: crashed/ }).className).toContain('badge--red');
    expect(screen.getByText('1 of 4 running, 1 failed')).toBeTruthy();
  });

  it('a click on a stopped badge starts the agent; a refused start shows the API message and hint next to it', async () => {
    const { fake } = setup({ startAgent: () => Promise.reject(new BridgeError({ code: 'port-in-use', message: 'Port 8000 is in use by python3 (pid 77)', hint: 'Stop that program or change the port' })) });
    act(() => fake.emit({ type: 'snapshot', at: Date.now(), agents: [status('web')] }));
    await userEvent.click(screen.getByRole('button', { name: 'web: stopped' }));
    expect(fake.calls.some((c) => c.name === 'startAgent')).toBe(true);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Start web');
    expect(alert.textContent).toContain('Port 8000 is in use by python3 (pid 77)');
    expect(alert.textContent).toContain('Stop that program or change the port');
    await userEvent.click(screen.getByRole('button', { name: 'Dismiss error' }));
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('a click on a running badge stops it', async () => {
    const { fake } = setup({ stopAgent: () => status('a') as never });
    act(() => fake.emit({ type: 'snapshot', at: Date.now(), agents: [running('a', Date.now())] }));
    await userEvent.click(screen.getByRole('button', { name: /^a: running/ }));
    expect(fake.calls.find((c) => c.name === 'stopAgent')?.input).toEqual({ name: 'a' });
  });

  it('Start all, Stop all and Refresh run their commands', async () => {
    const { fake } = setup({ startAll: () => ({ results: [] }), stopAll: () => ({ results: [] }), discover: () => ({ results: [] }) });
    act(() => fake.emit({ type: 'snapshot', at: Date.now(), agents: [status('a')] }));
    await userEvent.click(screen.getByRole('button', { name: 'Start all' }));
    await userEvent.click(screen.getByRole('button', { name: 'Stop all' }));
    await userEvent.click(screen.getByRole('button', { name: 'Refresh' }));
    expect(fake.calls.map((c) => c.name).filter((n) => ['startAll', 'stopAll', 'discover'].includes(n))).toEqual(['startAll', 'stopAll', 'discover']);
  });
});
