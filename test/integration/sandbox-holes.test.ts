// The command sandbox through the real command table: the holes of issue 13 stay closed. Each
// refusal happens at create/update, so nothing of the definition ever runs.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AgentTrayApp } from '../../electron/app/application.js';
import { AgentTrayError } from '../../electron/core/errors.js';
import { tempDir } from '../helpers/temp-dir.js';
import { fixture, killTracked, track } from '../helpers/processes.js';
import { rejectsWith } from '../helpers/rejections.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** An app over a fresh data directory with the given settings.json. */
async function openApp(settings: unknown): Promise<{ app: AgentTrayApp; dir: string }> {
  const { dir, cleanup } = await tempDir();
  writeFileSync(`${dir}/agents.json`, JSON.stringify({ agents: [] }));
  writeFileSync(`${dir}/settings.json`, JSON.stringify(settings));
  const app = await AgentTrayApp.open({ dataDir: dir });
  cleanups.push(cleanup, () => app.close());
  app.subscribe((e) => {
    if (e.type === 'state' && e.status.pid) track(e.status.pid);
  });
  return { app, dir };
}

const good = (name: string) => ({ name, command: process.execPath, args: [fixture('well-behaved.mjs')] });

/** The names saved in agents.json. */
const saved = (dir: string) => (JSON.parse(readFileSync(`${dir}/agents.json`, 'utf8')) as { agents: { name: string }[] }).agents.map((a) => a.name);

test('createAgent refuses a health.command outside allowedCommands and an env name with "="', async () => {
  const { app, dir } = await openApp({ sandbox: { allowedCommands: [process.execPath], allowedEnv: [] } });
  const marker = path.join(dir, 'pwned');
  const health = await rejectsWith(app.dispatch('createAgent', { definition: { ...good('probe'), health: { command: ['sh', '-c', `touch ${marker}`], intervalMs: 100 } } }), 'sandbox-refused');
  assert.match(health.message, /health\.command "sh" is not one of the allowed commands/);
  assert.ok(health.message.includes(path.join(dir, 'settings.json')), 'names the file to edit');

  const injected = await rejectsWith(app.dispatch('createAgent', { definition: { ...good('eq'), env: { 'NODE_OPTIONS=--require evil.js --title': 'x' } } }), 'bad-request');
  assert.match(injected.message, /env\."NODE_OPTIONS=--require evil\.js --title": the variable name contains "="/);

  await rejectsWith(app.dispatch('createAgent', { definition: { ...good('pp'), env: { PYTHONPATH: dir } } }), 'sandbox-refused');
  await app.dispatch('startAll', {});
  assert.deepEqual(saved(dir), []);
  assert.equal(existsSync(marker), false);
});

test('createAgent refuses a cwd that is a symlink into a restricted directory', { skip: process.platform === 'win32' && 'symlinks need a privilege on Windows' }, async () => {
  const { app, dir } = await openApp({ sandbox: { allowedEnv: [] } });
  symlinkSync('/etc', path.join(dir, 'x'));
  const err = await rejectsWith(app.dispatch('createAgent', { definition: { ...good('linked'), cwd: 'x' } }), 'sandbox-refused');
  assert.match(err.message, /sandbox rule sandbox\.restrictedPaths/);
  await rejectsWith(app.dispatch('createAgent', { definition: { ...good('dots'), cwd: '/etc/..data' } }), 'sandbox-refused');
  assert.deepEqual(saved(dir), []);
});

test('names that differ only in case are refused on create and rename, naming the first agent', async () => {
  const { app, dir } = await openApp({ sandbox: { allowedEnv: [] } });
  await app.dispatch('createAgent', { definition: good('a1') });
  await app.dispatch('createAgent', { definition: good('b') });
  const created = await rejectsWith(app.dispatch('createAgent', { definition: good('A1') }), 'agent-exists');
  assert.match(created.message, /"A1".*"a1"/);
  await rejectsWith(app.dispatch('updateAgent', { name: 'b', definition: good('A1') }), 'agent-exists');
  await app.dispatch('updateAgent', { name: 'a1', definition: good('A1') });
  assert.deepEqual(saved(dir), ['A1', 'b']);
});

test('two creates at once that differ only in case: one is saved, the other is refused', async () => {
  const { app, dir } = await openApp({ sandbox: { allowedEnv: [] } });
  const results = await Promise.allSettled([app.dispatch('createAgent', { definition: good('m1') }), app.dispatch('createAgent', { definition: good('M1') })]);
  assert.deepEqual(results.map((r) => r.status), ['fulfilled', 'rejected']);
  const reason = (results[1] as PromiseRejectedResult).reason as AgentTrayError;
  assert.equal(reason.code, 'agent-exists');
  assert.deepEqual(saved(dir), ['m1']);
});
