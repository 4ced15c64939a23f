// Env files and secrets on a real host and a real agent that prints its environment: the agent
// sees both, agents.json and the definition never hold the secret, its log lines show *** for it,
// GET env says where each variable comes from; a missing env file, a missing secret and a refused
// variable are errored starts naming the cause.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { AgentTrayApp } from '../../electron/app/application.js';
import { hasLine, type Cleanups } from '../helpers/engine.js';
import { startHost, type TestHost } from '../helpers/http-host.js';
import { fixture, killTracked, track } from '../helpers/processes.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitForEvent } from '../helpers/wait.js';

const cleanups: Cleanups = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0)) await c();
});

const SECRET = 'tok-3f9a-77b1-secret';
const VARS = ['FROM_FILE', 'LOCAL_WINS', 'QUOTED', 'MULTI', 'FROM_DEF', 'API_TOKEN'];

/** A host whose agent `envy` prints VARS, with an env dir holding .env and .env.local. */
async function hostWithEnvAgent(): Promise<{ host: TestHost; cwd: string }> {
  const host = await startHost(cleanups);
  const cwd = path.join(host.dataDir, 'envy');
  await mkdir(cwd);
  await writeFile(path.join(cwd, '.env'), ['# settings for envy', 'export FROM_FILE=file-value', 'LOCAL_WINS=from-.env', 'QUOTED="two words # not a comment"', 'MULTI="line one', 'line two"', ''].join('\n'));
  await writeFile(path.join(cwd, '.env.local'), 'LOCAL_WINS=from-.env.local\n');
  const created = await host.api('POST', '/api/agents', { name: 'envy', command: process.execPath, args: [fixture('print-env.mjs'), ...VARS], cwd: 'envy', envFile: ['.env', '.env.local'], env: { FROM_DEF: 'def-value' } });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  return { host, cwd };
}

test('an agent started with env files and a secret sees both; agents.json, the definition and the log never show the secret', async () => {
  const { host, cwd } = await hostWithEnvAgent();
  const set = await host.api('PUT', '/api/agents/envy/secrets/API_TOKEN', { value: SECRET });
  assert.equal(set.status, 200, JSON.stringify(set.body));
  assert.deepEqual(set.body.secretEnv, ['API_TOKEN']);
  assert.equal(set.body.store.kind, 'file');

  const agentsJson = await readFile(path.join(host.dataDir, 'agents.json'), 'utf8');
  assert.ok(!agentsJson.includes(SECRET), 'agents.json holds no secret value');
  assert.deepEqual(JSON.parse(agentsJson).agents[0].secretEnv, ['API_TOKEN']);
  const definition = await host.api('GET', '/api/agents/envy/definition');
  assert.ok(!JSON.stringify(definition.body).includes(SECRET));

  const printed = waitForEvent(host.app.engine, hasLine('envy', /^printed pid=/), 10_000, 'envy printing its environment');
  const started = await host.api('POST', '/api/agents/envy/start');
  assert.equal(started.status, 200, JSON.stringify(started.body));
  await printed;
  const logs = await host.api('GET', '/api/agents/envy/logs?lines=50');
  const text = (logs.body.lines as { text: string }[]).map((l) => l.text);
  assert.ok(text.includes('FROM_FILE="file-value"'), text.join('\n'));
  assert.ok(text.includes('LOCAL_WINS="from-.env.local"'), 'a later env file wins');
  assert.ok(text.includes('QUOTED="two words # not a comment"'));
  assert.ok(text.includes('MULTI="line one\\nline two"'), 'a multi-line value arrives whole');
  assert.ok(text.includes('FROM_DEF="def-value"'));
  assert.ok(text.includes('API_TOKEN="***"'), 'the secret is masked in the lines the API serves');
  assert.ok(!JSON.stringify(logs.body).includes(SECRET));
  // the agent itself got the real value: it wrote it to its own log file, which it writes directly
  const onDisk = await readFile(path.join(host.dataDir, 'logs', 'envy.out.log'), 'utf8');
  assert.ok(onDisk.includes(`API_TOKEN="${SECRET}"`), 'the agent saw the secret');

  const env = await host.api('GET', '/api/agents/envy/env');
  assert.equal(env.status, 200);
  const by: Record<string, Record<string, unknown>> = Object.fromEntries((env.body.variables as { key: string }[]).map((v) => [v.key, v]));
  assert.deepEqual(by.FROM_FILE, { key: 'FROM_FILE', value: 'file-value', source: 'envFile', file: path.join(cwd, '.env') });
  assert.equal(by.LOCAL_WINS?.file, path.join(cwd, '.env.local'));
  assert.deepEqual(by.FROM_DEF, { key: 'FROM_DEF', value: 'def-value', source: 'definition' });
  assert.deepEqual(by.API_TOKEN, { key: 'API_TOKEN', value: '••••••', source: 'secret' });
  assert.equal(by.PATH, undefined, "the host's own environment is never listed");
  assert.deepEqual(env.body.errors, []);
  assert.ok(!JSON.stringify(env.body).includes(SECRET));

  const search = await host.api('GET', '/api/agents/envy/logs/search?q=API_TOKEN');
  assert.equal(search.status, 200, JSON.stringify(search.body));
  assert.deepEqual((search.body.matches as { text: string }[]).map((m) => m.text), ['API_TOKEN="***"'], 'a search of the files on disk masks too');

  const list = await host.api('GET', '/api/agents/envy/secrets');
  assert.deepEqual(list.body.secrets, [{ key: 'API_TOKEN', stored: true, declared: true }]);
  const removed = await host.api('DELETE', '/api/agents/envy/secrets/API_TOKEN');
  assert.deepEqual([removed.body.removed, removed.body.secretEnv], [true, []]);
  assert.equal((await host.api('GET', '/api/agents/envy/definition')).body.secretEnv, undefined);
});

