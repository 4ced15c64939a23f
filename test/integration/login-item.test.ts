// Start at login: on Linux for real (an autostart file under a temporary XDG_CONFIG_HOME), on
// Windows and macOS through a fake of Electron's `app` (Electron cannot run on this machine).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { access, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createLoginItem } from '../../electron/main/login-item/login-item.js';
import type { LoginItemApp } from '../../electron/main/login-item/login-item.js';
import { tempDir } from '../helpers/temp-dir.js';

type SetCall = Parameters<LoginItemApp['setLoginItemSettings']>[0];
type GetCall = Parameters<LoginItemApp['getLoginItemSettings']>[0];

/** A fake of Electron's app login item API that records calls and remembers openAtLogin. */
function fakeApp(): LoginItemApp & { sets: SetCall[]; gets: GetCall[] } {
  let openAtLogin = false;
  const sets: SetCall[] = [];
  const gets: GetCall[] = [];
  return {
    sets,
    gets,
    setLoginItemSettings(settings) {
      sets.push(settings);
      openAtLogin = settings.openAtLogin;
    },
    getLoginItemSettings(opts) {
      gets.push(opts);
      return { openAtLogin };
    },
  };
}

/** A fake app that fails the test if the Linux branch touches it. */
const untouchableApp: LoginItemApp = {
  setLoginItemSettings: () => assert.fail('the XDG branch must not call setLoginItemSettings'),
  getLoginItemSettings: () => assert.fail('the XDG branch must not call getLoginItemSettings'),
};

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

test('linux: setEnabled writes and removes a real autostart entry under XDG_CONFIG_HOME', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const configHome = path.join(dir, 'config'); // does not exist yet: autostart/ is created
  const file = path.join(configHome, 'autostart', 'agent-tray.desktop');
  const item = createLoginItem({
    platform: 'linux',
    app: untouchableApp,
    env: { XDG_CONFIG_HOME: configHome },
    homedir: path.join(dir, 'home'),
    execPath: '/opt/Agent Tray/agent-tray',
  });

  assert.equal(await item.isEnabled(), false);
  await item.setEnabled(true);
  assert.equal(await item.isEnabled(), true);
  assert.ok((await stat(file)).isFile());

  const text = await readFile(file, 'utf8');
  const lines = text.split('\n').filter((line) => line !== '');
  assert.equal(lines[0], '[Desktop Entry]');
  const entry = new Map<string, string>();
  for (const line of lines.slice(1)) {
    assert.match(line, /^[A-Za-z0-9-]+=.*$/, `not a key=value line: ${line}`);
    const eq = line.indexOf('=');
    assert.ok(!entry.has(line.slice(0, eq)), `duplicate key in ${line}`);
    entry.set(line.slice(0, eq), line.slice(eq + 1));
  }
  assert.equal(entry.get('Type'), 'Application');
  assert.equal(entry.get('Name'), 'Agent Tray');
  assert.equal(entry.get('Exec'), '"/opt/Agent Tray/agent-tray" --hidden');
  assert.equal(entry.get('X-GNOME-Autostart-enabled'), 'true');

  await item.setEnabled(true); // again: overwrites, still one file
  assert.equal(await readFile(file, 'utf8'), text);

  await item.setEnabled(false);
  assert.equal(await exists(file), false);
  assert.equal(await item.isEnabled(), false);
  await item.setEnabled(false); // twice is fine
  assert.equal(await item.isEnabled(), false);
});

test('linux: the entry runs $APPIMAGE when set', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const item = createLoginItem({
    platform: 'linux',
    app: untouchableApp,
    env: { XDG_CONFIG_HOME: dir, APPIMAGE: '/home/ada/Agent-Tray.AppImage' },
    homedir: '/home/ada',
    execPath: '/tmp/.mount_AgentXyz/agent-tray',
  });
  await item.setEnabled(true);
  const text = await readFile(path.join(dir, 'autostart', 'agent-tray.desktop'), 'utf8');
  assert.match(text, /^Exec=\/home\/ada\/Agent-Tray\.AppImage --hidden$/m);
});

test('linux: an entry switched off by the desktop (Hidden=true) reads as disabled', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const item = createLoginItem({ platform: 'linux', app: untouchableApp, env: { XDG_CONFIG_HOME: dir }, homedir: '/h', execPath: '/x' });
  await item.setEnabled(true);
  const file = path.join(dir, 'autostart', 'agent-tray.desktop');
  await writeFile(file, (await readFile(file, 'utf8')).replace('X-GNOME-Autostart-enabled=true', 'X-GNOME-Autostart-enabled=false'));
  assert.equal(await item.isEnabled(), false);
  await item.setEnabled(true);
  assert.equal(await item.isEnabled(), true);
});

test('win32: uses the login item settings with --hidden, no openAsHidden', async () => {
  const app = fakeApp();
  const item = createLoginItem({ platform: 'win32', app, env: {}, homedir: 'C:\\Users\\ada', execPath: 'C:\\x\\Agent Tray.exe' });
  assert.equal(await item.isEnabled(), false);
  await item.setEnabled(true);
  assert.equal(await item.isEnabled(), true);
  await item.setEnabled(false);
  assert.equal(await item.isEnabled(), false);
  assert.deepEqual(app.sets, [
    { openAtLogin: true, args: ['--hidden'] },
    { openAtLogin: false, args: ['--hidden'] },
  ]);
  assert.deepEqual(app.gets, [{ args: ['--hidden'] }, { args: ['--hidden'] }, { args: ['--hidden'] }]);
});

test('darwin: uses the login item settings with openAsHidden and --hidden, and writes no file', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const app = fakeApp();
  const item = createLoginItem({ platform: 'darwin', app, env: { XDG_CONFIG_HOME: dir }, homedir: dir, execPath: '/Applications/Agent Tray.app/Contents/MacOS/Agent Tray' });
  await item.setEnabled(true);
  assert.equal(await item.isEnabled(), true);
  assert.deepEqual(app.sets, [{ openAtLogin: true, openAsHidden: true, args: ['--hidden'] }]);
  assert.deepEqual(app.gets, [{ args: ['--hidden'] }]);
  assert.equal(await exists(path.join(dir, 'autostart')), false);
});
