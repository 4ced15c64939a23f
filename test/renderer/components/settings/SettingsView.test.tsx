// @vitest-environment jsdom
// The settings view against a fake bridge that keeps settings as the host does (a shallow merge):
// each control sends its own change, invalid values are stopped with the API's words, the host's
// refusals and restart notes show beside the control, and the store keeps the view current.
import { act, cleanup, render, screen, within } from '@testing-library/react';
import { userEvent } from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { BridgeError } from '../../../../shared/bridge.js';
import { formatIssues } from '../../../../shared/issues.js';
import { RESTART_NEEDED_SETTINGS, SettingsChangeSchema, SettingsSchema, type SettingsChange } from '../../../../shared/settings.js';
import { TOKEN_STORAGE_KEY } from '../../../../renderer/bridge/connect.js';
import { SettingsView } from '../../../../renderer/components/settings/SettingsView.js';
import type { HostKind } from '../../../../renderer/components/settings/api-access.js';
import { TrayStoreProvider } from '../../../../renderer/store/react.js';
import { immediateScheduler } from '../../../../renderer/store/scheduler.js';
import { createTrayStore } from '../../../../renderer/store/store.js';
import type { PublicSettings } from '../../../../renderer/store/types.js';
import { fakeBridge, type Handlers } from '../../helpers/fakes.js';

afterEach(() => {
  cleanup();
  sessionStorage.clear();
});

function defaults(): PublicSettings {
  const { $schema: _link, ...settings } = SettingsSchema.parse({});
  void _link;
  return settings;
}

interface Options {
  startAtLogin?: boolean | null;
  host?: HostKind;
  settings?: Partial<PublicSettings>;
  handlers?: Handlers;
}

async function setup(opts: Options = {}) {
  let current: PublicSettings = { ...defaults(), ...opts.settings };
  let startAtLogin = opts.startAtLogin === undefined ? null : opts.startAtLogin;
  const fake = fakeBridge({
    getSettings: () => ({ settings: current, startAtLogin, settingsFile: '/home/me/.config/agent-tray/settings.json' }),
    updateSettings: (input) => {
      const changes = (input as { changes: SettingsChange }).changes;
      current = { ...current, ...changes } as PublicSettings;
      return { settings: current, appliesAfterRestart: RESTART_NEEDED_SETTINGS.filter((k) => changes[k] !== undefined) };
    },
    setStartAtLogin: (input) => {
      startAtLogin = (input as { enabled: boolean }).enabled;
      return { startAtLogin };
    },
    ...opts.handlers,
  });
  const store = createTrayStore({ bridge: fake.bridge, schedule: immediateScheduler });
  const user = userEvent.setup();
  render(
    <TrayStoreProvider store={store}>
      <SettingsView host={opts.host ?? 'electron'} />
    </TrayStoreProvider>,
  );
  await screen.findByLabelText('Max concurrent agents');
  const changes = () => fake.calls.filter((c) => c.name === 'updateSettings').map((c) => (c.input as { changes: unknown }).changes);
  return { fake, store, user, changes };
}

/** The text of the feedback a control's aria-describedby names. */
function feedbackOf(control: HTMLElement): string {
  const ids = (control.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id.endsWith('-feedback'));
  return ids.map((id) => document.getElementById(id)?.textContent ?? '').join('');
}

async function retype(user: ReturnType<typeof userEvent.setup>, field: HTMLElement, text: string) {
  await user.clear(field);
  await user.type(field, text);
}

