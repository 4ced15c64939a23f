// @vitest-environment jsdom
// The window's frame: its place comes from the address (an agent that is not there shows the gone
// page), and what a lost connection left behind goes once the connection is back.
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { BridgeError } from '../../../../shared/bridge.js';
import { App } from '../../../../renderer/App.js';
import { bindRouting } from '../../../../renderer/store/routing.js';
import { immediateScheduler } from '../../../../renderer/store/scheduler.js';
import { createTrayStore } from '../../../../renderer/store/store.js';
import { fakeBridge, status, type Handlers } from '../../helpers/fakes.js';

const unbinds: (() => void)[] = [];
afterEach(() => {
  cleanup();
  for (const unbind of unbinds.splice(0)) unbind();
});

/** The whole app over a connection-aware fake bridge, its place bound to the address `hash`. */
function setup(hash: string, handlers: Handlers = {}) {
  window.history.replaceState(null, '', `/${hash}`);
  const fake = fakeBridge(handlers, { connectionAware: true });
  const store = createTrayStore({ bridge: fake.bridge, schedule: immediateScheduler });
  unbinds.push(bindRouting(store, window));
  render(<App store={store} />);
  return { fake, store, user: userEvent.setup() };
}

describe('Shell', () => {
  it('opens a linked agent that does not exist on its gone page, whose button goes back to the list', async () => {
    const { fake, user } = setup('#/agents/ghost/logs');
    fake.setConnection({ status: 'open', message: null, hint: null });
    fake.emit({ type: 'snapshot', at: 1, agents: [status('web')] });
    expect(await screen.findByText(/There is no agent named/)).toHaveProperty('textContent', 'There is no agent named ghost. It may have been removed.');
    await user.click(screen.getByRole('button', { name: 'Back to the agents' }));
    expect(window.location.hash).toBe('#/agents');
    expect((await screen.findAllByText('web')).length).toBeGreaterThan(0);
  });

  it('opens settings from the address and marks it in the navigation', async () => {
    const { fake } = setup('#/settings');
    fake.setConnection({ status: 'open', message: null, hint: null });
    fake.emit({ type: 'snapshot', at: 1, agents: [] });
    expect(screen.getByRole('button', { name: 'Settings' }).getAttribute('aria-current')).toBe('page');
    expect(await screen.findByRole('heading', { name: 'Settings' })).toBeTruthy();
  });

  it('clears the banner and the errors a reconnect answered, and loads again what they stopped', async () => {
    let answering = false;
    const { fake, store } = setup('#/settings', {
      getSettings: () => {
        if (!answering) throw new BridgeError({ code: 'unreachable', message: 'The Agent Tray host is not answering' });
        return fakeBridge().bridge.getSettings();
      },
      startAgent: (input) => {
        if ((input as { name: string }).name === 'web') throw new BridgeError({ code: 'unreachable', message: 'The Agent Tray host is not answering' });
        throw new BridgeError({ code: 'agent-not-found', message: 'No agent named x' });
      },
    });
    fake.setConnection({ status: 'reconnecting', message: 'Lost the connection to Agent Tray', hint: 'Retrying…' });
    await store.getState().actions.start('x');
    await store.getState().actions.start('web');
    expect(await screen.findByText('The Agent Tray host is not answering')).toBeTruthy();
    expect(screen.getByText('Lost the connection to Agent Tray')).toBeTruthy();

    answering = true;
    fake.setConnection({ status: 'open', message: null, hint: null });
    fake.emit({ type: 'snapshot', at: 1, agents: [] });
    await waitFor(() => expect(screen.queryByText('The Agent Tray host is not answering')).toBeNull());
    expect(screen.queryByText('Lost the connection to Agent Tray')).toBeNull();
    await waitFor(() => expect(store.getState().settings.settings).not.toBeNull());
    expect(store.getState().ui.errors['start:web']).toBeUndefined();
    // an error the host itself gave is not answered by a reconnect
    expect(store.getState().ui.errors['start:x']?.code).toBe('agent-not-found');
  });
});
