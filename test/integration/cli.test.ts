// The agent-tray command line as a person uses it: run in the foreground and Ctrl-C, check a
// broken agents.json, a crashing agent's exit code.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { tempDir } from '../helpers/temp-dir.js';
import { alive, fixture, killTracked, track } from '../helpers/processes.js';
import { startCli as runCli } from '../helpers/cli-process.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0)) await c();
});

async function dataDirWith(agentsJson: string): Promise<string> {
  const { dir, cleanup } = await tempDir();
  cleanups.push(cleanup);
  writeFileSync(`${dir}/agents.json`, agentsJson);
  return dir;
}

test('`run` streams an agent\'s output and Ctrl-C stops it before the CLI exits', async () => {
  const dir = await dataDirWith(JSON.stringify({ agents: [{ name: 'good', command: process.execPath, args: [fixture('well-behaved.mjs')] }] }));
  const run = runCli(['run', 'good', '--data-dir', dir]);
  const m = await run.waitForLine(/^\[good\] ready pid=(\d+)$/, 15_000);
  const agentPid = Number(m[1]);
  track(agentPid);
  await run.waitForLine(/^\[good\] tick 1$/, 5_000);
  process.kill(run.pid, 'SIGINT');
  assert.equal(await run.exit, 0);
  assert.equal(alive(agentPid), false, 'the agent was stopped');
  assert.ok(run.stdout.includes('[good] got SIGTERM, bye'), run.stdout.join('\n'));
  assert.ok(run.stdout.some((l) => l.startsWith('[good] ● stopped: good stopped in')), run.stdout.join('\n'));
});

test('`run` stops its agents on Ctrl-C also while an atomic write is in flight (signal-exit must never find itself the last listener)', async () => {
  const dir = await dataDirWith(JSON.stringify({ agents: [{ name: 'good', command: process.execPath, args: [fixture('well-behaved.mjs')] }] }));
  const preload = new URL('../fixtures/hosts/write-in-flight.mjs', import.meta.url).pathname;
  const run = runCli(['run', 'good', '--data-dir', dir], [`--import=${preload}`]);
  const agentPid = Number((await run.waitForLine(/^\[good\] ready pid=(\d+)$/, 15_000))[1]);
  track(agentPid);
  process.kill(run.pid, 'SIGINT');
  assert.equal(await run.exit, 0, 'exits normally, not by the signal (-1)');
  assert.equal(alive(agentPid), false, 'the agent was stopped');
});

test('`run` exits 1 when an agent crashes, showing why', async () => {
  const dir = await dataDirWith(JSON.stringify({ agents: [{ name: 'crasher', command: process.execPath, args: [fixture('crasher.mjs')], restart: { policy: 'no' } }] }));
  const run = runCli(['run', '--data-dir', dir]);
  assert.equal(await run.exit, 1);
  assert.ok(run.stdout.includes('[crasher] ! boom: OPENAI_API_KEY is not set'), run.stdout.join('\n'));
  assert.ok(run.stdout.some((l) => /● crashed: crasher exited with code 1/.test(l)), run.stdout.join('\n'));
});

test('`check` names the file, line and column of a JSON error and leaves the file untouched', async () => {
  const broken = '{\n  "agents": [\n    { "name": "a", "command": "node", }\n  ]\n}\n';
  const dir = await dataDirWith(broken);
  const run = runCli(['check', '--data-dir', dir]);
  assert.equal(await run.exit, 2);
  assert.match(run.stderr(), new RegExp(`${dir}/agents.json is not valid JSON at line 3, column 37: a trailing comma`));
  assert.equal(readFileSync(`${dir}/agents.json`, 'utf8'), broken);
});

test('`check` names the agent and the field that is wrong, and `run` refuses an unknown agent', async () => {
  const dir = await dataDirWith(JSON.stringify({ agents: [{ name: 'ok', command: 'node' }, { name: 'bad/name', command: 'node', port: 70000 }] }));
  const check = runCli(['check', '--data-dir', dir]);
  assert.equal(await check.exit, 2);
  assert.match(check.stderr(), /agent "bad\/name" \(agents\[1\]\)\.name: "bad\/name" has characters other than .*\(line 1, column \d+\)/);
  assert.match(check.stderr(), /agent "bad\/name" \(agents\[1\]\)\.port: /);

  const dir2 = await dataDirWith(JSON.stringify({ agents: [{ name: 'ok', command: 'node' }] }));
  const run = runCli(['run', 'nope', '--data-dir', dir2]);
  assert.equal(await run.exit, 2);
  assert.match(run.stderr(), /No agent named "nope" \(known agents: ok\)/);
});
