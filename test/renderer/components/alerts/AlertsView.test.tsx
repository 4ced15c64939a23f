// @vitest-environment jsdom
// The alerts view and its badge: newest first, severity in words, times relative to the host's
// clock, a click opens the agent (and marks its alert read), and the badge counts the unread alerts
// by the host's read flags, which another window's marks and clears change too.
import { act, cleanup, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../../../shared/status.js';
import { AlertsBadge, AlertsView } from '../../../../renderer/components/alerts/AlertsView.js';
import { formatAgo } from '../../../../renderer/components/alerts/relative-time.js';
import { TrayStoreProvider, useTray } from '../../../../renderer/store/react.js';
import { immediateScheduler } from '../../../../renderer/store/scheduler.js';
import { createTrayStore } from '../../../../renderer/store/store.js';
import { fakeBridge, status } from '../../helpers/fakes.js';

afterEach(() => {
  cleanup();
});

const alert = (id: number, at: number, severity: Alert['severity'], name: string | null, message: string, read = false): Alert => ({ id, at, severity, kind: 'crashed', name, message, read });

/** The alerts view, or the badge, as the navigation shows it. */
function Screen() {
  const view = useTray((s) => s.ui.view);
  return (
    <>
      <nav>
        <button type="button">
          Alerts
          <AlertsBadge />
        </button>
      </nav>
      {view === 'alerts' ? <AlertsView /> : <p>view: {view}</p>}
    </>
  );
}

function setup(alerts: Alert[]) {
  const fake = fakeBridge({ listAlerts: () => ({ alerts }), markAlertsRead: (input) => ({ marked: (input as { ids?: number[] }).ids?.length ?? alerts.length }) });
  const store = createTrayStore({ bridge: fake.bridge, schedule: immediateScheduler });
  render(
    <TrayStoreProvider store={store}>
      <Screen />
    </TrayStoreProvider>,
  );
  return { fake, store, user: userEvent.setup() };
}

describe('AlertsView', () => {
  it('lists alerts newest first with severity in words, relative time and the exact time on hover', async () => {
    const now = Date.now();
    // half a unit more than the text says, so that a slow run does not tip it over
    const { fake, store } = setup([alert(1, now - 3.5 * 60_000, 'warning', 'alpha', 'alpha is unhealthy'), alert(2, now - 30_500, 'critical', 'beta', 'beta crashed (exit code 1)')]);
    act(() => fake.emit({ type: 'snapshot', at: now, agents: [status('alpha'), status('beta')] }));
    act(() => store.getState().actions.navigate('alerts'));
    const list = await screen.findByRole('list', { name: 'Alerts, newest first' });
    const rows = within(list).getAllByRole('listitem');
    expect(rows.map((r) => r.firstElementChild?.textContent)).toEqual(['Critical30 s agobetabeta crashed (exit code 1)', 'Warning3 min agoalphaalpha is unhealthy']);
    const time = rows[1]!.querySelector('time')!;
    expect(time.getAttribute('title')).toBe(new Date(now - 3.5 * 60_000).toLocaleString());
    expect(rows[0]!.querySelector('.alert-severity--critical')?.textContent).toBe('Critical');
  });

  it('opens the agent an alert is about, and marks that alert read at the host', async () => {
    const { fake, store, user } = setup([alert(1, Date.now(), 'critical', 'beta', 'beta crashed'), alert(2, Date.now(), 'warning', null, 'Agent Tray runs 5 of 5 agents')]);
    act(() => fake.emit({ type: 'snapshot', at: Date.now(), agents: [status('beta')] }));
    act(() => store.getState().actions.navigate('alerts'));
    // a host-wide alert is about no agent: nothing to open
    expect(screen.queryByRole('button', { name: /Agent Tray runs 5 of 5/ })).toBeNull();
    await user.click(await screen.findByRole('button', { name: /^Critical.*beta crashed/ }));
    expect(store.getState().ui.view).toBe('agent');
    expect(store.getState().ui.selected).toBe('beta');
    expect(fake.calls.filter((c) => c.name === 'markAlertsRead').map((c) => c.input)).toEqual([{ ids: [1] }]);
  });

  it('marks one alert read with its own button; a read alert has none', async () => {
    const { fake, store, user } = setup([alert(1, Date.now(), 'critical', null, 'disk full'), alert(2, Date.now(), 'warning', null, 'slow', true)]);
    act(() => store.getState().actions.navigate('alerts'));
    expect(await screen.findByRole('button', { name: 'Mark read: disk full' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Mark read: slow' })).toBeNull();
    await user.click(screen.getByRole('button', { name: 'Mark read: disk full' }));
    expect(fake.calls.find((c) => c.name === 'markAlertsRead')?.input).toEqual({ ids: [1] });
    expect(screen.queryByRole('button', { name: 'Mark read: disk full' })).toBeNull();
    expect(store.getState().alerts.items.every((a) => a.read)).toBe(true);
  });

  it('says so when there are no alerts', async () => {
    const { store } = setup([]);
    act(() => store.getState().actions.navigate('alerts'));
    expect(await screen.findByText(/^No alerts\./)).toBeTruthy();
    expect(screen.queryByRole('list', { name: 'Alerts, newest first' })).toBeNull();
  });

  it('shows new alerts as they arrive', async () => {
    const { fake, store } = setup([]);
    act(() => store.getState().actions.navigate('alerts'));
    await screen.findByText(/^No alerts\./);
    act(() => fake.emit({ type: 'alert', alert: alert(7, Date.now(), 'critical', 'gamma', 'gamma gave up after 5 restarts') }));
    expect(screen.getByText('gamma gave up after 5 restarts')).toBeTruthy();
  });
});

describe('AlertsBadge', () => {
  it('counts the unread alerts by the host\'s read flags, red when one of them is critical, also while the list is open', async () => {
    const t = Date.now();
    const { store } = setup([alert(1, t, 'critical', 'a', 'a crashed', true), alert(2, t, 'warning', 'a', 'a is slow'), alert(3, t + 1, 'critical', 'b', 'b crashed')]);
    const nav = screen.getByRole('navigation');
    expect((await within(nav).findByRole('button')).textContent).toBe('Alerts2 unread alerts, 1 critical');
    expect(nav.querySelector('.alerts-badge')).not.toBeNull();
    // opening the list reads nothing by itself: the count is what the host says
    act(() => store.getState().actions.navigate('alerts'));
    expect(within(nav).getByRole('button').textContent).toBe('Alerts2 unread alerts, 1 critical');
    await act(() => store.getState().actions.markAlertsRead([3]));
    expect(within(nav).getByRole('button').textContent).toBe('Alerts1 unread alert');
    expect(nav.querySelector('.alerts-badge')).toBeNull();
    expect(nav.querySelector('.nav-count')).not.toBeNull();
  });

  it('follows what another window marked read or cleared (the host\'s alerts-read and alerts-cleared events)', async () => {
    const t = Date.now();
    const { fake } = setup([alert(1, t, 'critical', 'a', 'a crashed'), alert(2, t, 'warning', 'a', 'a is slow'), alert(3, t + 1, 'critical', 'b', 'b crashed')]);
    const nav = screen.getByRole('navigation');
    expect((await within(nav).findByRole('button')).textContent).toBe('Alerts3 unread alerts, 2 critical');
    act(() => fake.emit({ type: 'alerts-read', ids: [1, 3] }));
    expect(within(nav).getByRole('button').textContent).toBe('Alerts1 unread alert');
    act(() => fake.emit({ type: 'alert', alert: alert(4, t + 2, 'critical', 'a', 'a crashed again') }));
    expect(within(nav).getByRole('button').textContent).toBe('Alerts2 unread alerts, 1 critical');
    act(() => fake.emit({ type: 'alerts-cleared' }));
    expect(within(nav).getByRole('button').textContent).toBe('Alerts');
  });
});

describe('formatAgo', () => {
  it('says how long ago as people do', () => {
    expect(formatAgo(0, 3_000)).toBe('just now');
    expect(formatAgo(0, 42_000)).toBe('42 s ago');
    expect(formatAgo(0, 2 * 60_000 + 5_000)).toBe('2 min ago');
    expect(formatAgo(0, 3 * 3_600_000)).toBe('3 h ago');
    expect(formatAgo(0, 50 * 3_600_000)).toBe('2 d ago');
    expect(formatAgo(5_000, 0)).toBe('just now'); // a clock a little ahead
  });
});
