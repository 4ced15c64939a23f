// @vitest-environment jsdom
// The settings view's checkbox for `metrics.public`: it sends `{ metrics: { public } }`, shows what
// the host saved, needs no restart, and is there in the desktop app and in a browser alike.
import { cleanup, render, screen } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { RESTART_NEEDED_SETTINGS, SettingsSchema, type SettingsChange } from '../../../../shared/settings.js';
import { SettingsView } from '../../../../renderer/components/settings/SettingsView.js';
import type { HostKind } from '../../../../renderer/components/settings/api-access.js';
import { TrayStoreProvider } from '../../../../renderer/store/react.js';
import { immediateScheduler } from '../../../../renderer/store/scheduler.js';
import { createTrayStore } from '../../../../renderer/store/store.js';
import type { PublicSettings } from '../../../../renderer/store/types.js';
import { fakeBridge } from '../../helpers/fakes.js';

afterEach(cleanup);

const LABEL = 'Let a local Prometheus read /metrics without the token';

/** The view against a fake host that merges changes as the real one does. */
async function setup(host: HostKind) {
  const { $schema: _link, ...defaults } = SettingsSchema.parse({});
  void _link;
  let current: PublicSettings = defaults;
  const fake = fakeBridge({
    getSettings: () => ({ settings: current, startAtLogin: null, settingsFile: '/data/settings.json' }),
    updateSettings: (input) => {
      const changes = (input as { changes: SettingsChange }).changes;
      current = { ...current, ...changes, metrics: { ...current.metrics, ...changes.metrics } } as PublicSettings;
      return { settings: current, appliesAfterRestart: RESTART_NEEDED_SETTINGS.filter((k) => changes[k] !== undefined) };
    },
  });
  const store = createTrayStore({ bridge: fake.bridge, schedule: immediateScheduler });
  render(
    <TrayStoreProvider store={store}>
      <SettingsView host={host} />
    </TrayStoreProvider>,
  );
  const box = (await screen.findByLabelText(LABEL)) as HTMLInputElement;
  const changes = () => fake.calls.filter((c) => c.name === 'updateSettings').map((c) => (c.input as { changes: unknown }).changes);
  return { box, changes, user: userEvent.setup() };
}

describe('the metrics.public checkbox', () => {
  for (const host of ['electron', 'http'] as const) {
    it(`turns it on and off at once (${host})`, async () => {
      const { box, changes, user } = await setup(host);
      expect(box.checked).toBe(false);
      expect(box.disabled).toBe(false);
      await user.click(box);
      expect(box.checked).toBe(true);
      await user.click(box);
      expect(box.checked).toBe(false);
      expect(changes()).toEqual([{ metrics: { public: true } }, { metrics: { public: false } }]);
      expect(screen.queryByText('Changed: applies after Agent Tray restarts.')).toBeNull();
      expect(document.getElementById(box.getAttribute('aria-describedby')?.split(' ').find((id) => id.endsWith('-hint')) ?? '')?.textContent).toMatch(/only while the API listens on 127\.0\.0\.1/);
    });
  }
});
