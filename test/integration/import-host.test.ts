// POST /api/import into a real host: a Procfile (with the .env beside it), a process-compose.yaml
// (dependencies with conditions, a probe, a ready line, an env_file list) and PM2 ecosystem files
// (.config.js run with consent, .json, .yaml) from test/fixtures/import/run/ become agents, saved in
// one write and announced; every imported agent is then started and stopped as real processes.
// Dry runs save nothing, taken names are skipped and never overwritten, Docker Compose is refused.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { HostEvent } from '../../shared/events.js';
import type { ImportResult } from '../../shared/import.js';
import type { Cleanups } from '../helpers/engine.js';
import { startHost, type TestHost } from '../helpers/http-host.js';
import { alive, killTracked } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait.js';

const cleanups: Cleanups = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0).reverse()) await c();
});

const RUN_DIR = path.resolve(new URL('../fixtures/import/run', import.meta.url).pathname);
const FIXTURES = path.resolve(new URL('../fixtures/import', import.meta.url).pathname);

/** The request body for a fixture of run/ (or of `dir`). */
function body(file: string, extra: Record<string, unknown> = {}, dir = RUN_DIR): Record<string, unknown> {
  return { fileName: file, content: readFileSync(path.join(dir, file), 'utf8'), dir, ...extra };
}

/** The names in agents.json now. */
async function savedNames(host: TestHost): Promise<string[]> {
  try {
    return (JSON.parse(await readFile(path.join(host.dataDir, 'agents.json'), 'utf8')) as { agents: { name: string }[] }).agents.map((a) => a.name);
  } catch {
    return [];
  }
}

/** Starts each agent (in order) and checks it runs, or ran to exit 0; answers the pids of those that run. */
async function startEach(host: TestHost, names: string[]): Promise<number[]> {
  const pids: number[] = [];
  for (const name of names) {
    const started = await host.api('POST', `/api/agents/${name}/start`);
    assert.equal(started.status, 200, `${name}: ${JSON.stringify(started.body)}`);
    const { state, exitCode, pid } = started.body as { state: string; exitCode: number | null; pid: number | null };
    assert.ok(state === 'running' || (state === 'stopped' && exitCode === 0), `${name} is ${state} (exit ${exitCode}): ${JSON.stringify(started.body.lastError)}`);
    if (state === 'running' && pid) pids.push(pid);
  }
  return pids;
}

/** Stops each agent (last first) and checks that the processes `pids` are gone. */
async function stopEach(host: TestHost, names: string[], pids: number[]): Promise<void> {
  for (const name of [...names].reverse()) {
    const stopped = await host.api('POST', `/api/agents/${name}/stop`);
    assert.equal(stopped.status, 200, `${name}: ${JSON.stringify(stopped.body)}`);
    assert.equal(stopped.body.state, 'stopped', name);
  }
  await waitFor(() => pids.every((p) => !alive(p)), 10_000, 'every started agent process to be gone');
}

/** Starts and stops each agent (see startEach, stopEach). */
async function startAndStopEach(host: TestHost, names: string[]): Promise<void> {
  await stopEach(host, names, await startEach(host, names));
}

/** Resolves when agent `name` prints the line `text` (subscribe before it starts). */
function printed(host: TestHost, name: string, text: string, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`${name} did not print "${text}" within ${timeoutMs} ms`));
    }, timeoutMs);
    const off = host.app.subscribe((e) => {
      if (e.type !== 'log' || e.name !== name || !e.lines.some((l) => l.text === text)) return;
      clearTimeout(timer);
      off();
      resolve();
    });
  });
}

/** Collects the host's events. */
function events(host: TestHost): HostEvent[] {
  const seen: HostEvent[] = [];
  cleanups.push(host.app.subscribe((e) => seen.push(e)));
  return seen;
}

/** The lines an agent printed, from the API. */
async function logLines(host: TestHost, name: string): Promise<string[]> {
  const res = await host.api('GET', `/api/agents/${name}/logs?lines=200`);
  return (res.body as { lines: { text: string }[] }).lines.map((l) => l.text);
}

