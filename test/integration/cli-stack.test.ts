// The CLI's stack commands against a real `agent-tray serve` with real agents, run as child
// processes the way a person runs them: `graph`, `start|stop --group`, `stop NAME
// --with-dependents` (dependents first), the note after a plain stop, and `status` saying what a
// waiting agent waits for.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { AgentStatus } from '../../shared/status.js';
import { readToken } from '../../electron/server/api-token.js';
import { readLiveLock } from '../../electron/server/host-lock.js';
import { cliRun, startCli } from '../helpers/cli-process.js';
import { freePort } from '../helpers/ports.js';
import { fixture, track, agentPidsOf } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait.js';
import { testDataDirs } from '../helpers/data-dirs.js';

const dirs = testDataDirs({ endAgentsOfDirs: true });
const { dataDir } = dirs;
afterEach(() => dirs.afterEach());

/** Starts `agent-tray serve` on a free port for `dir`; resolves once it listens. */
async function serve(dir: string): Promise<void> {
  const host = startCli(['serve', '--data-dir', dir, '--port', '0']);
  await host.waitForLine(/Agent Tray listening on (http:\/\/\S+)/, 20_000);
}

/** An agent's status straight from the API (for waiting; the CLI is what the tests assert on). */
async function apiStatus(dir: string, name: string): Promise<AgentStatus> {
  const lock = await readLiveLock(dir);
  const token = await readToken(dir);
  const res = await fetch(new URL(`/api/agents/${name}`, lock!.url!), { headers: { authorization: `Bearer ${token}` } });
  return (await res.json()) as AgentStatus;
}

const server = (name: string, extra: Record<string, unknown> = {}) => ({ name, command: process.execPath, args: [fixture('ready-server.mjs')], env: { READY_MS: '0' }, ...extra });

/** base ← mid ← top; mid and top in group "web". */
const CHAIN = [server('base'), server('mid', { dependsOn: { base: 'started' }, groups: ['web'] }), server('top', { dependsOn: { mid: 'started' }, groups: ['web'] })];

/** Runs the CLI against `dir` and expects exit code 0. */
async function ok(dir: string, ...args: string[]): Promise<string[]> {
  const r = await cliRun(...args, '--data-dir', dir);
  track(...agentPidsOf(dir));
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.all}`);
  return r.stdout;
}

test('graph, start --group, stop NAME (with its note), stop NAME --with-dependents and stop --group', async () => {
  const dir = await dataDir(CHAIN);
  await serve(dir);

  assert.deepEqual(await ok(dir, 'graph'), ['top: stopped', '└─ mid (started, not met yet): stopped', '   └─ base (started, not met yet): stopped']);
  assert.match((await ok(dir, 'start', 'base'))[0] ?? '', /^base: running \(pid \d+\)$/);
  const group = await ok(dir, 'start', '--group', 'web');
  assert.equal(group.length, 2, group.join('\n'));
  assert.match(group[0] ?? '', /^mid: running \(pid \d+\)$/);
  assert.match(group[1] ?? '', /^top: running \(pid \d+\)$/);
  assert.deepEqual(await ok(dir, 'graph'), ['top: running', '└─ mid (started, met): running', '   └─ base (started, met): running']);
  const json = JSON.parse((await ok(dir, 'graph', '--json')).join('\n')) as { edges: unknown[] };
  assert.equal(json.edges.length, 2);

  const plain = await ok(dir, 'stop', 'mid');
  assert.match(plain[0] ?? '', /^mid: stopped in \d+ ms/);
  assert.equal(plain[1], 'note: top depends on mid and is still running; stop it too with: agent-tray stop mid --with-dependents');

  await ok(dir, 'start', 'mid');
  const withDependents = await ok(dir, 'stop', 'base', '--with-dependents');
  assert.deepEqual(
    withDependents.map((l) => /^(\w+): stopped in \d+ ms/.exec(l)?.[1] ?? l),
    ['top', 'mid', 'base'],
    'dependents first, each one line',
  );

  await ok(dir, 'start', 'base');
  await ok(dir, 'start', '--group', 'web');
  assert.deepEqual(await ok(dir, 'stop', '--group', 'web'), ['mid: stopped', 'top: stopped']);
  assert.equal((await apiStatus(dir, 'base')).state, 'running', 'the group stop left base alone');

  const unknown = await cliRun('start', '--group', 'nope', '--data-dir', dir);
  assert.equal(unknown.code, 1, unknown.all);
  assert.match(unknown.stderr, /^agent-tray: No group named "nope" \(groups: web\)/);
});

test('status says what a waiting agent waits for', async () => {
  const port = await freePort(); // the model listens only after an hour: it never turns healthy here
  const model = {
    name: 'model',
    command: process.execPath,
    args: [fixture('http-server.mjs')],
    env: { PORT: String(port), LISTEN_DELAY_MS: '3600000' },
    health: { http: { url: `http://127.0.0.1:${port}/health` }, intervalMs: 200, startPeriodMs: 3_600_000 },
  };
  const dir = await dataDir([model, server('app', { dependsOn: { model: 'healthy' } })]);
  await serve(dir);
  const start = startCli(['start', 'app', '--data-dir', dir]); // answers once app runs: not in this test
  await waitFor(async () => (await apiStatus(dir, 'app')).state === 'waiting', 10_000, 'app waiting for the model');
  track(...agentPidsOf(dir));
  const table = await ok(dir, 'status');
  assert.match(table.find((l) => l.startsWith('app ')) ?? '', /^app +waiting for model \(healthy\) +- +- +-$/);
  await ok(dir, 'stop', 'app'); // cancels the wait
  assert.notEqual(await start.exit, null);
});
