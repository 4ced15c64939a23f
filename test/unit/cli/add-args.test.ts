// `agent-tray add`: the definition its options make, and the usage errors that stop it before any host is asked.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { envFilePath, parseAdd, parseDependency, parseEnvPair } from '../../../electron/cli/add.js';
import { UsageError } from '../../../electron/cli/client.js';

test('add: every option into the definition; the command and its own options after --', () => {
  const { dataDir, definition } = parseAdd(
    ['web', '--data-dir', '/d', '--cwd', 'proj', '-e', 'A=1', '--env', 'URL=http://h/?a=b', '--env', 'EMPTY=', '--env-file', 'proj/.env', '--port', '8080', '-g', 'ui', '--group', 'ui', '--group', 'web', '--depends-on', 'model=healthy', '--depends-on', 'db', '--description', 'the UI', '--', 'python3', '-m', 'http.server', '--bind', '127.0.0.1'],
    '/home/me',
  );
  assert.equal(dataDir, '/d');
  assert.deepEqual(definition, {
    name: 'web',
    command: 'python3',
    args: ['-m', 'http.server', '--bind', '127.0.0.1'],
    cwd: '/home/me/proj',
    description: 'the UI',
    env: { A: '1', URL: 'http://h/?a=b', EMPTY: '' },
    envFile: '.env',
    port: 8080,
    groups: ['ui', 'web'],
    dependsOn: { model: 'healthy', db: 'started' },
  });
});

test('add: the fewest options; the current directory as cwd; a command without options may skip --', () => {
  assert.deepEqual(parseAdd(['w', '--', 'node'], '/srv').definition, { name: 'w', command: 'node', args: [], cwd: '/srv' });
  assert.deepEqual(parseAdd(['w', 'node', 'server.js'], '/srv').definition, { name: 'w', command: 'node', args: ['server.js'], cwd: '/srv' });
  assert.deepEqual(parseAdd(['w', '--env-file', 'a.env', '--env-file', '/etc/b.env', '--', 'node'], '/srv').definition.envFile, ['a.env', '/etc/b.env']);
});

test('add: usage errors name what is wrong', () => {
  const cases: [string[], RegExp][] = [
    [[], /missing the agent NAME/],
    [['w'], /missing the COMMAND to run; put it after "--", e\.g\. agent-tray add w -- /],
    [['w', 'node', '--', 'python'], /give the command once, after "--"/],
    [['w', '--port', '99999', '--', 'x'], /--port "99999" is not a port number/],
    [['w', '--port', 'http', '--', 'x'], /--port "http" is not a port number/],
    [['w', '--env', 'NOEQUALS', '--', 'x'], /--env "NOEQUALS" is not KEY=VALUE/],
    [['w', '--env', '=v', '--', 'x'], /--env "=v" is not KEY=VALUE/],
    [['w', '--depends-on', 'db=up', '--', 'x'], /"up" is not a condition; use one of started, healthy, ready, completed/],
    [['w', '--depends-on', '=healthy', '--', 'x'], /names no agent/],
  ];
  for (const [argv, pattern] of cases) assert.throws(() => parseAdd(argv, '/'), (e: unknown) => e instanceof UsageError && pattern.test(e.message), argv.join(' '));
  assert.throws(() => parseAdd(['w', '--bogus', '--', 'x'], '/'), { code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' });
});

test('env pairs and dependencies', () => {
  assert.deepEqual(parseEnvPair('A=b=c'), ['A', 'b=c']);
  assert.deepEqual(parseDependency('model=ready'), ['model', 'ready']);
  assert.deepEqual(parseDependency('setup=completed'), ['setup', 'completed']);
  assert.deepEqual(parseDependency('db'), ['db', 'started']);
});

test('env file paths: from the current directory, kept relative to the agent\'s cwd when inside it', () => {
  assert.equal(envFilePath('.env', '/home/me/proj', '/home/me/proj'), '.env');
  assert.equal(envFilePath('proj/conf/.env', '/home/me/proj', '/home/me'), 'conf/.env');
  assert.equal(envFilePath('.env', '/home/me/proj', '/home/me'), '/home/me/.env', 'outside the cwd: absolute');
  assert.equal(envFilePath('/etc/keys.env', '/home/me/proj', '/home/me'), '/etc/keys.env');
});
