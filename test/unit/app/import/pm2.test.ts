// PM2 ecosystem files: .json and .yaml read as data, .config.js run (only with consent) in a child
// Node process that sees nothing but the file; script/interpreter/args, cwd, env (env_* sets named),
// restart settings, kill_timeout and kill_signal, max_memory_restart as a memory limit, instances as
// one agent each, and every setting left out named with its reason.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { parse } from 'yaml';
import { AgentTrayError } from '../../../../electron/core/errors.js';
import { parseImportFile } from '../../../../electron/app/import/parse.js';
import { memoryMB } from '../../../../electron/app/import/pm2-settings.js';
import { parsePm2 } from '../../../../electron/app/import/pm2.js';
import type { ParsedAgent } from '../../../../electron/app/import/types.js';
import { context, FIXTURES, fixtureText } from './helpers.js';

const find = (agents: ParsedAgent[], name: string) => agents.find((a) => a.source === name)!;
const hasPermissionModel = process.allowedNodeEnvironmentFlags.has('--permission') || process.allowedNodeEnvironmentFlags.has('--experimental-permission');

/** Reads a .js ecosystem file's text with consent. */
function runCode(content: string, fileName = 'ecosystem.config.js', timeoutMs?: number) {
  return parseImportFile(content, { ...context(fileName), allowCode: true, ...(timeoutMs ? { evaluate: { timeoutMs } } : {}) });
}

test('ecosystem.config.js is refused without consent, naming the way to give it', async () => {
  await assert.rejects(parseImportFile(fixtureText('ecosystem.config.js'), { ...context('ecosystem.config.js'), allowCode: false }), (err: unknown) => {
    assert.ok(err instanceof AgentTrayError);
    assert.equal(err.code, 'conflict');
    assert.equal(err.message.split('. ')[0], '"ecosystem.config.js" is JavaScript: its apps can only be read by running it');
    assert.match(err.hint ?? '', /allowCode: true in the request, --allow-code on the command line, or the checkbox in the window/);
    assert.deepEqual(err.details, { fileName: 'ecosystem.config.js', needs: 'allowCode' });
    return true;
  });
});

test('the fixture ecosystem.config.js, run with consent: instances, memory limit, backoff, __dirname paths back in the real folder, missing env values named', async () => {
  const parsed = await runCode(fixtureText('ecosystem.config.js'));
  assert.equal(parsed.format, 'pm2');
  assert.deepEqual(parsed.agents.map((a) => a.source), ['api-0', 'api-1', 'api-2', 'embedder', 'queue ui']);
  const api = find(parsed.agents, 'api-2');
  assert.deepEqual(api.definition, {
    name: 'api-2',
    command: 'node',
    args: ['./dist/server.js'],
    env: { NODE_ENV: 'development', PORT: '3000', NODE_APP_INSTANCE: '2' },
    cwd: FIXTURES,
    autostart: true,
    restart: { policy: 'always', backoff: { initialMs: 100, factor: 1.5, maxMs: 15_000 } },
    stop: { signal: 'SIGINT', timeoutMs: 5000 },
    limits: { maxMemoryMB: 300, action: 'restart' },
    groups: ['api'],
  });
  assert.equal(api.replicaOf, 'api');
  assert.deepEqual(api.notCarried.map((n) => n.field), ['watch', 'exec_mode', 'instances']);
  assert.match(api.notCarried[1]!.reason, /cluster mode shares one port among instances/);

  const embedder = find(parsed.agents, 'embedder').definition;
  assert.deepEqual([embedder.command, embedder.args], ['python3', ['-u', 'embed.py', '--model', 'all-MiniLM-L6-v2', '--batch', '32']]);
  assert.equal(embedder.cwd, path.join(FIXTURES, 'workers'));
  assert.deepEqual(embedder.env, { BATCH: '32' });
  assert.deepEqual(embedder.restart, { policy: 'no' });

  const queue = find(parsed.agents, 'queue ui');
  assert.deepEqual(queue.definition.limits, { maxMemoryMB: 1024, action: 'restart' });
  assert.deepEqual(queue.definition.restart, { policy: 'always', maxRestarts: 10, backoff: { initialMs: 2000, factor: 1, maxMs: 2000 } });
  assert.deepEqual(queue.notCarried.map((n) => n.field), ['log_file', 'cron_restart', 'instances']);
  assert.match(queue.notCarried[2]!.reason, /"max" depends on the computer it runs on/);

  assert.deepEqual(parsed.notes, [
    'ecosystem.config.js was read by running it in a separate Node process that could read only the file',
    "These values were read from the environment, which is empty while the file runs, so they are missing: apps[1].env.HF_TOKEN. Set them in the agents' env",
    'deploy was not carried over: Agent Tray runs agents on this computer; see "Moving beyond one machine" in the docs for servers',
    'api: env_production was not applied (PM2 uses it with --env production); the agent has the variables of env. Copy what you need into its env',
  ]);
});

