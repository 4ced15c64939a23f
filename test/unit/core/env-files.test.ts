// Env files (dotenv's parser: quoting, export, comments, multi-line) and an agent's environment in
// layers: env files, then env, then secrets, each variable with where it came from.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AgentDefinitionSchema, type AgentDefinitionInput } from '../../../shared/agent.js';
import { SECRET_MASK } from '../../../shared/env.js';
import { publicEnv, resolveAgentEnv } from '../../../electron/core/agent-env.js';
import { envFilesOf, parseEnvText, readEnvFiles, resolveEnvFile } from '../../../electron/core/env-files.js';
import { AgentTrayError } from '../../../electron/core/errors.js';
import { fileSecretStore } from '../../../electron/core/secrets/secret-files.js';
import { tempDir } from '../../helpers/temp-dir.js';

const def = (d: Partial<AgentDefinitionInput>) => AgentDefinitionSchema.parse({ name: 'web', command: 'node', ...d });

test('dotenv text: quotes, export, comments, multi-line values, escapes and empty values', () => {
  const text = [
    '# a comment line',
    'export API_URL=http://127.0.0.1:8080/v1',
    'PLAIN=two words # a trailing comment',
    "SINGLE='kept as is: \\n $HOME'",
    'DOUBLE="escaped\\nnewline"',
    'HASH="a # inside quotes"',
    'MULTI="first line',
    'second line"',
    'EMPTY=',
    '  SPACED  =  trimmed  ',
  ].join('\n');
  assert.deepEqual(parseEnvText(`\uFEFF${text}`), {
    API_URL: 'http://127.0.0.1:8080/v1',
    PLAIN: 'two words',
    SINGLE: 'kept as is: \\n $HOME',
    DOUBLE: 'escaped\nnewline',
    HASH: 'a # inside quotes',
    MULTI: 'first line\nsecond line',
    EMPTY: '',
    SPACED: 'trimmed',
  });
});

test('envFile: one path or a list; relative paths are taken from the agent\'s cwd', () => {
  assert.deepEqual(envFilesOf(def({})), []);
  assert.deepEqual(envFilesOf(def({ envFile: '.env' })), ['.env']);
  assert.deepEqual(envFilesOf(def({ envFile: ['.env', '.env.local'] })), ['.env', '.env.local']);
  assert.equal(resolveEnvFile('.env', '/srv/web', 'linux'), '/srv/web/.env');
  assert.equal(resolveEnvFile('/etc/web.env', '/srv/web', 'linux'), '/etc/web.env');
  assert.equal(resolveEnvFile('conf\\.env', 'C:\\web', 'win32'), 'C:\\web\\conf\\.env');
  assert.equal(AgentDefinitionSchema.safeParse({ name: 'a', command: 'x', envFile: '' }).success, false, 'an empty path is refused');
  assert.equal(AgentDefinitionSchema.safeParse({ name: 'a', command: 'x', envFile: [] }).success, false, 'an empty list is refused');
});

test('a missing env file is an env-file-missing error naming the agent, the file and the fix', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  await writeFile(path.join(dir, '.env'), 'A=1\n');
  const err = await readEnvFiles(def({ envFile: ['.env', 'missing.env'] }), dir).then(
    () => assert.fail('it read a file that does not exist'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof AgentTrayError);
  assert.equal(err.code, 'env-file-missing');
  assert.match(err.message, /Agent "web": the env file .*missing\.env does not exist/);
  assert.match(err.message, /change "envFile"/);
  assert.equal(err.details.file, path.join(dir, 'missing.env'));
  const dirErr = (await readEnvFiles(def({ envFile: '.' }), dir).catch((e: unknown) => e)) as AgentTrayError;
  assert.match(dirErr.message, /is a directory/);
});

