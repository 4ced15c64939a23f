// Saves of agents.json and settings.json on real files: the .bak is never half-written, even
// when the saving process is killed the instant it is touched; temporary files of interrupted
// saves are removed when a host opens the data directory; the files are private (0600); a save
// the file system refuses is an error that names the file and the cause.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, watch, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AgentTrayApp } from '../../electron/app/application.js';
import type { Cleanups } from '../helpers/engine.js';
import { startHost } from '../helpers/http-host.js';
import { killTracked, track } from '../helpers/processes.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait.js';
import { rejection } from '../helpers/rejections.js';

const cleanups: Cleanups = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0).reverse()) await c();
});

const saver = new URL('../fixtures/hosts/agents-saver.ts', import.meta.url).pathname;

/** A fresh data directory, removed after the test. */
async function dataDir(): Promise<string> {
  const { dir, cleanup } = await tempDir('agent-tray-saves-');
  cleanups.push(cleanup);
  return dir;
}

/** Opens the application over `dir` (closed after the test). */
async function openApp(dir: string): Promise<AgentTrayApp> {
  const app = await AgentTrayApp.open({ dataDir: dir, watch: false });
  cleanups.push(() => app.close());
  return app;
}

test('a save killed the moment it touches agents.json.bak leaves a whole .bak; the next host removes its temporary files', async () => {
  const dir = await dataDir();
  const file = path.join(dir, 'agents.json');
  const previous = Buffer.from(JSON.stringify({ agents: [{ name: 'before', command: 'node', env: { BIG: 'x'.repeat(16 * 1024 * 1024) } }] }));
  writeFileSync(file, previous);

  const child = spawn(process.execPath, ['--import', 'tsx', saver, file], { stdio: ['pipe', 'pipe', 'pipe'] });
  track(child.pid);
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
  await waitFor(() => stdout.includes('ready'), 15_000, 'the saver to be ready');

  // the instant anything happens to agents.json.bak itself, the saver dies
  const watcher = watch(dir, (_event, name) => {
    if (String(name) === 'agents.json.bak') child.kill('SIGKILL');
  });
  cleanups.push(() => watcher.close());
  child.stdin.write('go\n');
  assert.equal(await exited, 'SIGKILL', `the saver was killed mid-save (it printed: ${stdout.trim()})`);

  const backup = readFileSync(`${file}.bak`);
  assert.equal(backup.length, previous.length, 'the .bak is whole, not empty or cut short');
  assert.ok(backup.equals(previous), 'the .bak holds the file as it was before the save');
  JSON.parse(readFileSync(file, 'utf8')); // the file itself is one version or the other, whole

  const app = await openApp(dir);
  assert.deepEqual(
    readdirSync(dir).filter((f) => /\.\d+$/.test(f)),
    [],
    'no temporary file of the interrupted save is left',
  );
  assert.ok(app.store.has('before') || app.store.has('after'));
});

test('temporary files of interrupted saves are removed when a host opens the data directory, and only those', async () => {
  const dir = await dataDir();
  const leftovers = ['agents.json.3141592653', 'agents.json.bak.271828', 'settings.json.1618033', 'settings.json.bak.42', 'history.jsonl.4001234567'];
  const kept = ['agents.json.bak', 'notes.json.123', 'agents.json.old', 'settings.json.bak'];
  for (const f of [...leftovers, ...kept]) writeFileSync(path.join(dir, f), f.endsWith('.bak') ? '{}' : 'partial');
  await openApp(dir);
  const left = readdirSync(dir);
  for (const f of leftovers) assert.ok(!left.includes(f), `${f} was removed`);
  for (const f of kept) assert.ok(left.includes(f), `${f} was kept`);
});

test('agents.json, its .bak and settings.json are written private (0600), also over a file that was 0644', { skip: process.platform === 'win32' && 'no POSIX modes on Windows' }, async () => {
  const dir = await dataDir();
  const file = path.join(dir, 'agents.json');
  writeFileSync(file, JSON.stringify({ agents: [] }), { mode: 0o644 });
  const app = await openApp(dir);
  await app.dispatch('createAgent', { definition: { name: 'keyed', command: 'node', env: { OPENAI_API_KEY: 'sk-secret' } } });
  await app.dispatch('updateSettings', { changes: { notifications: false } });
  await app.dispatch('updateSettings', { changes: { notifications: true } });
  for (const f of ['agents.json', 'agents.json.bak', 'settings.json', 'settings.json.bak']) {
    assert.equal((statSync(path.join(dir, f)).mode & 0o777).toString(8), '600', `${f} is 0600`);
  }
});

test('a save the file system refuses is a 403 naming agents.json, not a 500; the file is left as it was', async (t) => {
  const host = await startHost(cleanups, { agents: [{ name: 'a', command: 'node' }] });
  const file = path.join(host.dataDir, 'agents.json');
  const before = readFileSync(file);
  if (spawnSync('chattr', ['+i', file]).status !== 0) {
    t.skip('chattr +i is not available here (needs root on a file system with attributes)');
    return;
  }
  cleanups.push(() => void spawnSync('chattr', ['-i', file]));
  const { status, body } = await host.api('POST', '/api/agents', { name: 'b', command: 'node' });
  assert.equal(status, 403, JSON.stringify(body));
  assert.equal(body.error.code, 'permission-denied');
  assert.ok(body.error.message.includes(file), body.error.message);
  assert.ok(readFileSync(file).equals(before));
  const err = await rejection(host.app.dispatch('createAgent', { definition: { name: 'c', command: 'node' } }));
  assert.equal(err.code, 'permission-denied');
  assert.equal(host.app.store.has('b'), false, 'a change that was not saved does not take effect');
});
