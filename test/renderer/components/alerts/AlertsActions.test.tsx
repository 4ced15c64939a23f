// @vitest-environment jsdom
// The alerts view's tools: read alerts look read, Mark all read and Clear go to the host and show
// in the list, and the agent and severity filters narrow the list.
import { cleanup, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import type { Alert } from '../../../../shared/status.js';
import { AlertsView } from '../../../../renderer/components/alerts/AlertsView.js';
import { TrayStoreProvider } from '../../../../renderer/store/react.js';
import { immediateScheduler } from '../../../../renderer/store/scheduler.js';
import { createTrayStore } from '../../../../renderer/store/store.js';
import { fakeBridge } from '../../helpers/fakes.js';

afterEach(() => {
  cleanup();
  localStorage.clear();
});

const alert = (id: number, severity: Alert['severity'], name: string | null, read = false): Alert => ({ id, at: Date.now() - id, severity, kind: 'crashed', name, message: `alert ${id}`, read });

function setup(alerts: Alert[]) {
  const fake = fakeBridge({ listAlerts: () => ({ alerts }), markAlertsRead: () => ({ marked: 1 }), clearAlerts: () => ({ cleared: alerts.length }) });
  const store = createTrayStore({ bridge: fake.bridge, schedule: immediateScheduler });
  render(
    <TrayStoreProvider store={store}>
      <AlertsView />
    </TrayStoreProvider>,
  );
  return { fake, store, user: userEvent.setup() };
}

describe('AlertsView tools', () => {
  it('shows read alerts as read, marks all read and clears at the host', async () => {
    const { fake, user } = setup([alert(1, 'critical', 'alpha', true), alert(2, 'warning', 'beta')]);
    const list = await screen.findByRole('list', { name: 'Alerts, newest first' });
    expect(within(list).getAllByRole('listitem').map((r) => r.querySelector('.alert-row--read') !== null)).toEqual([false, true]);
    expect(screen.getByText(/1 unread/)).toBeTruthy();
    await user.click(screen.getByRole('button', { name: 'Mark all read' }));
    expect(fake.calls.find((c) => c.name === 'markAlertsRead')?.input).toEqual({ all: true });
    expect(list.querySelectorAll('.alert-row--read').length).toBe(2);
    expect((screen.getByRole('button', { name: 'Mark all read' }) as HTMLButtonElement).disabled).toBe(true);
    await user.click(screen.getByRole('button', { name: 'Clear' }));
    expect(fake.calls.some((c) => c.name === 'clearAlerts')).toBe(true);
    expect(await screen.findByText(/^No alerts\./)).toBeTruthy();
  });

  it('filters by agent and by severity', async () => {
    const { user } = setup([alert(1, 'critical', 'alpha'), alert(2, 'warning', 'alpha'), alert(3, 'critical', 'beta')]);
    const list = await screen.findByRole('list', { name: 'Alerts, newest first' });
    await user.selectOptions(screen.getByRole('combobox', { name: 'Agent' }), 'alpha');
    expect(within(list).getAllByRole('listitem').map((r) => r.querySelector('.alert-message')?.textContent)).toEqual(['alert 2', 'alert 1']);
    await user.selectOptions(screen.getByRole('combobox', { name: 'Severity' }), 'warning');
    expect(within(list).getAllByRole('listitem').map((r) => r.querySelector('.alert-message')?.textContent)).toEqual(['alert 2']);
  });
});