describe('SettingsView', () => {
  it('sends each control\'s change as the API takes it, and says it was saved', async () => {
    const { user, changes } = await setup();

    await user.click(screen.getByLabelText('Start the agents marked “Start when Agent Tray starts”'));
    await user.selectOptions(screen.getByLabelText('When Agent Tray quits'), 'Stop all agents');
    const max = screen.getByLabelText('Max concurrent agents');
    await retype(user, max, '8{Enter}');
    expect(feedbackOf(max)).toBe('Saved');
    const sampling = screen.getByLabelText('Sampling interval (seconds)');
    expect((sampling as HTMLInputElement).value).toBe('2');
    await retype(user, sampling, '0.5');
    await user.tab(); // leaving the field sends it
    await retype(user, screen.getByLabelText('Runs kept in history'), '200{Enter}');
    await user.click(screen.getByLabelText('Desktop notifications'));
    await user.selectOptions(screen.getByLabelText('Restart policy'), 'always');
    await retype(user, screen.getByLabelText('Max restarts'), '3{Enter}');
    await retype(user, screen.getByLabelText('Restart window (seconds)'), '30{Enter}');
    await user.click(screen.getByLabelText('Serve the local API'));
    await retype(user, screen.getByLabelText('API port'), '5000{Enter}');

    expect(changes()).toEqual([
      { startAgentsOnLaunch: false },
      { onQuit: 'stop-all' },
      { maxConcurrent: 8 },
      { sampleIntervalMs: 500 },
      { historyRetention: 200 },
      { notifications: false },
      { defaults: { restart: { policy: 'always' } } },
      { defaults: { restart: { policy: 'always', maxRestarts: 3 } } },
      { defaults: { restart: { policy: 'always', maxRestarts: 3, windowMs: 30_000 } } },
      { api: { enabled: false, port: 4821 } },
      { api: { enabled: false, port: 5000 } },
    ]);
    // the controls show what the host now has
    expect((screen.getByLabelText('Max concurrent agents') as HTMLInputElement).value).toBe('8');
    expect((screen.getByLabelText('Sampling interval (seconds)') as HTMLInputElement).value).toBe('0.5');
    expect((screen.getByLabelText('When Agent Tray quits') as HTMLSelectElement).value).toBe('stop-all');
    expect((screen.getByLabelText('Serve the local API') as HTMLInputElement).checked).toBe(false);
  });

  it('stops an invalid value before the bridge, in the API\'s words', async () => {
    const { user, changes } = await setup();
    const max = screen.getByLabelText('Max concurrent agents');
    await retype(user, max, '0{Enter}');
    const expected = formatIssues(SettingsChangeSchema.safeParse({ maxConcurrent: 0 }).error!).join('');
    expect(feedbackOf(max)).toBe(expected);
    expect(feedbackOf(max)).toBe('maxConcurrent: Too small: expected number to be >=1');
    expect(max.getAttribute('aria-invalid')).toBe('true');
    await retype(user, max, 'many{Enter}');
    expect(feedbackOf(max)).toBe('maxConcurrent: Invalid input: expected number, received string');
    expect(changes()).toEqual([]);

    // Escape goes back to the saved value: empty, no limit (the default)
    await user.keyboard('{Escape}');
    expect((max as HTMLInputElement).value).toBe('');
    expect((max as HTMLInputElement).placeholder).toBe('No limit');
  });

  it('offers "no limit": the concurrency field starts empty, and emptying a set limit removes it', async () => {
    const { user, changes } = await setup({ settings: { maxConcurrent: 6 } });
    const max = screen.getByLabelText('Max concurrent agents') as HTMLInputElement;
    expect(max.value).toBe('6');
    await user.clear(max);
    await user.keyboard('{Enter}');
    expect(changes()).toEqual([{ maxConcurrent: null }]);
    expect(feedbackOf(max)).toBe('Saved');
    expect(max.value).toBe('');
    expect(max.placeholder).toBe('No limit');
  });

  it('shows the host\'s refusal next to the control', async () => {
    const { user } = await setup({
      handlers: {
        updateSettings: () => {
          throw new BridgeError({ code: 'invalid-config', message: 'Not saved: settings.json does not load', hint: 'Fix the file first' });
        },
      },
    });
    const max = screen.getByLabelText('Max concurrent agents');
    await retype(user, max, '7{Enter}');
    expect(feedbackOf(max)).toBe('Not saved: settings.json does not loadFix the file first');
    expect((max as HTMLInputElement).value).toBe('7'); // what the person typed stays
  });

  it('disables start at login where the host cannot, and explains', async () => {
    const { fake } = await setup({ startAtLogin: null });
    const box = screen.getByLabelText('Start Agent Tray at login') as HTMLInputElement;
    expect(box.disabled).toBe(true);
    const hintId = (box.getAttribute('aria-describedby') ?? '').split(' ').find((id) => id.endsWith('-hint'));
    expect(document.getElementById(hintId ?? '')?.textContent).toBe('Only in the desktop app; run agent-tray serve from your service manager.');
    expect(fake.calls.some((c) => c.name === 'setStartAtLogin')).toBe(false);
  });

  it('in a browser, explains the desktop-only settings and disables start at login even where the host reports it', async () => {
    await setup({ host: 'http', startAtLogin: false });
    const hintOf = (el: HTMLElement) => document.getElementById((el.getAttribute('aria-describedby') ?? '').split(' ').find((id) => id.endsWith('-hint')) ?? '')?.textContent;
    const login = screen.getByLabelText('Start Agent Tray at login') as HTMLInputElement;
    expect(login.disabled).toBe(true);
    expect(hintOf(login)).toMatch(/^Only in the desktop app/);
    expect(hintOf(screen.getByLabelText('Desktop notifications'))).toMatch(/^Shown only by the desktop app.*agent-tray serve, which this page talks to, shows none/);
    expect(hintOf(screen.getByLabelText('Serve the local API'))).toMatch(/^The desktop app only/);
  });

  it('turns start at login on through setStartAtLogin', async () => {
    const { fake, user, store } = await setup({ startAtLogin: false });
    const box = screen.getByLabelText('Start Agent Tray at login') as HTMLInputElement;
    expect(box.disabled).toBe(false);
    await user.click(box);
    expect(fake.calls.filter((c) => c.name === 'setStartAtLogin').map((c) => c.input)).toEqual([{ enabled: true }]);
    expect(store.getState().settings.startAtLogin).toBe(true);
    expect(box.checked).toBe(true);
    expect(feedbackOf(box)).toBe('Saved');
  });

  it('says when a change applies only after a restart', async () => {
    const { user, store } = await setup();
    expect(screen.queryByText(/applies after Agent Tray restarts/)).toBeNull();
    await retype(user, screen.getByLabelText('Max concurrent agents'), '6{Enter}');
    expect(screen.queryByText(/applies after Agent Tray restarts/)).toBeNull();
    await retype(user, screen.getByLabelText('API port'), '5001{Enter}');
    const api = screen.getByRole('region', { name: 'Local API' });
    expect(within(api).getByText('Changed: applies after Agent Tray restarts.')).toBeTruthy();
    expect(store.getState().settings.appliesAfterRestart).toEqual(['api']);
    expect(within(screen.getByRole('region', { name: 'Restart defaults' })).queryByText(/applies after/)).toBeNull();
  });

  it('copies the URL with this tab\'s token in a browser', async () => {
    sessionStorage.setItem(TOKEN_STORAGE_KEY, 'tok-123');
    const { user } = await setup({ host: 'http' });
    await user.click(screen.getByRole('button', { name: 'Copy API URL with token' }));
    expect(await navigator.clipboard.readText()).toBe(`${location.origin}/?token=tok-123`);
    expect(screen.getByRole('status').textContent).toMatch(/^Copied\./);
  });

  it('says there is no token to copy when the tab has none', async () => {
    const { user } = await setup({ host: 'http' });
    await user.click(screen.getByRole('button', { name: 'Copy API URL with token' }));
    expect(screen.getByRole('alert').textContent).toMatch(/^This tab has no token to copy\./);
  });

  it('points to the token file in the desktop app, and shows the settings file and the sandbox read-only', async () => {
    await setup({ host: 'electron', settings: { sandbox: { allowedCommands: ['python3', 'node'], allowedEnv: [] } } });
    expect(screen.queryByRole('button', { name: 'Copy API URL with token' })).toBeNull();
    expect(screen.getByText(/The API token is in the file/).textContent).toBe('The API token is in the file /home/me/.config/agent-tray/api-token.');
    expect(screen.getByText(/Settings file:/).textContent).toBe('Settings file: /home/me/.config/agent-tray/settings.json');
    const sandbox = screen.getByRole('region', { name: 'Sandbox' });
    expect(within(sandbox).getByText('python3')).toBeTruthy();
    expect(within(sandbox).getByText(/can be changed only in settings.json/)).toBeTruthy();
    expect(within(sandbox).queryByRole('textbox')).toBeNull();
    expect(within(sandbox).queryByRole('checkbox')).toBeNull();
  });
});