test('a Procfile with the .env beside it: a dry run saves nothing; the import creates every line as an agent, each starts and stops', async () => {
  const host = await startHost(cleanups);
  const seen = events(host);

  const dry = await host.api('POST', '/api/import', body('Procfile', { dryRun: true }));
  assert.equal(dry.status, 200, JSON.stringify(dry.body));
  const preview = dry.body as ImportResult;
  assert.equal(preview.format, 'procfile');
  assert.deepEqual(preview.agents.map((a) => [a.name, a.status]), [['ticker', 'create'], ['greeter', 'create'], ['shell', 'create']]);
  assert.deepEqual(preview.created, []);
  assert.deepEqual(await savedNames(host), [], 'a dry run writes nothing');
  assert.equal(seen.filter((e) => e.type === 'agent-added').length, 0);

  const res = await host.api('POST', '/api/import', body('Procfile'));
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const result = res.body as ImportResult;
  assert.deepEqual(result.created, ['ticker', 'greeter', 'shell']);
  assert.deepEqual(await savedNames(host), ['ticker', 'greeter', 'shell']);
  assert.deepEqual(seen.filter((e) => e.type === 'agent-added').map((e) => (e as { name: string }).name), ['ticker', 'greeter', 'shell']);
  const shell = result.agents.find((a) => a.name === 'shell')!;
  assert.deepEqual([shell.definition.command, shell.definition.args], ['sh', ['-c', 'echo "port is $PORT" && exec node ../../agents/well-behaved.mjs']]);
  assert.equal((shell.definition as { envFile?: unknown }).envFile, path.join(RUN_DIR, '.env'));

  // the .env is read at the start, and foreman's PORT is set (5000 + 100 per line)
  const lines = Promise.all([printed(host, 'greeter', 'greeting: hello from .env'), printed(host, 'shell', 'port is 5200')]);
  const pids = await startEach(host, result.created);
  await lines;
  await stopEach(host, result.created, pids);
});

test('a process-compose.yaml: dependencies with their conditions, probe, ready line and env_file carried over; each agent starts (after what it needs) and stops', async () => {
  const host = await startHost(cleanups);
  const res = await host.api('POST', '/api/import', body('process-compose.yaml'));
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const result = res.body as ImportResult;
  assert.equal(result.format, 'process-compose');
  assert.deepEqual(result.created, ['setup', 'server', 'client']);
  const def = (name: string) => result.agents.find((a) => a.name === name)!.definition as Record<string, unknown>;
  assert.deepEqual(def('server').dependsOn, { setup: 'completed' });
  assert.deepEqual(def('client').dependsOn, { server: 'ready', setup: 'completed' });
  assert.equal(def('server').readyLine, 'server ready');
  assert.deepEqual((def('server').health as { command: string[] }).command, ['node', '-e', 'process.exit(0)']);
  assert.deepEqual(def('client').envFile, path.join(RUN_DIR, '.env'));
  assert.deepEqual(def('setup').restart, { policy: 'no' });

  // the client waits for the server's ready line, so the line was printed once the client runs
  await startAndStopEach(host, result.created);
  assert.ok((await logLines(host, 'server')).some((l) => l.startsWith('server ready')));
});

test('PM2 ecosystem files: a .js file is refused until the person allows running it, then read with its instances; .json and .yaml too; each agent starts and stops', async () => {
  const host = await startHost(cleanups);
  const refused = await host.api('POST', '/api/import', body('ecosystem.config.js'));
  assert.equal(refused.status, 409, JSON.stringify(refused.body));
  assert.match(refused.body.error.message, /"ecosystem\.config\.js" is JavaScript: its apps can only be read by running it/);
  assert.match(refused.body.error.hint, /allowCode: true/);
  assert.equal(refused.body.error.details.needs, 'allowCode');
  assert.deepEqual(await savedNames(host), []);

  const created: string[] = [];
  for (const [file, extra] of [['ecosystem.config.js', { allowCode: true }], ['ecosystem.json', {}], ['ecosystem.yaml', {}]] as const) {
    const res = await host.api('POST', '/api/import', body(file, extra));
    assert.equal(res.status, 200, `${file}: ${JSON.stringify(res.body)}`);
    assert.equal((res.body as ImportResult).format, 'pm2');
    created.push(...(res.body as ImportResult).created);
  }
  assert.deepEqual(created, ['pm2-ticker-0', 'pm2-ticker-1', 'pm2-json', 'pm2-yaml']);
  const ticker = (await host.api('GET', '/api/agents/pm2-ticker-1/definition')).body as Record<string, unknown>;
  // __dirname pointed at a temporary copy while the file ran; the script is back in the real folder
  assert.deepEqual(ticker.args, [path.join(FIXTURES, '..', 'agents', 'well-behaved.mjs')]);
  assert.deepEqual(ticker.limits, { maxMemoryMB: 200, action: 'restart' });
  assert.deepEqual(ticker.env, { ROLE: 'ticker', NODE_APP_INSTANCE: '1' });
  assert.deepEqual(ticker.groups, ['pm2-ticker']);

  await startAndStopEach(host, created);
});

