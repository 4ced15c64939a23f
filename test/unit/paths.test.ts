// Unit tests for data directory resolution and the paths inside it, for every platform.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dataPaths, logFiles, pidFile, resolveDataDir } from '../../electron/core/paths.js';

test('win32 uses %APPDATA%\\Agent Tray', () => {
  const dir = resolveDataDir({
    platform: 'win32',
    env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' },
    homedir: 'C:\\Users\\ada',
  });
  assert.equal(dir, 'C:\\Users\\ada\\AppData\\Roaming\\Agent Tray');
});

test('win32 finds AppData spelled in another case', () => {
  const dir = resolveDataDir({ platform: 'win32', env: { AppData: 'D:\\Roam' }, homedir: 'C:\\Users\\ada' });
  assert.equal(dir, 'D:\\Roam\\Agent Tray');
});

test('win32 without APPDATA falls back to <home>\\AppData\\Roaming', () => {
  for (const env of [{}, { APPDATA: '' }, { APPDATA: undefined }]) {
    const dir = resolveDataDir({ platform: 'win32', env, homedir: 'C:\\Users\\ada' });
    assert.equal(dir, 'C:\\Users\\ada\\AppData\\Roaming\\Agent Tray');
  }
});

test('darwin uses ~/Library/Application Support and ignores XDG_CONFIG_HOME', () => {
  const dir = resolveDataDir({ platform: 'darwin', env: { XDG_CONFIG_HOME: '/x/config' }, homedir: '/Users/ada' });
  assert.equal(dir, '/Users/ada/Library/Application Support/Agent Tray');
});

test('linux uses an absolute XDG_CONFIG_HOME', () => {
  const dir = resolveDataDir({ platform: 'linux', env: { XDG_CONFIG_HOME: '/srv/cfg' }, homedir: '/home/ada' });
  assert.equal(dir, '/srv/cfg/Agent Tray');
});

test('linux without XDG_CONFIG_HOME uses ~/.config', () => {
  assert.equal(resolveDataDir({ platform: 'linux', env: {}, homedir: '/home/ada' }), '/home/ada/.config/Agent Tray');
  assert.equal(
    resolveDataDir({ platform: 'linux', env: { XDG_CONFIG_HOME: '' }, homedir: '/home/ada' }),
    '/home/ada/.config/Agent Tray',
  );
});

test('linux ignores a relative XDG_CONFIG_HOME, as the XDG spec says', () => {
  const dir = resolveDataDir({ platform: 'linux', env: { XDG_CONFIG_HOME: 'cfg' }, homedir: '/home/ada' });
  assert.equal(dir, '/home/ada/.config/Agent Tray');
});

test('other POSIX platforms follow the linux rules', () => {
  assert.equal(resolveDataDir({ platform: 'freebsd', env: {}, homedir: '/home/ada' }), '/home/ada/.config/Agent Tray');
  assert.equal(
    resolveDataDir({ platform: 'openbsd', env: { XDG_CONFIG_HOME: '/c' }, homedir: '/home/ada' }),
    '/c/Agent Tray',
  );
});

test('AGENT_TRAY_DATA_DIR wins over the platform default', () => {
  const env = { AGENT_TRAY_DATA_DIR: '/data/tray', XDG_CONFIG_HOME: '/srv/cfg', APPDATA: 'C:\\R' };
  assert.equal(resolveDataDir({ platform: 'linux', env, homedir: '/home/ada' }), '/data/tray');
  assert.equal(
    resolveDataDir({ platform: 'win32', env: { ...env, AGENT_TRAY_DATA_DIR: 'E:\\tray' }, homedir: 'C:\\U' }),
    'E:\\tray',
  );
});

test('override wins over AGENT_TRAY_DATA_DIR', () => {
  const dir = resolveDataDir({
    platform: 'darwin',
    env: { AGENT_TRAY_DATA_DIR: '/data/tray' },
    homedir: '/Users/ada',
    override: '/tmp/other',
  });
  assert.equal(dir, '/tmp/other');
});

test('an empty override is ignored', () => {
  const dir = resolveDataDir({ platform: 'linux', env: {}, homedir: '/home/ada', override: '' });
  assert.equal(dir, '/home/ada/.config/Agent Tray');
});

test('a relative override is resolved against cwd when given, else left as given', () => {
  assert.equal(
    resolveDataDir({ platform: 'linux', env: {}, homedir: '/h', override: 'data/../d', cwd: '/work' }),
    '/work/d',
  );
  assert.equal(
    resolveDataDir({ platform: 'win32', env: {}, homedir: 'C:\\h', override: 'd', cwd: 'C:\\work' }),
    'C:\\work\\d',
  );
  assert.equal(resolveDataDir({ platform: 'linux', env: {}, homedir: '/h', override: 'data' }), 'data');
  assert.equal(
    resolveDataDir({ platform: 'linux', env: { AGENT_TRAY_DATA_DIR: 'rel' }, homedir: '/h', cwd: '/w' }),
    '/w/rel',
  );
});

test('dataPaths lays out the files under root', () => {
  assert.deepEqual(dataPaths('/d', 'linux'), {
    root: '/d',
    agentsFile: '/d/agents.json',
    agentsBackup: '/d/agents.json.bak',
    settingsFile: '/d/settings.json',
    logs: '/d/logs',
    run: '/d/run',
  });
  assert.equal(dataPaths('C:\\D', 'win32').agentsBackup, 'C:\\D\\agents.json.bak');
  assert.equal(dataPaths('C:\\D', 'win32').logs, 'C:\\D\\logs');
});

test('logFiles and pidFile name the per-agent files', () => {
  const posix = dataPaths('/d', 'linux');
  assert.deepEqual(logFiles(posix, 'ollama', 'linux'), { stdout: '/d/logs/ollama.out.log', stderr: '/d/logs/ollama.err.log' });
  assert.equal(pidFile(posix, 'ollama', 'linux'), '/d/run/ollama.pid');
  const win = dataPaths('C:\\D', 'win32');
  assert.deepEqual(logFiles(win, 'mcp.fs', 'win32'), { stdout: 'C:\\D\\logs\\mcp.fs.out.log', stderr: 'C:\\D\\logs\\mcp.fs.err.log' });
  assert.equal(pidFile(win, 'mcp.fs', 'win32'), 'C:\\D\\run\\mcp.fs.pid');
});

test('logFiles and pidFile refuse names that would leave the folder', () => {
  const paths = dataPaths('/d', 'linux');
  for (const name of ['', '.', '..', '../x', 'a/b', 'a\\b']) {
    assert.throws(() => pidFile(paths, name, 'linux'), /cannot be used in a file name/);
    assert.throws(() => logFiles(paths, name, 'linux'), /cannot be used in a file name/);
  }
});