test('setting a secret that sits in env moves it out of agents.json; rename carries secrets along, removal deletes them', async () => {
  const host = await startHost(cleanups, { agents: [{ name: 'plain', command: process.execPath, args: [fixture('print-env.mjs')], env: { OPENAI_API_KEY: 'sk-was-in-the-file', KEEP: '1' } }] });
  await host.api('PUT', '/api/agents/plain/secrets/OPENAI_API_KEY', { value: 'sk-now-in-the-store' });
  const saved = await readFile(path.join(host.dataDir, 'agents.json'), 'utf8');
  assert.ok(!saved.includes('sk-was-in-the-file') && !saved.includes('sk-now-in-the-store'), saved);
  assert.deepEqual(JSON.parse(saved).agents[0].env, { KEEP: '1' });

  const definition = (await host.api('GET', '/api/agents/plain/definition')).body;
  const renamed = await host.api('PUT', '/api/agents/plain', { ...definition, name: 'renamed' });
  assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
  assert.deepEqual((await host.api('GET', '/api/agents/renamed/secrets')).body.secrets, [{ key: 'OPENAI_API_KEY', stored: true, declared: true }]);
  assert.equal((await host.api('GET', '/api/agents/renamed/env')).body.errors.length, 0);

  await host.api('DELETE', '/api/agents/renamed');
  const store = JSON.parse(await readFile(path.join(host.dataDir, 'secrets.json'), 'utf8'));
  assert.deepEqual(store.agents, {}, 'the removed agent\'s secrets went with it');
});

