// `agent-tray run` is a manager of the data directory like `serve`: with a real `serve` child
// holding the directory, `run` refuses (exit 1) naming the host's pid and URL and starts nothing;
// while `run` holds it, `serve` refuses and the client commands say who holds it.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { dataPaths, pidFile } from '../../electron/core/paths.js';
import { lockFile } from '../../electron/server/host-lock.js';
import { cliRun, startCli } from '../helpers/cli-process.js';
import { fixture, killTracked, track } from '../helpers/processes.js';
import { tempDir } from '../helpers/temp-dir.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0)) await c();
});

async function dataDir(): Promise<string> {
  const { dir, cleanup } = await tempDir();
  cleanups.push(cleanup);
  writeFileSync(path.join(dir, 'agents.json'), JSON.stringify({ agents: [{ name: 'good', command: process.execPath, args: [fixture('well-behaved.mjs')] }] }));
  return dir;
}

test('run refuses while `agent-tray serve` supervises the data directory, naming its pid and URL, and starts nothing', async () => {
  const dir = await dataDir();
  const host = startCli(['serve', '--data-dir', dir, '--port', '0']);
  const url = (await host.waitForLine(/Agent Tray listening on (http:\/\/127\.0\.0\.1:\d+)\//, 20_000))[1]!;

  const run = await cliRun('run', '--data-dir', dir);
  assert.equal(run.code, 1, run.all);
  assert.match(run.stderr, new RegExp(`is supervised by \`agent-tray serve\` \\(pid ${host.pid}\\) at ${url.replace(/\./g, '\\.')}; running its agents here as well would start second copies`));
  assert.deepEqual(run.stdout, [], 'no agent output: nothing was started');
  assert.equal(existsSync(pidFile(dataPaths(dir), 'good')), false, 'no PID file written');
  assert.equal((await cliRun('status', '--data-dir', dir)).stdout.some((l) => /^good\s+stopped/.test(l)), true, 'the host still sees good stopped');
});

test('while run holds the data directory, serve refuses naming it, the CLI says who holds it, and Ctrl-C gives the lock back', async () => {
  const dir = await dataDir();
  const run = startCli(['run', '--data-dir', dir]);
  const started = await run.waitForLine(/\[good\] ● running: started as pid (\d+)/, 20_000);
  track(Number(started[1]));

  const serve = await cliRun('serve', '--data-dir', dir, '--port', '0');
  assert.equal(serve.code, 1, serve.all);
  assert.match(serve.stderr, new RegExp(`Another manager already supervises .*: \`agent-tray run\` \\(in a terminal\\), pid ${run.pid}`));
  const status = await cliRun('status', '--data-dir', dir);
  assert.equal(status.code, 1, status.all);
  assert.match(status.stderr, new RegExp(`\`agent-tray run\` \\(pid ${run.pid}\\) supervises .* and serves no API`));

  process.kill(run.pid, 'SIGINT');
  assert.equal(await run.exit, 0);
  assert.equal(existsSync(lockFile(dir)), false, 'the lock is given back before run exits');
});
