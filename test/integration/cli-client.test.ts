// The CLI against a real running host: `agent-tray serve` on port 0 with a temporary data
// directory and fixture agents, and every client command run as a child process, as a person or a
// script runs them: output and exit codes.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import type { AgentStatus } from '../../shared/status.js';
import { readToken } from '../../electron/server/api-token.js';
import { readLiveLock } from '../../electron/server/host-lock.js';
import { alive, fixture, track, agentPidsOf } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait.js';
import { cliRun, startCli } from '../helpers/cli-process.js';
import { testDataDirs } from '../helpers/data-dirs.js';

const dirs = testDataDirs({ endAgentsOfDirs: true });
const { dataDir } = dirs;
afterEach(() => dirs.afterEach());

const good = { name: 'good', command: process.execPath, args: [fixture('well-behaved.mjs')], port: 8123 };
const crasher = { name: 'crasher', command: process.execPath, args: [fixture('crasher.mjs')], restart: { policy: 'no' } };

/** Starts `agent-tray serve` on a free port for `dir`; resolves once it listens. */
async function serve(dir: string): Promise<{ pid: number; url: string }> {
  const host = startCli(['serve', '--data-dir', dir, '--port', '0']);
  const m = await host.waitForLine(/Agent Tray listening on (http:\/\/\S+)/, 20_000);
  return { pid: host.pid, url: m[1]! };
}

/** An agent's status straight from the API (for waiting; the CLI is what the tests assert on). */
async function apiStatus(dir: string, name: string): Promise<AgentStatus> {
  const lock = await readLiveLock(dir);
  const token = await readToken(dir);
  const res = await fetch(new URL(`/api/agents/${name}`, lock!.url!), { headers: { authorization: `Bearer ${token}` } });
  return (await res.json()) as AgentStatus;
}

async function apiLogs(dir: string, name: string): Promise<string[]> {
  const lock = await readLiveLock(dir);
  const token = await readToken(dir);
  const res = await fetch(new URL(`/api/agents/${name}/logs?lines=1000`, lock!.url!), { headers: { authorization: `Bearer ${token}` } });
  return ((await res.json()) as { lines: { text: string }[] }).lines.map((l) => l.text);
}

test('no host running: every client command says so, with exit code 1', async () => {
  const dir = await dataDir([good]);
  const status = await cliRun('status', '--data-dir', dir);
  assert.equal(status.code, 1, status.all);
  assert.equal(status.stderr.trim(), `agent-tray: No Agent Tray host is running for ${dir}; start one with \`agent-tray serve\` (or open the app)`);
  assert.deepEqual(status.stdout, []);
  const start = await cliRun('start', 'good', '--data-dir', dir);
  assert.equal(start.code, 1, start.all);
  assert.match(start.stderr, /No Agent Tray host is running/);

  // a host that was killed leaves its lock behind: still "no host"
  const host = await serve(dir);
  process.kill(host.pid, 'SIGKILL');
  await waitFor(() => !alive(host.pid), 5_000, 'the host to be gone');
  const after = await cliRun('status', '--data-dir', dir);
  assert.equal(after.code, 1, after.all);
  assert.match(after.stderr, /No Agent Tray host is running/);
});