test('names already taken are skipped and never overwritten; a prefix imports the same file beside them', async () => {
  const mine = { name: 'ticker', command: 'node', args: ['--version'], env: { MINE: 'yes' } };
  const host = await startHost(cleanups, { agents: [mine] });
  const res = await host.api('POST', '/api/import', body('Procfile'));
  assert.equal(res.status, 200);
  const result = res.body as ImportResult;
  const ticker = result.agents.find((a) => a.name === 'ticker')!;
  assert.equal(ticker.status, 'skip');
  assert.match(ticker.reason ?? '', /an agent named "ticker" already exists and was left as it is; import with a prefix/);
  assert.deepEqual(result.created, ['greeter', 'shell']);
  const saved = JSON.parse(await readFile(path.join(host.dataDir, 'agents.json'), 'utf8')) as { agents: unknown[] };
  assert.deepEqual(saved.agents[0], mine, 'the existing agent is as it was');
  // one write for the whole import: the backup is agents.json as it was before it
  const backup = JSON.parse(await readFile(path.join(host.dataDir, 'agents.json.bak'), 'utf8')) as { agents: unknown[] };
  assert.deepEqual(backup.agents, [mine]);

  const again = await host.api('POST', '/api/import', body('Procfile'));
  assert.deepEqual((again.body as ImportResult).created, [], 'a second import creates nothing');
  assert.ok((again.body as ImportResult).agents.every((a) => a.status === 'skip'));

  const prefixed = await host.api('POST', '/api/import', body('Procfile', { prefix: 'copy' }));
  assert.deepEqual((prefixed.body as ImportResult).created, ['copy-ticker', 'copy-greeter', 'copy-shell']);
  assert.deepEqual(await savedNames(host), ['ticker', 'greeter', 'shell', 'copy-ticker', 'copy-greeter', 'copy-shell']);
});

test('the sandbox applies to imported agents; a Docker Compose file and unknown files are refused naming the supported formats', async () => {
  const host = await startHost(cleanups);
  const yaml = 'processes:\n  ok:\n    command: node --version\n  etc:\n    command: node --version\n    working_dir: /etc\n';
  const res = await host.api('POST', '/api/import', { fileName: 'process-compose.yaml', content: yaml, dir: RUN_DIR });
  assert.equal(res.status, 200, JSON.stringify(res.body));
  const result = res.body as ImportResult;
  assert.deepEqual(result.created, ['ok']);
  assert.match(result.agents.find((a) => a.name === 'etc')!.reason ?? '', /cwd \/etc is inside \/etc, a restricted directory \(sandbox rule sandbox\.restrictedPaths\)/);

  const docker = await host.api('POST', '/api/import', body('docker-compose.yml', {}, FIXTURES));
  assert.equal(docker.status, 400);
  assert.match(docker.body.error.message, /"docker-compose\.yml" is a Docker Compose file: its services are containers/);
  assert.match(docker.body.error.hint, /Agent Tray imports a Procfile \(foreman, honcho, overmind\), a process-compose\.yaml, or a PM2 ecosystem file/);

  const unknown = await host.api('POST', '/api/import', { fileName: 'notes.txt', content: 'just some text\nwithout structure\n' });
  assert.equal(unknown.status, 400);
  assert.match(unknown.body.error.message, /Could not tell what kind of file "notes\.txt" is/);

  const relative = await host.api('POST', '/api/import', { fileName: 'Procfile', content: 'web: node x.js\n', dir: 'relative/folder' });
  assert.equal(relative.status, 400);
  assert.match(relative.body.error.message, /dir "relative\/folder" is not an absolute path/);
  assert.deepEqual(await savedNames(host), ['ok']);
});
