// Unit tests for how the desktop app reads its launch: data directory, hidden start, API, quit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { launchOptions, stopAgentsOnQuit, trayApiOptions } from '../../../electron/main/launch-options.js';
import { SettingsSchema } from '../../../shared/settings.js';

const userData = '/home/ada/.config/Agent Tray';

test('the data directory is Electron\'s userData folder, with Chromium\'s files in a subfolder', () => {
  const o = launchOptions({ argv: ['/opt/agent-tray'], env: {}, userData, cwd: '/' });
  assert.equal(o.dataDir, userData);
  assert.equal(o.dataDirFromEnv, false);
  assert.equal(o.sessionDataDir, path.join(userData, 'electron'));
  assert.equal(o.hidden, false);
});

test('AGENT_TRAY_DATA_DIR wins, resolved against the working directory, as for the CLI', () => {
  const o = launchOptions({ argv: [], env: { AGENT_TRAY_DATA_DIR: 'data' }, userData, cwd: '/work' });
  assert.equal(o.dataDir, '/work/data');
  assert.equal(o.dataDirFromEnv, true);
});

test('--hidden (start at login) keeps the window closed', () => {
  assert.equal(launchOptions({ argv: ['/opt/agent-tray', '--hidden'], env: {}, userData, cwd: '/' }).hidden, true);
});

test('the tray serves the API on loopback at the port set, falling back to any port; or not at all', () => {
  const defaults = SettingsSchema.parse({});
  assert.deepEqual(trayApiOptions(defaults), { host: '127.0.0.1', port: 4821, fallbackToAnyPort: true });
  assert.deepEqual(trayApiOptions(SettingsSchema.parse({ api: { port: 5000 } })), { host: '127.0.0.1', port: 5000, fallbackToAnyPort: true });
  assert.equal(trayApiOptions(SettingsSchema.parse({ api: { enabled: false } })), null);
});

test('quit stops the agents only when onQuit says stop-all', () => {
  assert.equal(stopAgentsOnQuit(SettingsSchema.parse({})), false);
  assert.equal(stopAgentsOnQuit(SettingsSchema.parse({ onQuit: 'stop-all' })), true);
});