test('usage errors give exit code 2 before any host is asked', async () => {
  const dir = await dataDir([good]);
  const cases: [string[], RegExp][] = [
    [['start'], /missing the agent NAME\nUsage: agent-tray start \(NAME \| --group GROUP\)/],
    [['ensure', 'good', '--timeout', 'soon'], /--timeout "soon" is not a duration/],
    [['logs', 'good', '-n', '0'], /-n "0" is not a number of lines/],
    [['logs', 'good', '--stream', 'both'], /--stream "both" is not one of stdout, stderr, all/],
    [['status', '--bogus'], /Unknown option '--bogus'/],
    [['stop', 'a', 'b'], /one agent NAME only/],
  ];
  for (const [args, pattern] of cases) {
    const r = await cliRun(...args, '--data-dir', dir);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.all}`);
    assert.match(r.stderr, pattern, args.join(' '));
  }
});

test('status: a table of every agent, and --json the API\'s answer', async () => {
  const dir = await dataDir([good, crasher]);
  await serve(dir);

  const before = await cliRun('status', '--data-dir', dir);
  assert.equal(before.code, 0, before.all);
  assert.deepEqual(before.stdout, ['NAME     STATE    PID  UPTIME  PORT', 'good     stopped  -    -       8123', 'crasher  stopped  -    -       -']);

  const start = await cliRun('start', 'good', '--data-dir', dir);
  assert.equal(start.code, 0, start.all);
  const pid = Number(/^good: running \(pid (\d+)\)$/.exec(start.stdout[0] ?? '')?.[1]);
  assert.ok(pid > 0, start.all);
  track(pid);

  // the crasher starts (the spawn works), then exits 1: the table shows why
  const crash = await cliRun('start', 'crasher', '--data-dir', dir);
  track(...agentPidsOf(dir));
  assert.ok(crash.code === 0 || crash.code === 1, crash.all);
  await waitFor(async () => (await apiStatus(dir, 'crasher')).state === 'crashed', 10_000, 'the crasher to crash');

  const table = await cliRun('status', '--data-dir', dir);
  assert.equal(table.code, 0, table.all);
  assert.match(table.stdout[0] ?? '', /^NAME {5}STATE {4}PID +UPTIME +PORT +ERROR$/);
  assert.match(table.stdout[1] ?? '', new RegExp(`^good {5}running {2}${pid} +\\d+s +8123$`));
  assert.match(table.stdout[2] ?? '', /^crasher {2}crashed {2}- +- +- +exited with code 1: boom: OPENAI_API_KEY is not set$/);

  const json = await cliRun('status', '--json', '--data-dir', dir);
  assert.equal(json.code, 0, json.all);
  const parsed = JSON.parse(json.stdout.join('\n')) as { agents: AgentStatus[] };
  assert.deepEqual(
    parsed.agents.map((a) => [a.name, a.state, a.port]),
    [
      ['good', 'running', 8123],
      ['crasher', 'crashed', null],
    ],
  );
  assert.equal(parsed.agents[0]?.pid, pid);
  assert.equal(parsed.agents[1]?.lastError?.exitCode, 1);
});

test('start, restart, stop and kill: one line each, the processes really come and go', async () => {
  const dir = await dataDir([good]);
  await serve(dir);

  const start = await cliRun('start', 'good', '--data-dir', dir);
  assert.equal(start.code, 0, start.all);
  const first = Number(/^good: running \(pid (\d+)\)$/.exec(start.stdout[0] ?? '')?.[1]);
  track(first);
  assert.ok(alive(first));

  const again = await cliRun('start', 'good', '--data-dir', dir);
  assert.deepEqual([again.code, again.stdout], [0, [`good: running (pid ${first})`]], 'a running agent is left alone');

  const restart = await cliRun('restart', 'good', '--data-dir', dir);
  assert.equal(restart.code, 0, restart.all);
  const second = Number(/^good: running \(pid (\d+)\)$/.exec(restart.stdout[0] ?? '')?.[1]);
  track(second);
  assert.notEqual(second, first);
  assert.equal(alive(first), false, 'the restart stopped the first process');

  const stop = await cliRun('stop', 'good', '--data-dir', dir);
  assert.equal(stop.code, 0, stop.all);
  assert.match(stop.stdout[0] ?? '', /^good: stopped in \d+ ms \(graceful\)$/);
  assert.equal(alive(second), false);

  const stopAgain = await cliRun('stop', 'good', '--data-dir', dir);
  assert.deepEqual([stopAgain.code, stopAgain.stdout], [0, ['good: was not running']]);

  const third = Number(/pid (\d+)/.exec((await cliRun('start', 'good', '--data-dir', dir)).stdout[0] ?? '')?.[1]);
  track(third);
  const kill = await cliRun('kill', 'good', '--data-dir', dir);
  assert.equal(kill.code, 0, kill.all);
  assert.match(kill.stdout[0] ?? '', /^good: killed in \d+ ms \(1 process\)$/);
  assert.equal(alive(third), false);

  const unknown = await cliRun('start', 'nope', '--data-dir', dir);
  assert.equal(unknown.code, 1, unknown.all);
  assert.match(unknown.stderr, /^agent-tray: No agent named "nope" \(known agents: good\)\. Check the spelling/);
});

test('start of an agent that cannot spawn: exit code 1 with the reason', async () => {
  const dir = await dataDir([{ name: 'missing', command: 'agent-tray-no-such-program' }]);
  await serve(dir);
  const start = await cliRun('start', 'missing', '--data-dir', dir);
  assert.equal(start.code, 1, start.all);
  assert.deepEqual(start.stdout, []);
  // the host answers 409 (command-not-found): the CLI prints its message and hint
  assert.match(start.stderr, /^agent-tray: Agent "missing": .*agent-tray-no-such-program.*PATH/);
});

test('ensure: 0 once running (also when it already runs); 1 with the reason for an unknown agent', async () => {
  const dir = await dataDir([good]);
  await serve(dir);

  const ensure = await cliRun('ensure', 'good', '--timeout', '20s', '--data-dir', dir);
  assert.equal(ensure.code, 0, ensure.all);
  const pid = Number(/^good: running \(pid (\d+)\)$/.exec(ensure.stdout[0] ?? '')?.[1]);
  track(pid);
  assert.ok(alive(pid));
  const again = await cliRun('ensure', 'good', '--data-dir', dir);
  assert.deepEqual([again.code, again.stdout], [0, [`good: running (pid ${pid})`]]);

  const unknown = await cliRun('ensure', 'nope', '--data-dir', dir);
  assert.equal(unknown.code, 1, unknown.all);
  assert.match(unknown.stderr, /No agent named "nope"/);
});

test(
  'ensure of an agent that crashes at once: exit code 1 with its reason',
  async () => {
    const dir = await dataDir([crasher]);
    await serve(dir);
    const crash = await cliRun('ensure', 'crasher', '--timeout', '10s', '--data-dir', dir);
    track(...agentPidsOf(dir));
    assert.equal(crash.code, 1, crash.all);
    assert.match(crash.stderr, /crasher.*(crashed|exited with code 1).*OPENAI_API_KEY/);
  },
);

test('logs -n: the last lines, stderr marked, one stream or both', async () => {
  const dir = await dataDir([good, crasher]);
  await serve(dir);
  track(Number(/pid (\d+)/.exec((await cliRun('start', 'good', '--data-dir', dir)).stdout[0] ?? '')?.[1]));
  await waitFor(async () => (await apiLogs(dir, 'good')).includes('tick 3'), 10_000, 'tick 3');

  const logs = await cliRun('logs', 'good', '-n', '2', '--data-dir', dir);
  assert.equal(logs.code, 0, logs.all);
  assert.equal(logs.stdout.length, 2, logs.all);
  for (const line of logs.stdout) assert.match(line, /^tick \d+$/);
  const [a, b] = logs.stdout.map((l) => Number(l.split(' ')[1]));
  assert.equal(b, a! + 1, 'consecutive, oldest first');

  await cliRun('start', 'crasher', '--data-dir', dir);
  track(...agentPidsOf(dir));
  await waitFor(async () => (await apiStatus(dir, 'crasher')).state === 'crashed', 10_000, 'the crasher to crash');
  const all = await cliRun('logs', 'crasher', '--data-dir', dir);
  assert.deepEqual(all.stdout, ['starting up', '! loading config from env', '! boom: OPENAI_API_KEY is not set'], all.all);
  const err = await cliRun('logs', 'crasher', '--stream', 'stderr', '-n', '1', '--data-dir', dir);
  assert.deepEqual(err.stdout, ['! boom: OPENAI_API_KEY is not set'], err.all);
  const out = await cliRun('logs', 'crasher', '--stream', 'stdout', '--data-dir', dir);
  assert.deepEqual(out.stdout, ['starting up'], out.all);

  const unknown = await cliRun('logs', 'nope', '--data-dir', dir);
  assert.equal(unknown.code, 1, unknown.all);
  assert.match(unknown.stderr, /No agent named "nope"/);
});

test('logs --follow: the last lines, then new ones as they come, in order; Ctrl-C ends it with 0', async () => {
  const dir = await dataDir([good]);
  await serve(dir);
  track(Number(/pid (\d+)/.exec((await cliRun('start', 'good', '--data-dir', dir)).stdout[0] ?? '')?.[1]));
  await waitFor(async () => (await apiLogs(dir, 'good')).includes('tick 2'), 10_000, 'tick 2');

  const follow = startCli(['logs', 'good', '-n', '1', '--follow', '--data-dir', dir]);
  const firstLine = await follow.waitForLine(/^tick (\d+)$/, 15_000);
  const first = Number(firstLine[1]);
  await follow.waitForLine(new RegExp(`^tick ${first + 3}$`), 10_000); // three new ones, from the event stream
  process.kill(follow.pid, 'SIGINT');
  assert.equal(await follow.exit, 0, follow.stderr());
  const ticks = follow.stdout.map((l) => Number(/^tick (\d+)$/.exec(l)?.[1]));
  assert.deepEqual(
    ticks,
    ticks.map((_, i) => first + i),
    `every tick once, in order:\n${follow.stdout.join('\n')}`,
  );
});

test('logs --follow of an unknown agent: exit code 1 at once', async () => {
  const dir = await dataDir([good]);
  await serve(dir);
  const follow = await cliRun('logs', 'nope', '--follow', '--data-dir', dir);
  assert.equal(follow.code, 1, follow.all);
  assert.match(follow.stderr, /No agent named "nope"/);
});
