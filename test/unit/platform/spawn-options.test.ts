// Unit tests for the per-platform spawn options, the taskkill command and environment merging.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildSpawnOptions, mergeEnv, taskkillCommand, type SpawnPlan } from '../../../electron/core/platform/spawn-options.js';

/** A plan for platform with fixed fds. */
function plan(platform: NodeJS.Platform, stdin: SpawnPlan['stdin'] = 'ignore'): SpawnPlan {
  return { platform, cwd: platform === 'win32' ? 'C:\\agents' : '/srv/agents', env: { A: '1' }, stdoutFd: 21, stderrFd: 22, stdin };
}

test('win32: not detached, hidden, output to the log fds', () => {
  assert.deepEqual(buildSpawnOptions(plan('win32')), {
    cwd: 'C:\\agents',
    env: { A: '1' },
    stdio: ['ignore', 21, 22],
    detached: false,
    windowsHide: true,
  });
  assert.deepEqual(buildSpawnOptions(plan('win32', 'pipe')).stdio, ['pipe', 21, 22]);
});

for (const platform of ['linux', 'darwin', 'freebsd'] as const) {
  test(`${platform}: detached so the agent leads its own process group`, () => {
    assert.deepEqual(buildSpawnOptions(plan(platform, 'pipe')), {
      cwd: '/srv/agents',
      env: { A: '1' },
      stdio: ['pipe', 21, 22],
      detached: true,
      windowsHide: true,
    });
  });
}

test('taskkillCommand ends the whole tree by force', () => {
  assert.deepEqual(taskkillCommand(4242), { command: 'taskkill', args: ['/PID', '4242', '/T', '/F'] });
  assert.throws(() => taskkillCommand(0), /not a process id/);
  assert.throws(() => taskkillCommand(-5), /not a process id/);
});

test('mergeEnv drops undefined values and applies overrides', () => {
  const base = { HOME: '/home/ada', EMPTY: '', GONE: undefined, LANG: 'C' };
  assert.deepEqual(mergeEnv(base, { LANG: 'en_US.UTF-8', NEW: 'x' }, 'linux'), {
    HOME: '/home/ada',
    EMPTY: '',
    LANG: 'en_US.UTF-8',
    NEW: 'x',
  });
});

test('mergeEnv on POSIX is case-sensitive', () => {
  for (const platform of ['linux', 'darwin'] as const) {
    assert.deepEqual(mergeEnv({ Path: '/a' }, { PATH: '/b' }, platform), { Path: '/a', PATH: '/b' });
  }
});

test('mergeEnv on win32: an override PATH replaces an inherited Path and keeps its own spelling', () => {
  const merged = mergeEnv({ Path: 'C:\\Windows', SystemRoot: 'C:\\Windows', TEMP: undefined }, { PATH: 'C:\\tools' }, 'win32');
  assert.deepEqual(merged, { SystemRoot: 'C:\\Windows', PATH: 'C:\\tools' });
  assert.deepEqual(mergeEnv({ PATH: 'a', path: 'b' }, { Path: 'c' }, 'win32'), { Path: 'c' });
  assert.deepEqual(mergeEnv({ Path: 'a' }, {}, 'win32'), { Path: 'a' });
});

test('mergeEnv does not modify its inputs', () => {
  const base = { Path: 'a' };
  const overrides = { PATH: 'b' };
  mergeEnv(base, overrides, 'win32');
  assert.deepEqual(base, { Path: 'a' });
  assert.deepEqual(overrides, { PATH: 'b' });
});
