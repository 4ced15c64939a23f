// @vitest-environment jsdom
// The store in React: a provider connects it to the bridge, components re-render from events, and
// a click runs an action whose error appears next to the badge.
import { act, cleanup, render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { useMemo } from 'react';
import { afterEach, describe, expect, it } from 'vitest';
import { BridgeError } from '../../../shared/bridge.js';
import { TrayStoreProvider, useTray, useTrayActions } from '../../../renderer/store/react.js';
import { badgeModels, errorFor } from '../../../renderer/store/selectors.js';
import { immediateScheduler } from '../../../renderer/store/scheduler.js';
import { createTrayStore } from '../../../renderer/store/store.js';
import { fakeBridge, running, status } from '../helpers/fakes.js';

afterEach(cleanup);

/** A status bar as a component would write one with the store's hooks. */
function StatusBar({ now }: { now: number }) {
  const agents = useTray((s) => s.agents);
  const ui = useTray((s) => s.ui);
  const actions = useTrayActions();
  const badges = useMemo(() => badgeModels(agents, now), [agents, now]);
  return (
    <ul>
      {badges.map((b) => (
        <li key={b.name}>
          <button className={b.className} aria-label={b.label} title={b.tooltip} onClick={() => void actions.toggle(b.name)}>
            {b.name} {b.uptimeText}
          </button>
          {errorFor(ui, b.action ?? 'start', b.name) && <span role="alert">{errorFor(ui, b.action ?? 'start', b.name)?.message}</span>}
        </li>
      ))}
    </ul>
  );
}

describe('TrayStoreProvider and hooks', () => {
  it('renders from the snapshot and events; a badge click starts the agent; its error shows beside it', async () => {
    const fake = fakeBridge({
      startAgent: (input) => {
        const { name } = input as { name: string };
        if (name === 'bad') throw new BridgeError({ code: 'command-not-found', message: 'bad: the command "nope" is not on PATH' });
        return running(name, 0);
      },
    });
    const store = createTrayStore({ bridge: fake.bridge, schedule: immediateScheduler });
    render(
      <TrayStoreProvider store={store}>
        <StatusBar now={182_000} />
      </TrayStoreProvider>,
    );
    expect(fake.subscribers()).toBe(1);
    act(() => fake.emit({ type: 'snapshot', at: 0, agents: [status('alpha'), status('bad')] }));
    const alpha = screen.getByRole('button', { name: 'alpha: stopped' });
    expect(alpha.className).toBe('badge badge--grey');

    await userEvent.click(alpha);
    expect(fake.calls.find((c) => c.name === 'startAgent')?.input).toEqual({ name: 'alpha' });
    act(() => fake.emit({ type: 'state', name: 'alpha', from: 'starting', to: 'running', reason: { kind: 'spawned', message: '' }, at: 0, status: running('alpha', 0) }));
    expect(screen.getByRole('button', { name: 'alpha: running, up 3m 2s' }).className).toBe('badge badge--green');

    await userEvent.click(screen.getByRole('button', { name: 'bad: stopped' }));
    expect((await screen.findByRole('alert')).textContent).toBe('bad: the command "nope" is not on PATH');

    cleanup();
    expect(fake.subscribers()).toBe(0);
  });
});
