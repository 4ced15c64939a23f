// `agent-tray open NAME --url` through the real binary against a real `agent-tray serve`: the URL a
// running server printed (any-address shown as 127.0.0.1) goes to the browser, or is printed with
// --print; a definition's url; an agent with no URL and --url without NAME are refused with the fix.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { readLiveLock } from '../../electron/server/host-lock.js';
import { readToken } from '../../electron/server/api-token.js';
import type { AgentStatus } from '../../shared/status.js';
import { startCli } from '../helpers/cli-process.js';
import { cliWithEnv } from '../helpers/cli-env.js';
import { testDataDirs } from '../helpers/data-dirs.js';
import { agentPidsOf, fixture, track } from '../helpers/processes.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait.js';

const dirs = testDataDirs({ endAgentsOfDirs: true });
afterEach(() => dirs.afterEach());

const node = process.execPath;

/** `agent-tray COMMAND --data-dir DIR ARGS` with `env`. */
function cli(dir: string, [command, ...args]: string[], env: NodeJS.ProcessEnv = {}) {
  return cliWithEnv([command!, '--data-dir', dir, ...args], env);
}

/** The agent's status from the host's API. */
async function apiStatus(dir: string, name: string): Promise<AgentStatus> {
  const lock = await readLiveLock(dir);
  const res = await fetch(new URL(`/api/agents/${name}`, lock!.url!), { headers: { authorization: `Bearer ${await readToken(dir)}` } });
  return (await res.json()) as AgentStatus;
}

test('open NAME --url: what the agent serves, printed or opened in the browser; refused with the fix where it has none', { timeout: 60_000 }, async () => {
  const dir = await dirs.dataDir([
    { name: 'web', command: node, args: [fixture('prints-url.mjs')], env: { PORT: '0' } },
    { name: 'docs', command: node, args: [fixture('well-behaved.mjs')], url: 'https://docs.test/start' },
    { name: 'batch', command: node, args: [fixture('well-behaved.mjs')] },
  ]);
  const host = startCli(['serve', '--data-dir', dir, '--port', '0']);
  await host.waitForLine(/Agent Tray listening on/, 20_000);

  const started = await cli(dir, ['start', 'web']);
  assert.equal(started.code, 0, started.all);
  track(...agentPidsOf(dir));
  await waitFor(async () => (await apiStatus(dir, 'web')).urlSource === 'output', 10_000, 'the printed URL in the status');
  const { url } = await apiStatus(dir, 'web');
  assert.match(url ?? '', /^http:\/\/127\.0\.0\.1:\d+\/$/);

  const printed = await cli(dir, ['open', 'web', '--url', '--print']);
  assert.equal(printed.code, 0, printed.all);
  assert.equal(printed.stdout, `${url}\n`);
  assert.equal(await (await fetch(printed.stdout.trim())).text(), 'hello from prints-url');

  const { dir: bin, cleanup } = await tempDir();
  dirs.cleanups.push(cleanup);
  writeFileSync(path.join(bin, 'my-browser'), `#!/bin/sh\necho "$@" > "${bin}/opened.url"\n`);
  chmodSync(path.join(bin, 'my-browser'), 0o755);
  const opened = await cli(dir, ['open', 'web', '--url'], { BROWSER: path.join(bin, 'my-browser') });
  assert.equal(opened.code, 0, opened.all);
  assert.equal(opened.stdout, `Opened web (${url}) in the browser\n`);
  await waitFor(() => existsSync(`${bin}/opened.url`) && readFileSync(`${bin}/opened.url`, 'utf8').length > 0, 5_000, 'the browser to be called');
  assert.equal(readFileSync(`${bin}/opened.url`, 'utf8').trim(), url);

  const docs = await cli(dir, ['open', 'docs', '--url', '--print']);
  assert.equal(docs.stdout, 'https://docs.test/start\n', docs.all);

  const none = await cli(dir, ['open', 'batch', '--url', '--print']);
  assert.equal(none.code, 1, none.all);
  assert.match(none.stderr, /batch has no URL: .*Add "url" \(or "port"\) to its definition/);
  const noName = await cli(dir, ['open', '--url']);
  assert.equal(noName.code, 2, noName.all);
  assert.match(noName.stderr, /--url opens what an agent serves: name the agent/);
});
