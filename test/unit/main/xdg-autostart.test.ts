// Unit tests for the Linux autostart entry: where it goes and what it says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  autostartFilePath,
  desktopEntry,
  parseDesktopEntryGroup,
  quoteExecArg,
} from '../../../electron/main/login-item/xdg-autostart.js';

test('the entry goes to $XDG_CONFIG_HOME/autostart when XDG_CONFIG_HOME is absolute', () => {
  assert.equal(autostartFilePath({ XDG_CONFIG_HOME: '/x/config' }, '/home/ada'), '/x/config/autostart/agent-tray.desktop');
});

test('without XDG_CONFIG_HOME the entry goes to ~/.config/autostart', () => {
  for (const env of [{}, { XDG_CONFIG_HOME: '' }, { XDG_CONFIG_HOME: undefined }]) {
    assert.equal(autostartFilePath(env, '/home/ada'), '/home/ada/.config/autostart/agent-tray.desktop');
  }
});

test('a relative XDG_CONFIG_HOME is ignored', () => {
  assert.equal(autostartFilePath({ XDG_CONFIG_HOME: 'config' }, '/home/ada'), '/home/ada/.config/autostart/agent-tray.desktop');
  assert.equal(autostartFilePath({ XDG_CONFIG_HOME: './x' }, '/home/ada'), '/home/ada/.config/autostart/agent-tray.desktop');
});

test('the entry runs the executable with --hidden and carries the required keys', () => {
  const text = desktopEntry({ execPath: '/opt/Agent-Tray/agent-tray' });
  const lines = text.trimEnd().split('\n');
  assert.equal(lines[0], '[Desktop Entry]');
  const entry = parseDesktopEntryGroup(text);
  assert.equal(entry.get('Type'), 'Application');
  assert.equal(entry.get('Name'), 'Agent Tray');
  assert.equal(entry.get('Exec'), '/opt/Agent-Tray/agent-tray --hidden');
  assert.equal(entry.get('X-GNOME-Autostart-enabled'), 'true');
  assert.equal(entry.get('Terminal'), 'false');
  assert.equal(entry.get('Icon'), 'agent-tray');
  assert.ok(entry.get('Comment'));
  assert.ok(text.endsWith('\n'));
});

test('from an AppImage the entry runs $APPIMAGE, not the temporary mount', () => {
  const text = desktopEntry({ execPath: '/tmp/.mount_AgentTXyz/agent-tray', appImage: '/home/ada/Apps/Agent-Tray.AppImage' });
  assert.equal(parseDesktopEntryGroup(text).get('Exec'), '/home/ada/Apps/Agent-Tray.AppImage --hidden');
  assert.ok(!text.includes('.mount_'));
});

test('an empty APPIMAGE falls back to the executable', () => {
  const text = desktopEntry({ execPath: '/usr/bin/agent-tray', appImage: '' });
  assert.equal(parseDesktopEntryGroup(text).get('Exec'), '/usr/bin/agent-tray --hidden');
});

test('extra args come before --hidden', () => {
  const text = desktopEntry({ execPath: '/usr/lib/electron/electron', args: ['/home/ada/agent-tray'] });
  assert.equal(parseDesktopEntryGroup(text).get('Exec'), '/usr/lib/electron/electron /home/ada/agent-tray --hidden');
});

test('a path with spaces and $ is double-quoted with $ escaped', () => {
  const text = desktopEntry({ execPath: '/x', appImage: '/home/ada/My Apps/$pay/Agent Tray.AppImage' });
  // Quoting gives \$; the key file's string escaping then doubles that backslash (GLib rejects
  // a bare \$ as an invalid escape sequence), so the file holds \\$.
  assert.equal(parseDesktopEntryGroup(text).get('Exec'), '"/home/ada/My Apps/\\\\$pay/Agent Tray.AppImage" --hidden');
});

test('quoteExecArg escapes ", `, $ and \\ inside quotes and leaves plain args alone', () => {
  assert.equal(quoteExecArg('/usr/bin/agent-tray'), '/usr/bin/agent-tray');
  assert.equal(quoteExecArg('--hidden'), '--hidden');
  assert.equal(quoteExecArg('a b'), '"a b"');
  assert.equal(quoteExecArg('a"b'), '"a\\"b"');
  assert.equal(quoteExecArg('a`b'), '"a\\`b"');
  assert.equal(quoteExecArg('a$b'), '"a\\$b"');
  assert.equal(quoteExecArg('a\\b'), '"a\\\\b"');
  assert.equal(quoteExecArg("it's"), '"it\'s"');
  assert.equal(quoteExecArg(''), '""');
});

test('in the file, backslashes are escaped again and % becomes %%', () => {
  // A literal backslash in a quoted argument takes four backslashes in the file (spec, "Exec").
  const text = desktopEntry({ execPath: '/opt/a\\b/100%/agent-tray' });
  assert.equal(parseDesktopEntryGroup(text).get('Exec'), '"/opt/a\\\\\\\\b/100%%/agent-tray" --hidden');
});
