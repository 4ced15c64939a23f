// `agent-tray secret set|list|remove` through the real binary (bin/agent-tray.js, the built dist/):
// the value only ever comes from stdin or a named variable, never argv; without a host the data
// directory is changed directly (0600 file), with one the change goes through its API.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runProgram } from '../helpers/cli-env.js';
import { startCli } from '../helpers/cli-process.js';
import { fixture, killTracked, track } from '../helpers/processes.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait.js';

const bin = fileURLToPath(new URL('../../bin/agent-tray.js', import.meta.url));
const built = fileURLToPath(new URL('../../dist/electron/cli/index.js', import.meta.url));

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0)) await c();
});

/** `agent-tray …args` from the built binary, `input` on its stdin. */
function agentTray(args: string[], input?: string, env: NodeJS.ProcessEnv = {}) {
  assert.ok(existsSync(built), `${built} is missing: run \`npm run build\` first (npm test does)`);
  return runProgram(process.execPath, [bin, ...args], env, input);
}

/** A data directory with one agent, `web`, that has OPENAI_API_KEY in its env (the way people start). */
async function dataDir(): Promise<string> {
  const { dir, cleanup } = await tempDir();
  cleanups.push(cleanup);
  await writeFile(path.join(dir, 'agents.json'), JSON.stringify({ agents: [{ name: 'web', command: process.execPath, args: [fixture('print-env.mjs'), 'OPENAI_API_KEY'], env: { OPENAI_API_KEY: 'sk-pasted-in-plain', MODE: 'dev' } }] }));
  return dir;
}

test('no host: set (value on stdin) moves the key out of agents.json into secrets.json (0600); list shows names only; rm removes it', async () => {
  const dir = await dataDir();
  const set = await agentTray(['secret', 'set', 'web', 'OPENAI_API_KEY', '--data-dir', dir], 'sk-from-stdin-0123456789\n');
  assert.equal(set.code, 0, set.all);
  assert.match(set.stdout, /web: OPENAI_API_KEY stored/);
  assert.ok(!set.all.includes('sk-from-stdin-0123456789'), 'the value is never printed');

  const agents = await readFile(path.join(dir, 'agents.json'), 'utf8');
  assert.ok(!agents.includes('sk-pasted-in-plain') && !agents.includes('sk-from-stdin'), agents);
  assert.deepEqual(JSON.parse(agents).agents[0].secretEnv, ['OPENAI_API_KEY']);
  assert.deepEqual(JSON.parse(agents).agents[0].env, { MODE: 'dev' });
  const file = path.join(dir, 'secrets.json');
  assert.equal(JSON.parse(await readFile(file, 'utf8')).agents.web.OPENAI_API_KEY, 'sk-from-stdin-0123456789', 'the trailing line break of echo is not part of the value');
  if (process.platform !== 'win32') assert.equal((await stat(file)).mode & 0o777, 0o600);

  const list = await agentTray(['secret', 'list', 'web', '--data-dir', dir]);
  assert.equal(list.code, 0, list.all);
  assert.equal(list.stdout, 'OPENAI_API_KEY\n');
  assert.match(list.stderr, /secrets\.json \(readable only by you \(0600\)\)/);
  assert.ok(!list.all.includes('sk-from-stdin'));

  const rm = await agentTray(['secret', 'rm', 'web', 'OPENAI_API_KEY', '--data-dir', dir]);
  assert.equal(rm.code, 0, rm.all);
  assert.equal(JSON.parse(await readFile(path.join(dir, 'agents.json'), 'utf8')).agents[0].secretEnv, undefined);
  assert.equal((await agentTray(['secret', 'list', 'web', '--data-dir', dir])).stdout, 'web has no secrets\n');
  assert.equal((await agentTray(['secret', 'remove', 'web', 'OPENAI_API_KEY', '--data-dir', dir])).code, 1, 'nothing left to remove');
});