test('layers: later env files win over earlier ones, env over the files, secrets over both; each variable says where it came from', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const cwd = path.join(dir, 'web');
  await mkdir(cwd);
  await writeFile(path.join(cwd, '.env'), 'SHARED=from-first\nONLY_FIRST=1\nTOKEN=file-token\n');
  await writeFile(path.join(cwd, '.env.local'), 'SHARED=from-second\nPORT=8080\n');
  const secrets = fileSecretStore(dir);
  await secrets.set('web', 'TOKEN', 'secret-token-value');
  const d = def({ cwd: 'web', envFile: ['.env', '.env.local'], env: { PORT: '9090', MODE: 'dev' }, secretEnv: ['TOKEN'] });
  const resolved = await resolveAgentEnv(d, { root: dir, platform: 'linux', secrets }, true);
  assert.deepEqual(resolved.values, { SHARED: 'from-second', ONLY_FIRST: '1', TOKEN: 'secret-token-value', PORT: '9090', MODE: 'dev' });
  const by = Object.fromEntries(resolved.variables.map((v) => [v.key, v]));
  assert.deepEqual(by.SHARED, { key: 'SHARED', value: 'from-second', source: 'envFile', file: path.join(cwd, '.env.local'), overrides: [{ source: 'envFile', file: path.join(cwd, '.env') }] });
  assert.equal(by.PORT?.source, 'definition');
  assert.deepEqual(by.PORT?.overrides, [{ source: 'envFile', file: path.join(cwd, '.env.local') }]);
  assert.equal(by.TOKEN?.source, 'secret');
  assert.deepEqual(resolved.secretValues, ['secret-token-value']);

  const shown = publicEnv(resolved);
  assert.equal(shown.variables.find((v) => v.key === 'TOKEN')?.value, SECRET_MASK, 'a client never sees the value');
  assert.ok(!JSON.stringify(shown).includes('secret-token-value'));
  assert.deepEqual(shown.errors, []);
});

test('Windows: names that differ only in case are one variable, and the later layer\'s spelling wins', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  const secrets = fileSecretStore(dir);
  await secrets.set('web', 'Api_Key', 'from-the-store');
  const d = def({ env: { API_KEY: 'from-env', OTHER: '1' }, secretEnv: ['Api_Key'] });
  const win = await resolveAgentEnv(d, { root: dir, platform: 'win32', secrets }, true);
  assert.deepEqual(win.values, { OTHER: '1', Api_Key: 'from-the-store' });
  assert.deepEqual(win.variables.find((v) => v.key === 'Api_Key')?.overrides, [{ source: 'definition' }]);
  const linux = await resolveAgentEnv(d, { root: dir, platform: 'linux', secrets }, true);
  assert.deepEqual(linux.values, { API_KEY: 'from-env', OTHER: '1', Api_Key: 'from-the-store' }, 'two variables where case matters');
});

test('a start (strict) throws the first problem; the window\'s view collects them all and still reads the rest', async (t) => {
  const { dir, cleanup } = await tempDir();
  t.after(cleanup);
  await writeFile(path.join(dir, '.env'), 'A=1\n');
  const d = def({ envFile: ['gone.env', '.env'], secretEnv: ['API_KEY'] });
  const ctx = { root: dir, platform: 'linux' as const, secrets: fileSecretStore(dir) };
  await assert.rejects(resolveAgentEnv(d, ctx, true), (e: AgentTrayError) => e.code === 'env-file-missing');
  const lenient = await resolveAgentEnv(d, ctx, false);
  assert.deepEqual(lenient.values, { A: '1' });
  assert.deepEqual(lenient.errors.map((e) => e.code), ['env-file-missing', 'secret-missing']);
  const secretError = lenient.errors[1]!;
  assert.match(secretError.message, /Agent "web": the secret API_KEY has no value in the secret store/);
  assert.match(secretError.message, /agent-tray secret set web API_KEY/);
  assert.deepEqual(publicEnv(lenient).errors.map((e) => e.key ?? e.file), [path.join(dir, 'gone.env'), 'API_KEY']);
});

test('secretEnv: names must be valid, unique, and not also in env (the value would sit in agents.json)', () => {
  const issues = (d: Partial<AgentDefinitionInput>) => {
    const r = AgentDefinitionSchema.safeParse({ name: 'a', command: 'x', ...d });
    return r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };
  assert.deepEqual(issues({ secretEnv: ['API_KEY'] }), []);
  assert.match(issues({ secretEnv: ['A=B'] }).join(), /secretEnv\.0: .*"="/);
  assert.match(issues({ secretEnv: ['K', 'K'] }).join(), /secretEnv\.1: K is listed more than once/);
  assert.match(issues({ secretEnv: ['K'], env: { K: 'plain' } }).join(), /env\.K: K is also in secretEnv/);
});
