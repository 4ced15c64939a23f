// Data files are private on POSIX: after a real `agent-tray serve` has started, saved an agent and
// recorded a run, under the common umask 022, the data directory and its logs/ and run/ folders
// are 0700 and every file in them is 0600.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdir, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { TestHost } from '../helpers/http-host.js';
import { fixture, killTracked } from '../helpers/processes.js';
import { hostApi, startServe } from '../helpers/serve-process.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0)) await c();
});

const modeOf = async (p: string): Promise<string> => `0${((await stat(p)).mode & 0o777).toString(8)}`;

/** A host started under umask 022 on a data directory it creates; one agent saved through the API, started, stopped and started again. */
async function usedHost(): Promise<{ dir: string; api: TestHost['api'] }> {
  const { dir: parent, cleanup } = await tempDir('agent-tray-privacy-');
  cleanups.push(cleanup);
  const dir = path.join(parent, 'Agent Tray');
  const before = process.umask(0o022);
  let serve;
  try {
    serve = startServe(dir, 'ignore', 'ignore');
  } finally {
    process.umask(before);
  }
  const { api } = await hostApi(dir, serve);
  const added = await api('POST', '/api/agents', { name: 'web', command: process.execPath, args: [fixture('well-behaved.mjs')] });
  assert.equal(added.status, 200, JSON.stringify(added.body));
  assert.equal((await api('POST', '/api/agents/web/start')).body.state, 'running');
  assert.equal((await api('POST', '/api/agents/web/stop')).body.state, 'stopped');
  await waitFor(async () => (await api('GET', '/api/history')).body.runs.length === 1, 5_000, 'the run in the history');
  assert.equal((await api('POST', '/api/agents/web/start')).body.state, 'running');
  return { dir, api };
}

const posix = process.platform === 'win32' ? 'POSIX modes (Windows keeps the profile\'s ACL)' : false;

test('the host\'s own folders and files: data directory, logs/, run/ 0700; api-token, host.lock, history.jsonl 0600', { skip: posix }, async () => {
  const { dir } = await usedHost();
  const modes: Record<string, string> = {};
  for (const p of ['.', 'logs', 'run', 'api-token', 'host.lock', 'history.jsonl']) modes[p] = await modeOf(path.join(dir, p));
  assert.deepEqual(modes, { '.': '0700', logs: '0700', run: '0700', 'api-token': '0600', 'host.lock': '0600', 'history.jsonl': '0600' });
});

test('every file in the data directory is 0600: agents.json (API keys), settings.json, the logs and the PID files too', { skip: posix }, async () => {
  const { dir } = await usedHost();
  const loose: string[] = [];
  const seen: string[] = [];
  for (const sub of ['.', 'logs', 'run']) {
    for (const entry of await readdir(path.join(dir, sub), { withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const rel = path.join(sub, entry.name);
      seen.push(rel);
      const mode = await modeOf(path.join(dir, rel));
      if (mode !== '0600') loose.push(`${rel} ${mode}`);
    }
  }
  for (const expected of ['agents.json', 'logs/web.out.log', 'logs/web.err.log', 'run/web.pid']) assert.ok(seen.includes(expected), `${expected} exists (found: ${seen.join(', ')})`);
  assert.deepEqual(loose, []);
});

test('an existing data directory open to others is left as it is, with a note on stderr; its logs/ and run/ are made 0700', { skip: posix }, async () => {
  const { dir: parent, cleanup } = await tempDir('agent-tray-privacy-');
  cleanups.push(cleanup);
  const dir = path.join(parent, 'shared-data');
  await mkdir(path.join(dir, 'logs'), { recursive: true });
  await mkdir(path.join(dir, 'run'));
  for (const p of ['.', 'logs', 'run']) await chmod(path.join(dir, p), 0o755);
  const serve = startServe(dir, 'ignore', 'pipe');
  let stderr = '';
  serve.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  await hostApi(dir, serve);
  await waitFor(() => /note: the data directory/.test(stderr), 5_000, 'the note on stderr');
  assert.match(stderr, new RegExp(`the data directory ${dir} is open to other users \\(mode 0755\\).*chmod 700 '${dir}'`));
  assert.deepEqual([await modeOf(dir), await modeOf(path.join(dir, 'logs')), await modeOf(path.join(dir, 'run'))], ['0755', '0700', '0700']);
});