describe('the settings slice behind the view', () => {
  it('loads on connect and follows settings-changed events from other clients', async () => {
    const { fake, store } = await setup();
    expect(store.getState().settings.settingsFile).toBe('/home/me/.config/agent-tray/settings.json');
    act(() => fake.emit({ type: 'settings-changed', settings: { ...SettingsSchema.parse({}), maxConcurrent: 9, notifications: false } }));
    expect((screen.getByLabelText('Max concurrent agents') as HTMLInputElement).value).toBe('9');
    expect((screen.getByLabelText('Desktop notifications') as HTMLInputElement).checked).toBe(false);
    expect(store.getState().settings.settings).not.toHaveProperty('$schema');
  });

  it('keeps a value being typed when an event changes the setting underneath', async () => {
    const { fake, user } = await setup();
    const max = screen.getByLabelText('Max concurrent agents') as HTMLInputElement;
    await retype(user, max, '12');
    act(() => fake.emit({ type: 'settings-changed', settings: { ...SettingsSchema.parse({}), maxConcurrent: 9 } }));
    expect(max.value).toBe('12');
  });

  it('shows why the settings could not be loaded, and loads them again', async () => {
    let fail = true;
    const fake = fakeBridge({
      getSettings: () => {
        if (fail) throw new BridgeError({ code: 'unreachable', message: 'Agent Tray does not answer', hint: 'Is it running?' });
        return { settings: defaults(), startAtLogin: null, settingsFile: '/d/settings.json' };
      },
    });
    const store = createTrayStore({ bridge: fake.bridge, schedule: immediateScheduler });
    const user = userEvent.setup();
    render(
      <TrayStoreProvider store={store}>
        <SettingsView host="http" />
      </TrayStoreProvider>,
    );
    expect((await screen.findByRole('alert')).textContent).toContain('Agent Tray does not answer');
    fail = false;
    await user.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByLabelText('Max concurrent agents')).toBeTruthy();
  });
});