test('a value is never taken from the command line; usage errors exit 2, an unknown agent 1', async () => {
  const dir = await dataDir();
  const inArgv = await agentTray(['secret', 'set', 'web', 'OPENAI_API_KEY', 'sk-in-argv', '--data-dir', dir], '');
  assert.equal(inArgv.code, 2, inArgv.all);
  assert.match(inArgv.stderr, /expected NAME KEY/);
  const empty = await agentTray(['secret', 'set', 'web', 'OPENAI_API_KEY', '--data-dir', dir], '');
  assert.equal(empty.code, 2);
  assert.match(empty.stderr, /no value for OPENAI_API_KEY of web: pipe it in/);
  assert.equal(existsSync(path.join(dir, 'secrets.json')), false, 'nothing stored');
  const unknown = await agentTray(['secret', 'set', 'nope', 'K', '--data-dir', dir], 'value');
  assert.equal(unknown.code, 1, unknown.all);
  assert.match(unknown.stderr, /No agent named "nope" \(known agents: web\)/);
  assert.equal((await agentTray(['secret', 'frobnicate', '--data-dir', dir])).code, 2);
});

test('a data directory whose secrets the desktop app encrypts is not changed behind its back', async () => {
  const dir = await dataDir();
  await writeFile(path.join(dir, 'secrets.enc.json'), JSON.stringify({ format: 'agent-tray-secrets', version: 1, encryption: 'electron-safe-storage', agents: {} }));
  const set = await agentTray(['secret', 'set', 'web', 'OPENAI_API_KEY', '--data-dir', dir], 'sk-x-123456');
  assert.equal(set.code, 1, set.all);
  assert.match(set.stderr, /encrypted with the system keychain .*open Agent Tray and run this command again/);
  assert.equal(existsSync(path.join(dir, 'secrets.json')), false);
});

test('with a host running: set (--value-from-env) goes through its API and the agent gets the value at its next start; its log shows ***', async () => {
  const dir = await dataDir();
  const host = startCli(['serve', '--data-dir', dir, '--port', '0']);
  track(host.pid);
  cleanups.push(async () => {
    process.kill(host.pid, 'SIGTERM');
    await host.exit;
  });
  const m = await host.waitForLine(/Agent Tray listening on (http:\/\/\S+)\/\?token=(\S+)/, 20_000);
  const api = async (method: string, p: string) => (await fetch(`${m[1]}${p}`, { method, headers: { authorization: `Bearer ${m[2]}` } })).json();

  const set = await agentTray(['secret', 'set', 'web', 'OPENAI_API_KEY', '--value-from-env', 'MY_KEY', '--data-dir', dir], undefined, { MY_KEY: 'sk-via-the-host-987654' });
  assert.equal(set.code, 0, set.all);
  const env = await api('GET', '/api/agents/web/env');
  assert.deepEqual(env.variables.find((v: { key: string }) => v.key === 'OPENAI_API_KEY'), { key: 'OPENAI_API_KEY', value: '••••••', source: 'secret' }, 'the host knows it at once');

  const started = await api('POST', '/api/agents/web/start');
  track(started.pid);
  let lines: string[] = [];
  await waitFor(async () => {
    lines = (await api('GET', '/api/agents/web/logs')).lines.map((l: { text: string }) => l.text);
    return lines.some((l) => l.startsWith('printed'));
  }, 10_000, 'the agent printing its environment');
  assert.ok(lines.includes('OPENAI_API_KEY="***"'), lines.join('\n'));
  const onDisk = await readFile(path.join(dir, 'logs', 'web.out.log'), 'utf8');
  assert.ok(onDisk.includes('sk-via-the-host-987654'), 'the agent got the value');

  const list = await agentTray(['secret', 'list', 'web', '--json', '--data-dir', dir]);
  assert.deepEqual(JSON.parse(list.stdout).secrets, [{ key: 'OPENAI_API_KEY', stored: true, declared: true }]);
});
