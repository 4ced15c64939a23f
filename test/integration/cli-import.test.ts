// `agent-tray import` as a person runs it, against a real `agent-tray serve`: the table of agents
// with what was not carried over, a dry run that saves nothing, names already taken skipped (exit 1
// when nothing could be imported), --prefix, a PM2 .js file only with --allow-code, Docker Compose
// refused naming the supported formats.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ImportResult } from '../../shared/import.js';
import { binaryRun } from '../helpers/cli-env.js';
import { startCli } from '../helpers/cli-process.js';
import { testDataDirs } from '../helpers/data-dirs.js';

const dirs = testDataDirs({ endAgentsOfDirs: true });
afterEach(() => dirs.afterEach());

const RUN = path.resolve(new URL('../fixtures/import/run', import.meta.url).pathname);
const FIXTURES = path.resolve(new URL('../fixtures/import', import.meta.url).pathname);

/** A data directory with no agents and `agent-tray serve` running on it. */
async function servedDir(): Promise<string> {
  const dir = await dirs.dataDir([]);
  const host = startCli(['serve', '--data-dir', dir, '--port', '0']);
  await host.waitForLine(/Agent Tray listening on (http:\/\/\S+)/, 20_000);
  return dir;
}

/** The agent names in the directory's agents.json. */
function saved(dir: string): string[] {
  return (JSON.parse(readFileSync(path.join(dir, 'agents.json'), 'utf8')) as { agents: { name: string }[] }).agents.map((a) => a.name);
}

test('import a Procfile: a dry run prints the table and saves nothing; the import creates the agents; a second one skips them all (exit 1); --prefix adds them beside', async () => {
  const dir = await servedDir();
  const dry = await binaryRun('import', path.join(RUN, 'Procfile'), '--dry-run', '--data-dir', dir);
  assert.equal(dry.code, 0, dry.all);
  assert.equal(dry.stdout[0], 'procfile file: 3 agents');
  assert.match(dry.stdout[1] ?? '', /^NAME +STATUS +COMMAND +NOT CARRIED OVER$/);
  assert.match(dry.stdout[2] ?? '', /^ticker +create +node \.\.\/\.\.\/agents\/well-behaved\.mjs +-$/);
  assert.match(dry.stdout[3] ?? '', /^greeter +create +node -e "console\.log\(\\"greeting:\\", process\.env\.GREETING\); setInterval\(\(\) => \{\}, 1000\)" +-$/);
  assert.match(dry.stdout[4] ?? '', /^shell +create +sh -c "echo \\"port is \$PORT\\" && exec node \.\.\/\.\.\/agents\/well-behaved\.mjs" +-$/);
  assert.ok(dry.stdout.includes(`  - Each agent reads ${path.join(RUN, '.env')} at every start (envFile), as foreman reads .env`), dry.all);
  assert.equal(dry.stdout.at(-1), 'Dry run, nothing saved: 3 agents would be created');
  assert.deepEqual(saved(dir), []);

  const run = await binaryRun('import', path.join(RUN, 'Procfile'), '--data-dir', dir);
  assert.equal(run.code, 0, run.all);
  assert.equal(run.stdout.at(-1), 'Created 3 agents: ticker, greeter, shell. Start one with: agent-tray start NAME');
  assert.deepEqual(saved(dir), ['ticker', 'greeter', 'shell']);

  const again = await binaryRun('import', path.join(RUN, 'Procfile'), '--data-dir', dir);
  assert.equal(again.code, 1, again.all);
  assert.ok(again.stdout.includes('Skipped:'), again.all);
  assert.ok(again.stdout.includes('  ticker: an agent named "ticker" already exists and was left as it is; import with a prefix to add this one beside it'), again.all);
  assert.equal(again.stdout.at(-1), 'Nothing was imported');

  const prefixed = await binaryRun('import', path.join(RUN, 'Procfile'), '--prefix', 'copy', '--json', '--data-dir', dir);
  assert.equal(prefixed.code, 0, prefixed.all);
  assert.deepEqual((JSON.parse(prefixed.stdout.join('\n')) as ImportResult).created, ['copy-ticker', 'copy-greeter', 'copy-shell']);
  assert.deepEqual(saved(dir), ['ticker', 'greeter', 'shell', 'copy-ticker', 'copy-greeter', 'copy-shell']);
});

test('import a PM2 ecosystem.config.js: refused without --allow-code (no terminal to ask in), read with it; what was not carried over is listed with why', async () => {
  const dir = await servedDir();
  const refused = await binaryRun('import', path.join(FIXTURES, 'ecosystem.config.js'), '--data-dir', dir);
  assert.equal(refused.code, 1, refused.all);
  assert.match(refused.stderr, /ecosystem\.config\.js is JavaScript, and reading it means running it; nothing was imported\. If you trust it, run again with --allow-code/);
  assert.deepEqual(saved(dir), []);

  const run = await binaryRun('import', path.join(FIXTURES, 'ecosystem.config.js'), '--allow-code', '--data-dir', dir);
  assert.equal(run.code, 0, run.all);
  assert.match(run.stdout.find((l) => l.startsWith('api-0 ')) ?? '', /^api-0 +create +node \.\/dist\/server\.js +watch, exec_mode, instances$/);
  assert.ok(run.stdout.includes('  queue-ui: cron_restart: Agent Tray does not restart agents on a schedule'), run.all);
  assert.ok(run.stdout.includes('  queue-ui: name: "queue ui" has characters other than letters, digits, "-", "_" and "."; the name becomes a file name, so use only those; it became "queue-ui"'), run.all);
  assert.deepEqual(saved(dir), ['api-0', 'api-1', 'api-2', 'embedder', 'queue-ui']);
});

test('import errors: a Docker Compose file names the formats that can be imported; a missing file and no FILE are said', async () => {
  const dir = await servedDir();
  const docker = await binaryRun('import', path.join(FIXTURES, 'docker-compose.yml'), '--data-dir', dir);
  assert.equal(docker.code, 1, docker.all);
  assert.match(docker.stderr, /^agent-tray: "docker-compose\.yml" is a Docker Compose file: its services are containers .*\. Agent Tray imports a Procfile \(foreman, honcho, overmind\), a process-compose\.yaml, or a PM2 ecosystem file/);

  const missing = await binaryRun('import', path.join(RUN, 'nope.yaml'), '--data-dir', dir);
  assert.equal(missing.code, 1, missing.all);
  assert.match(missing.stderr, /Cannot read .*nope\.yaml: there is no such file/);

  const usage = await binaryRun('import', '--data-dir', dir);
  assert.equal(usage.code, 2, usage.all);
  assert.match(usage.stderr, /missing the FILE to import/);
});