test('a missing env file, a secret without a value and an env file setting LD_PRELOAD each make the start fail: errored, the reason named', async () => {
  const host = await startHost(cleanups);
  const agent = (name: string, extra: object) => host.api('POST', '/api/agents', { name, command: process.execPath, args: [fixture('print-env.mjs')], ...extra });
  await writeFile(path.join(host.dataDir, 'inject.env'), 'LD_PRELOAD=/tmp/evil.so\n');
  await agent('nofile', { envFile: 'missing.env' });
  await agent('nosecret', { secretEnv: ['API_KEY'] });
  await agent('inject', { envFile: 'inject.env' });

  const cases = [
    { name: 'nofile', code: 'env-file-missing', hint: /change "envFile"/, message: new RegExp(`the env file ${path.join(host.dataDir, 'missing.env').replace(/[.\\/]/g, '\\$&')} does not exist`) },
    { name: 'nosecret', code: 'secret-missing', message: /the secret API_KEY has no value in the secret store/, hint: /agent-tray secret set nosecret API_KEY/ },
    { name: 'inject', code: 'sandbox-refused', message: /the env file .*inject\.env sets LD_PRELOAD.*sandbox\.allowedEnv/, hint: /allow it by name in sandbox\.allowedEnv/ },
  ];
  for (const c of cases) {
    const start = await host.api('POST', `/api/agents/${c.name}/start`);
    assert.equal(start.status, c.code === 'sandbox-refused' ? 400 : 409, `${c.name}: ${JSON.stringify(start.body)}`);
    assert.equal(start.body.error.code, c.code);
    assert.match(start.body.error.message, c.message);
    if (c.hint) assert.match(start.body.error.hint, c.hint);
    const status = (await host.api('GET', `/api/agents/${c.name}`)).body;
    assert.equal(status.state, 'errored', c.name);
    assert.match(status.lastError.message, c.message);
    assert.equal(status.pid, null);
    // the window's view names the same problem before a start is tried
    const env = (await host.api('GET', `/api/agents/${c.name}/env`)).body;
    assert.equal(env.errors[0].code, c.code, c.name);
  }

  const refusedSecret = await host.api('PUT', '/api/agents/nosecret/secrets/NODE_OPTIONS', { value: '--require /tmp/x.js' });
  assert.equal(refusedSecret.body.error.code, 'sandbox-refused', 'a secret cannot smuggle a code-loading variable either');
  const badName = await host.api('PUT', '/api/agents/nosecret/secrets/A%3DB', { value: 'x' });
  assert.equal(badName.body.error.code, 'bad-request');
  const declared = await agent('declares', { secretEnv: ['LD_PRELOAD'] });
  assert.equal(declared.body.error.code, 'sandbox-refused', 'nor can a definition name one in secretEnv');
});

test('a host that takes back a running agent masks its secret in the lines it reads back (history and new lines)', async () => {
  const { dir, cleanup } = await tempDir();
  const apps: { first?: AgentTrayApp; second?: AgentTrayApp; firstClosed?: boolean } = {};
  // in this order: the hosts (the agent ended by pid before), then the directory
  cleanups.push(async () => {
    if (!apps.firstClosed) await apps.first?.close();
    await apps.second?.close();
    await cleanup();
  });
  await writeFile(path.join(dir, 'agents.json'), JSON.stringify({ agents: [{ name: 'kept', command: process.execPath, args: [fixture('print-env.mjs'), 'API_TOKEN'] }] }));
  const first = (apps.first = await AgentTrayApp.open({ dataDir: dir, watch: false }));
  await first.dispatch('setSecret', { name: 'kept', key: 'API_TOKEN', value: SECRET });
  const printed = waitForEvent(first.engine, hasLine('kept', /^printed pid=/), 10_000, 'kept printing');
  const status = await first.dispatch('startAgent', { name: 'kept' });
  track(status.pid);
  await printed;
  await first.close(); // the agent runs on
  apps.firstClosed = true;

  const second = (apps.second = await AgentTrayApp.open({ dataDir: dir, watch: false }));
  const found = await second.dispatch('discover', {});
  assert.equal(found.results[0]?.outcome, 'adopted', JSON.stringify(found));
  const lines = (await second.dispatch('agentLogs', { name: 'kept', lines: 20, stream: 'all' })).lines.map((l) => l.text);
  assert.ok(lines.includes('API_TOKEN="***"'), lines.join('\n'));
  assert.ok(!lines.some((l) => l.includes(SECRET)));
});
