// The agent-tray command line as a person uses it: run in the foreground and Ctrl-C, check a
// broken agents.json, a crashing agent's exit code.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { tempDir } from '../helpers/temp-dir.js';
import { alive, fixture, killTracked, track } from '../helpers/processes.js';

const cli = new URL('../../electron/cli/index.ts', import.meta.url).pathname;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0)) await c();
});

interface Running {
  pid: number;
  stdout: string[];
  stderr: string;
  exit: Promise<number | null>;
  waitForLine: (pattern: RegExp, timeoutMs: number) => Promise<RegExpExecArray>;
}

/** Starts the CLI with `args`; collects its output lines. */
function runCli(args: string[]): Running {
  const child = spawn(process.execPath, ['--import', 'tsx', cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  track(child.pid);
  const stdout: string[] = [];
  const waiters: { pattern: RegExp; resolve: (m: RegExpExecArray) => void }[] = [];
  let partial = '';
  const r: Running = { pid: child.pid!, stdout, stderr: '', exit: new Promise((res) => child.once('exit', (code) => res(code))), waitForLine };
  child.stdout.on('data', (d: Buffer) => {
    const parts = (partial + d.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) {
      stdout.push(line);
      for (const w of [...waiters]) {
        const m = w.pattern.exec(line);
        if (m) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(m);
        }
      }
    }
  });
  child.stderr.on('data', (d: Buffer) => (r.stderr += d.toString()));
  function waitForLine(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
    const seen = stdout.map((l) => pattern.exec(l)).find((m) => m);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; got:\n${stdout.join('\n')}\n${r.stderr}`)), timeoutMs);
      waiters.push({ pattern, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }
  return r;
}

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

test('`run` exits 1 when an agent crashes, showing why', async () => {
  const dir = await dataDirWith(JSON.stringify({ agents: [{ name: 'crasher', command: process.execPath, args: [fixture('crasher.mjs')] }] }));
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
  assert.match(run.stderr, new RegExp(`${dir}/agents.json is not valid JSON at line 3, column \\d+`));
  assert.equal(readFileSync(`${dir}/agents.json`, 'utf8'), broken);
});

test('`check` names the field that is wrong, and `run` refuses an unknown agent', async () => {
  const dir = await dataDirWith(JSON.stringify({ agents: [{ name: 'ok', command: 'node' }, { name: 'bad/name', command: 'node', port: 70000 }] }));
  const check = runCli(['check', '--data-dir', dir]);
  assert.equal(await check.exit, 2);
  assert.match(check.stderr, /agents\[1\]\.name: "bad\/name" has characters other than/);
  assert.match(check.stderr, /agents\[1\]\.port: /);

  const dir2 = await dataDirWith(JSON.stringify({ agents: [{ name: 'ok', command: 'node' }] }));
  const run = runCli(['run', 'nope', '--data-dir', dir2]);
  assert.equal(await run.exit, 2);
  assert.match(run.stderr, /No agent named "nope" \(known agents: ok\)/);
});
