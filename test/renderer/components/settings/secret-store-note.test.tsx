// @vitest-environment jsdom
// The settings page says where secrets are kept, and why a desktop app fell back to a 0600 file.
import { act, cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { SettingsView } from '../../../../renderer/components/settings/SettingsView.js';
import { TrayStoreProvider } from '../../../../renderer/store/react.js';
import { immediateScheduler } from '../../../../renderer/store/scheduler.js';
import { createTrayStore } from '../../../../renderer/store/store.js';
import { SettingsSchema } from '../../../../shared/settings.js';
import type { SecretStoreInfo } from '../../../../shared/env.js';
import { fakeBridge } from '../../helpers/fakes.js';

afterEach(cleanup);

async function showSettings(secrets: SecretStoreInfo | undefined) {
  const { $schema: _link, ...settings } = SettingsSchema.parse({});
  void _link;
  const fake = fakeBridge({ getSettings: () => ({ settings, startAtLogin: null, settingsFile: '/data/settings.json', ...(secrets ? { secrets } : {}) }) });
  const store = createTrayStore({ bridge: fake.bridge, schedule: immediateScheduler });
  render(
    <TrayStoreProvider store={store}>
      <SettingsView host="electron" />
    </TrayStoreProvider>,
  );
  await act(async () => {
    await store.getState().actions.loadSettings();
  });
}

describe('the Secrets section of the settings', () => {
  it('names the keychain-encrypted file', async () => {
    await showSettings({ kind: 'safe-storage', file: '/data/secrets.enc.json', note: null });
    const section = screen.getByRole('region', { name: 'Secrets' });
    expect(section.textContent).toMatch(/\/data\/secrets\.enc\.json, encrypted with the system keychain\./);
  });

  it('says when the desktop app fell back to a 0600 file, and why', async () => {
    const note = 'Secrets are kept in a file readable only by you (0600), not encrypted: no secret service was found';
    await showSettings({ kind: 'file', file: '/data/secrets.json', note });
    const section = screen.getByRole('region', { name: 'Secrets' });
    expect(section.textContent).toMatch(/readable only by you \(0600\), not encrypted\./);
    expect(within(section).getByText(note)).toBeTruthy();
  });

  it('says nothing for a host that does not report its store', async () => {
    await showSettings(undefined);
    expect(screen.queryByRole('region', { name: 'Secrets' })).toBeNull();
  });
});
