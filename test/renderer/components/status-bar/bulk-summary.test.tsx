// @vitest-environment jsdom
// "Start all: 2 of 3 failed" says which and why: each failed agent, linked to its page, with the
// host's reason, on one line cut with an ellipsis and whole in the tooltip; the agents' own errors
// are not said twice under the status bar; a later Start all that works leaves no summary.
import { act, cleanup, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { BulkResult } from '../../../../shared/commands.js';
import { StatusBar } from '../../../../renderer/components/status-bar/StatusBar.js';
import { TrayStoreProvider } from '../../../../renderer/store/react.js';
import { immediateScheduler } from '../../../../renderer/store/scheduler.js';
import { createTrayStore } from '../../../../renderer/store/store.js';
import { BridgeError } from '../../../../shared/bridge.js';
import { fakeBridge, running, status } from '../../helpers/fakes.js';

afterEach(cleanup);

const TWO_FAILED: BulkResult = {
  results: [
    { name: 'web', ok: false, error: { code: 'port-in-use', message: 'port 8080 is taken by nginx (pid 311)' } },
    { name: 'api', ok: true },
    { name: 'db', ok: false, error: { code: 'spawn-failed', message: 'Agent "db": command not found: postgres' } },
  ],
};

function setup(startAll: () => BulkResult) {
  const fake = fakeBridge({ startAll, startAgent: () => Promise.reject(new BridgeError({ code: 'port-in-use', message: 'port 8080 is still taken' })) });
  const store = createTrayStore({ bridge: fake.bridge, schedule: immediateScheduler });
  render(
    <TrayStoreProvider store={store}>
      <StatusBar />
    </TrayStoreProvider>,
  );
  act(() => fake.emit({ type: 'snapshot', at: Date.now(), agents: [status('web'), running('api', Date.now()), status('db')] }));
  return { fake, store, user: userEvent.setup() };
}

describe('the summary of Start all', () => {
  it('names each failed agent with why, each a link to the agent, whole in the tooltip', async () => {
    const { store, user } = setup(() => TWO_FAILED);
    await user.click(screen.getByRole('button', { name: 'Start all' }));
    const alerts = await screen.findAllByRole('alert');
    // one note: the agents' own errors are in the summary, not repeated one by one
    expect(alerts.map((a) => a.textContent)).toEqual(['Start all: 2 of 3 failed — web: port 8080 is taken by nginx (pid 311); db: command not found: postgres×']);
    const line = alerts[0]!.querySelector('.bulk-failures') as HTMLElement;
    expect(line.getAttribute('title')).toBe('web: port 8080 is taken by nginx (pid 311); db: command not found: postgres');
    const links = within(alerts[0]!).getAllByRole('link');
    expect(links.map((l) => [l.textContent, l.getAttribute('href')])).toEqual([
      ['web', '#/agents/web'],
      ['db', '#/agents/db'],
    ]);
    await user.click(links[1]!);
    expect(store.getState().ui).toMatchObject({ view: 'agent', selected: 'db' });
    // each agent keeps its own error for its badge and row
    expect(store.getState().ui.errors['start:web']?.message).toBe('port 8080 is taken by nginx (pid 311)');
    expect(store.getState().ui.errors['start:db']?.message).toBe('Agent "db": command not found: postgres');
  });

  it('an agent\'s newer error of its own is shown again; dismissing the summary leaves the agents\' errors', async () => {
    const { user } = setup(() => TWO_FAILED);
    await user.click(screen.getByRole('button', { name: 'Start all' }));
    await screen.findByRole('alert');
    await user.click(screen.getByRole('button', { name: 'web: stopped' }));
    const texts = () => screen.getAllByRole('alert').map((a) => a.textContent);
    await expect.poll(texts).toContainEqual('Start web: port 8080 is still taken×');
    expect(texts()).toHaveLength(2);
    await user.click(within(screen.getAllByRole('alert')[0]!).getByRole('button', { name: 'Dismiss error' }));
    expect(texts()).toEqual(['Start web: port 8080 is still taken×', 'Start db: Agent "db": command not found: postgres×']);
  });

  it('leaves no summary when everything started', async () => {
    let result = TWO_FAILED;
    const { user } = setup(() => result);
    await user.click(screen.getByRole('button', { name: 'Start all' }));
    await screen.findByRole('alert');
    result = { results: TWO_FAILED.results.map((r) => ({ name: r.name, ok: true })) };
    await user.click(screen.getByRole('button', { name: 'Start all' }));
    await expect.poll(() => screen.queryAllByRole('alert').length).toBe(0);
  });
});