test('an ES module ecosystem file (export default) is read too', async () => {
  const parsed = await runCode("export default { apps: [{ name: 'esm', script: 'worker.mjs' }] };\n", 'ecosystem.config.mjs');
  assert.deepEqual(parsed.agents.map((a) => [a.source, a.definition.command, a.definition.args]), [['esm', 'node', ['worker.mjs']]]);
});

test('the child sees nothing but the file: packages, other files, processes and endless loops fail with the reason', { skip: hasPermissionModel ? false : 'this Node has no permission model' }, async () => {
  const refused = async (content: string, pattern: RegExp, timeoutMs?: number) =>
    assert.rejects(runCode(content, 'ecosystem.config.js', timeoutMs), (err: unknown) => {
      assert.ok(err instanceof AgentTrayError);
      assert.equal(err.code, 'bad-request');
      assert.match(err.message, pattern);
      assert.match(err.hint ?? '', /It runs with nothing but itself/);
      return true;
    });
  await refused("require('dotenv').config();\nmodule.exports = { apps: [] };\n", /could not be read by running it: .*Cannot find module 'dotenv'/);
  await refused("require('node:fs').readFileSync('/etc/hostname');\nmodule.exports = { apps: [] };\n", /could not be read by running it: .*(restricted|ERR_ACCESS_DENIED|Access)/i);
  await refused("require('node:child_process').execSync('true');\nmodule.exports = { apps: [] };\n", /could not be read by running it: .*(restricted|ERR_ACCESS_DENIED|Access)/i);
  await refused('for (;;) {}\n', /did not finish within 0\.5 s/, 500);
});

test('ecosystem.json: node_args before the script, args as a list, relative cwd, min_uptime, stop_exit_codes, namespace, autostart false, instances', () => {
  const parsed = parsePm2(JSON.parse(fixtureText('ecosystem.json')), context('ecosystem.json'));
  const scraper = find(parsed.agents, 'scraper').definition;
  assert.deepEqual([scraper.command, scraper.args], ['node', ['--max-old-space-size=512', 'scrape.js', '--interval', '60']]);
  assert.equal(scraper.cwd, path.join(FIXTURES, 'services/scraper'));
  assert.deepEqual(scraper.env, { SCRAPE_URL: 'https://example.com/feed', VERBOSE: 'true' });
  assert.deepEqual(scraper.restart, { policy: 'on-failure', maxRestarts: 3, stableMs: 5000 });
  assert.deepEqual(scraper.limits, { maxMemoryMB: 512, action: 'restart' });
  const indexer = parsed.agents.filter((a) => a.replicaOf === 'indexer');
  assert.deepEqual(indexer.map((a) => [a.source, a.definition.command, a.definition.args, a.definition.autostart, a.definition.groups]), [
    ['indexer-0', 'bin/indexer', ['--watch', '--threads', '4'], false, ['search', 'indexer']],
    ['indexer-1', 'bin/indexer', ['--watch', '--threads', '4'], false, ['search', 'indexer']],
  ]);
  assert.deepEqual(indexer[0]!.notCarried.map((n) => n.field), ['wait_ready', 'listen_timeout', 'instances']);
});

test('ecosystem.yaml: interpreter by extension, a name from the script, sizes in M and G', () => {
  const parsed = parsePm2(parse(fixtureText('ecosystem.yaml')), context('ecosystem.yaml'));
  const [bot, summarize] = parsed.agents;
  assert.deepEqual([bot!.source, bot!.definition.command, bot!.definition.args, bot!.definition.cwd], ['bot', 'bash', ['bot.sh'], '/srv/bot']);
  assert.deepEqual(bot!.definition.limits, { maxMemoryMB: 256, action: 'restart' });
  assert.deepEqual(bot!.definition.restart, { policy: 'always', backoff: { initialMs: 1500, factor: 1, maxMs: 1500 } });
  assert.deepEqual([summarize!.source, summarize!.definition.command, summarize!.definition.args], ['summarize', 'python3', ['./tools/summarize.py', '--daily']]);
  assert.deepEqual(summarize!.definition.limits, { maxMemoryMB: 2048, action: 'restart' });
  assert.deepEqual(summarize!.notCarried.map((n) => n.field), ['error_file']);
});

test('max_memory_restart sizes: K, M, G, bytes; anything else is named', () => {
  assert.equal(memoryMB('300M'), 300);
  assert.equal(memoryMB('1G'), 1024);
  assert.equal(memoryMB('512K'), 0.5);
  assert.equal(memoryMB('1.5gb'), 1536);
  assert.equal(memoryMB(104_857_600), 100);
  assert.equal(memoryMB('lots'), null);
  const parsed = parsePm2({ apps: [{ name: 'x', script: 'x', interpreter: 'none', max_memory_restart: 'lots', kill_signal: 'SIGKILL' }] }, context('e.json'));
  assert.deepEqual(parsed.agents[0]!.notCarried.map((n) => n.field), ['kill_signal', 'max_memory_restart']);
  assert.equal(parsed.agents[0]!.definition.limits, undefined);
  assert.deepEqual(parsed.agents[0]!.definition.stop, { signal: 'SIGINT' });
});
