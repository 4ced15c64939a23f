// The Windows lane: Agent Tray's own `agent-tray serve` (the built dist/) run by the official
// Windows node.exe under Wine, driven over its REST API from Linux, supervising real Windows
// agents (node.exe scripts, `cmd /c`). Process facts come from the helper (agent-tray-helper.exe
// `info`/`kill-tree`), never from Wine's tasklist/wmic/netstat, which are stubs.
// What Wine cannot show is said, not faked: console windows (Wine runs headless here) and
// CTRL_BREAK delivery (Wine 8's GenerateConsoleCtrlEvent fails): those are for a real Windows
// machine, the GitHub Actions windows-latest job (.github/workflows/ci.yml).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, afterEach, describe, test } from 'node:test';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait.js';
import { killWineServer, wineEnv, winPath } from '../helpers/wine.js';
import { endTracked, trackLinux, trackWindows } from './lane/ended.js';
import { aliveOf, helper, info } from './lane/helper.js';
import { killHostHard, startLaneHost, type LaneHost } from './lane/host.js';
import { cmdAgent, fixtureWin, nodeAgent, openLane, readText, waitAllGone, waitForText, writeAgents, type Lane } from './lane/lane.js';

const opened = await openLane();
/** CI sets AGENT_TRAY_WINDOWS_LANE=required: there a lane that cannot run fails instead of skipping. */
const required = process.env.AGENT_TRAY_WINDOWS_LANE === 'required';
const skip = typeof opened === 'string' && !required ? `Windows lane: ${opened}` : false;
const lane = opened as Lane;
const laneStarted = performance.now();

const dirs: (() => Promise<void>)[] = [];

afterEach(async () => {
  await endTracked();
  for (const cleanup of dirs.splice(0)) await cleanup();
});

after(() => {
  if (typeof opened === 'string') return;
  killWineServer(); // the lane's own prefix only: WINEPREFIX is set, nothing is killed by name
  console.log(`# Windows lane: prefix created in ${lane.prefixMs} ms (0: it existed), lane ran ${Math.round(performance.now() - laneStarted)} ms`);
});

/** A fresh folder for one test: the data directory in it (as Z:\...), the host's output files beside. */
async function laneDir(): Promise<{ root: string; dataDir: string; logs: string; run: string }> {
  const { dir, cleanup } = await tempDir('agent-tray-lane-');
  dirs.push(cleanup);
  const dataDir = path.join(dir, 'data');
  await mkdir(dataDir);
  return { root: dir, dataDir, logs: path.join(dataDir, 'logs'), run: path.join(dataDir, 'run') };
}

/** Starts an agent over the API; asserts it runs and returns its status (its pid tracked for the cleanup). */
async function startAgent(host: LaneHost, name: string): Promise<{ pid: number; [k: string]: unknown }> {
  const res = await host.api('POST', `/api/agents/${name}/start`);
  trackWindows(res.body?.pid);
  assert.equal(res.status, 200, `start ${name}: ${JSON.stringify(res.body)}\n${host.output()}`);
  assert.equal(res.body.state, 'running');
  assert.equal(typeof res.body.pid, 'number');
  return res.body;
}

/** Stops an agent over the API; asserts the answer says stopped. */
async function stopAgent(host: LaneHost, name: string): Promise<void> {
  const res = await host.api('POST', `/api/agents/${name}/stop`);
  assert.equal(res.status, 200, `stop ${name}: ${JSON.stringify(res.body)}`);
  assert.equal(res.body.state, 'stopped', `stop ${name}: ${JSON.stringify(res.body)}`);
}

/** The PID file of an agent, parsed. */
function pidFile(run: string, name: string): { pid: number; processStartTime: number | null; [k: string]: unknown } {
  return JSON.parse(readFileSync(path.join(run, `${name}.pid`), 'utf8'));
}

/** Waits until GET /logs of an agent has a line matching `pattern`. */
async function waitForApiLine(host: LaneHost, name: string, pattern: RegExp, timeoutMs: number): Promise<void> {
  let seen: string[] = [];
  await waitFor(
    async () => {
      const res = await host.api('GET', `/api/agents/${name}/logs?lines=200&stream=all`);
      seen = (res.body?.lines ?? []).map((l: { text: string }) => l.text);
      return seen.some((text) => pattern.test(text));
    },
    timeoutMs,
    `a line matching ${pattern} in GET /api/agents/${name}/logs`,
    200,
  ).catch((err: Error) => {
    throw new Error(`${err.message}; it had: ${seen.slice(-5).join(' | ')}`);
  });
}

describe('Windows lane: agent-tray serve under Wine', () => {
  if (typeof opened === 'string' && required) {
    test('the lane can run here (AGENT_TRAY_WINDOWS_LANE=required)', () => assert.fail(opened));
    return;
  }

  test('an agent starts and runs; its lines reach its log files and GET /logs; its PID file has the helper creation time and spawn flags', { skip, timeout: 180_000 }, async () => {
    const { dataDir, logs, run } = await laneDir();
    await writeAgents(dataDir, [nodeAgent(lane, 'ticker', 'well-behaved.mjs'), cmdAgent(lane, 'cmd-chatty', 'chatty.mjs', { env: { INTERVAL_MS: '200' } })]);
    const host = await startLaneHost(lane.nodeExe, dataDir, 'a');

    const ticker = await startAgent(host, 'ticker');
    const cmd = await startAgent(host, 'cmd-chatty');

    // node.exe prints its own Windows pid: the one the API reports
    const ready = await waitForText(path.join(logs, 'ticker.out.log'), /ready pid=(\d+)/, 20_000, 'ticker to print its pid into its log file');
    assert.equal(Number(ready[1]), ticker.pid);
    await waitForText(path.join(logs, 'ticker.out.log'), /tick 3\b/, 20_000, 'ticks in ticker.out.log');
    await waitForApiLine(host, 'ticker', /^tick \d+$/, 20_000);
    // cmd /c: cmd's own line, then its node.exe child's lines, all in the agent's files and in the API
    const child = await waitForText(path.join(logs, 'cmd-chatty.out.log'), /cmd-says-hello[\s\S]*ready pid=(\d+)[\s\S]*line 2\b/, 20_000, 'cmd and its child to write into cmd-chatty.out.log');
    trackWindows(Number(child[1]));
    await waitForApiLine(host, 'cmd-chatty', /cmd-says-hello/, 20_000);
    await waitForApiLine(host, 'cmd-chatty', /^line \d+$/, 20_000);

    // the PID files carry the creation time the helper reports for those pids
    const [tickerFacts, cmdFacts, childFacts, hostFacts] = await info(ticker.pid, cmd.pid, Number(child[1]), host.windowsPid);
    for (const [name, facts] of [['ticker', tickerFacts], ['cmd-chatty', cmdFacts]] as const) {
      const record = pidFile(run, name);
      assert.ok(facts?.alive, `${name} (pid ${record.pid}) is alive by the helper's info`);
      assert.equal(record.pid, facts.pid);
      assert.ok(record.processStartTime !== null && Math.abs(record.processStartTime - (facts.createdMs ?? NaN)) <= 1, `${name}: PID file processStartTime ${record.processStartTime} vs helper createdMs ${facts.createdMs}`);
    }
    assert.match(String(tickerFacts?.exe), /node\.exe$/i);
    assert.match(String(cmdFacts?.exe), /cmd\.exe$/i);
    assert.equal(childFacts?.ppid, cmd.pid, 'the node.exe under cmd /c is cmd\'s child');
    // the helper's info about a known process: the host itself
    assert.ok(hostFacts?.alive);
    assert.match(String(hostFacts?.commandLine), /agent-tray\.js.* serve /);

    // the flags the helper reported for the spawn (status.windows): no window, its own group, out of the host's job
    for (const name of ['ticker', 'cmd-chatty']) {
      const spawned = (await host.api('GET', `/api/agents/${name}`)).body.windows;
      assert.ok(spawned, `${name}: the status says how it was started (windows)`);
      assert.equal(spawned.helper, true, `${name} was started by the helper: ${JSON.stringify(spawned)}`);
      for (const flag of ['CREATE_NO_WINDOW', 'CREATE_NEW_PROCESS_GROUP', 'CREATE_BREAKAWAY_FROM_JOB']) assert.ok(spawned.flags.includes(flag), `${name}: ${flag} in ${spawned.flags.join(', ')}`);
      assert.equal(spawned.breakaway, true);
    }
  });

  test('stop ends the whole tree (node.exe forking children and grandchildren; cmd /c node.exe) and answers stopped only when all are gone', { skip, timeout: 180_000 }, async () => {
    const { dataDir, logs } = await laneDir();
    const stop = { timeoutMs: 1_000, insistMs: 500 };
    await writeAgents(dataDir, [nodeAgent(lane, 'forker', 'forker.mjs', { stop }), cmdAgent(lane, 'cmd-chatty', 'chatty.mjs', { stop })]);
    const host = await startLaneHost(lane.nodeExe, dataDir, 'a');

    const forker = await startAgent(host, 'forker');
    const cmd = await startAgent(host, 'cmd-chatty');
    const treeLine = await waitForText(path.join(logs, 'forker.out.log'), /tree (\{.*\})/, 30_000, 'forker to print its tree');
    const tree = JSON.parse(treeLine[1] ?? '') as { leader: number; kids: { child: number; grandchild: number; detached: boolean }[] };
    assert.equal(tree.leader, forker.pid);
    const forkerTree = [tree.leader, ...tree.kids.flatMap((k) => [k.child, k.grandchild])];
    const cmdChild = Number((await waitForText(path.join(logs, 'cmd-chatty.out.log'), /ready pid=(\d+)/, 20_000, 'cmd\'s node.exe child'))[1]);
    const everything = [...forkerTree, cmd.pid, cmdChild];
    everything.forEach((pid) => trackWindows(pid));
    assert.deepEqual(await aliveOf(everything), everything, 'every process of both trees runs before the stop');

    await stopAgent(host, 'forker');
    await stopAgent(host, 'cmd-chatty');
    // the answer came after the whole tree was gone: nothing is left to wait for
    assert.deepEqual(await aliveOf(everything), [], 'no process of either tree is alive once stop answered');
    assert.equal(existsSync(path.join(dataDir, 'run', 'forker.pid')), false, 'the PID file is removed');
  });

  test('the host killed: the agents keep running; a new host adopts them with the same pids and creation times', { skip, timeout: 240_000 }, async (t) => {
    const { dataDir, logs, run } = await laneDir();
    await writeAgents(dataDir, [nodeAgent(lane, 'ticker', 'well-behaved.mjs'), cmdAgent(lane, 'cmd-chatty', 'chatty.mjs', { env: { INTERVAL_MS: '200' } })]);
    const first = await startLaneHost(lane.nodeExe, dataDir, 'a');
    const ticker = await startAgent(first, 'ticker');
    const cmd = await startAgent(first, 'cmd-chatty');
    await waitForText(path.join(logs, 'ticker.out.log'), /tick 2\b/, 20_000, 'ticker to tick');
    const cmdChild = Number((await waitForText(path.join(logs, 'cmd-chatty.out.log'), /ready pid=(\d+)/, 20_000, 'cmd\'s node.exe child'))[1]);
    trackWindows(cmdChild);
    const before = await info(ticker.pid, cmd.pid, cmdChild);
    before.forEach((p) => trackWindows(p.pid, p.createdMs));

    // a crash of the host: SIGKILL of its Linux pid (no handler runs, Wine closes its handles, its job object goes with it)
    await killHostHard(first);
    await waitAllGone([first.windowsPid], 10_000);
    const survivors = await aliveOf(before.map((p) => p.pid));
    t.diagnostic(`after the host was killed: alive ${survivors.join(', ') || 'none'} of ticker ${ticker.pid}, cmd ${cmd.pid}, its node.exe ${cmdChild}`);
    assert.deepEqual(survivors, before.map((p) => p.pid), 'every agent process outlives the killed host (none was in its kill-on-close job)');
    const later = await info(...before.map((p) => p.pid));
    assert.deepEqual(later.map((p) => p.createdMs), before.map((p) => p.createdMs), 'the same processes, not new ones with the same pids');
    // still writing with no host: its output never went through the host
    const size = statSync(path.join(logs, 'ticker.out.log')).size;
    await waitFor(() => statSync(path.join(logs, 'ticker.out.log')).size > size, 10_000, 'ticker to keep writing its log with no host', 100);

    const second = await startLaneHost(lane.nodeExe, dataDir, 'b');
    for (const [name, pid, facts] of [['ticker', ticker.pid, before[0]], ['cmd-chatty', cmd.pid, before[1]]] as const) {
      const status = (await second.api('GET', `/api/agents/${name}`)).body;
      assert.equal(status.state, 'running', `${name}: ${JSON.stringify(status)}\n${second.output()}`);
      assert.equal(status.adopted, true);
      assert.equal(status.pid, pid, `${name} is adopted with the pid it had`);
      assert.equal(status.outputCaptured, true);
      const record = pidFile(run, name);
      assert.equal(record.pid, pid);
      assert.ok(record.processStartTime !== null && Math.abs(record.processStartTime - (facts?.createdMs ?? NaN)) <= 1, `${name}: PID file ${record.processStartTime} vs helper ${facts?.createdMs}`);
    }
    // lines written after the adoption reach the new host
    const lastTick = Math.max(...[...readText(path.join(logs, 'ticker.out.log')).matchAll(/tick (\d+)/g)].map((m) => Number(m[1])));
    await waitForApiLine(second, 'ticker', new RegExp(`^tick (${lastTick + 2}|${lastTick + 3}|${lastTick + 4})$`), 20_000);

    // and an adopted agent stops whole like any other
    await stopAgent(second, 'ticker');
    await stopAgent(second, 'cmd-chatty');
    assert.deepEqual(await aliveOf([ticker.pid, cmd.pid, cmdChild]), []);
  });

  test('a PID file naming a live unrelated process with another creation time (a recycled pid) is refused and that process left alone; with its own creation time it is taken back', { skip, timeout: 180_000 }, async () => {
    const { dataDir, root, run } = await laneDir();
    // the stranger: the very command line of the agent, started outside Agent Tray
    const strangerOut = path.join(root, 'stranger.out.log');
    const fd = openSync(strangerOut, 'w');
    const command = [winPath(lane.nodeExe), fixtureWin('well-behaved.mjs')];
    const stranger = spawn('wine', command, { stdio: ['ignore', fd, fd], env: wineEnv() });
    closeSync(fd);
    trackLinux(stranger.pid);
    const strangerPid = Number((await waitForText(strangerOut, /ready pid=(\d+)/, 20_000, 'the stranger to print its pid'))[1]);
    const [facts] = await info(strangerPid);
    assert.ok(facts?.alive && typeof facts.createdMs === 'number');
    trackWindows(strangerPid, facts.createdMs);
    assert.ok(String(facts.commandLine).includes(fixtureWin('well-behaved.mjs')), `the stranger's command line is the agent's: ${facts.commandLine}`);

    await writeAgents(dataDir, [nodeAgent(lane, 'ticker', 'well-behaved.mjs')]);
    await mkdir(run, { recursive: true });
    /** A PID file naming the stranger, as a host of this data directory would have written it, with the given creation time. */
    const writeRecord = (processStartTime: number): Promise<void> =>
      writeFile(path.join(run, 'ticker.pid'), JSON.stringify({ pid: strangerPid, processStartTime, command: command.join(' '), name: 'ticker', startedAt: processStartTime, runId: 'lane-recycled-pid' }));

    await writeRecord(facts.createdMs - 3_600_000); // an hour older: the pid was recycled since
    const first = await startLaneHost(lane.nodeExe, dataDir, 'a');
    const status = (await first.api('GET', '/api/agents/ticker')).body;
    assert.notEqual(status.state, 'running', `a recycled pid is not adopted: ${JSON.stringify(status)}`);
    assert.equal(status.adopted, false);
    assert.notEqual(status.pid, strangerPid);
    const [still] = await info(strangerPid);
    assert.ok(still?.alive, 'the stranger is left alone');
    assert.equal(still.createdMs, facts.createdMs);
    assert.equal(existsSync(path.join(run, 'ticker.pid')), false, 'the stale PID file is removed');
    await killHostHard(first);

    // the control: the same PID file with the stranger's own creation time is taken back, so the
    // refusal above came from the creation time (same pid, same command line, no markers either way)
    await writeRecord(facts.createdMs);
    const second = await startLaneHost(lane.nodeExe, dataDir, 'b');
    const adopted = (await second.api('GET', '/api/agents/ticker')).body;
    assert.equal(adopted.state, 'running', `with the right creation time it is adopted: ${JSON.stringify(adopted)}`);
    assert.equal(adopted.pid, strangerPid);
  });

  test('CTRL_BREAK: what Wine does with the helper\'s stop, and the forced path ending the tree', { skip, timeout: 180_000 }, async (t) => {
    // On Windows the helper's `stop` (AttachConsole + GenerateConsoleCtrlEvent(CTRL_BREAK_EVENT))
    // reaches an agent that handles SIGBREAK, which exits gracefully: only a real Windows (the
    // GitHub Actions windows-latest job) can show that. Wine 8 fails the call (measured:
    // GenerateConsoleCtrlEvent, ERROR_INVALID_HANDLE); here we assert only that the helper says so
    // instead of claiming a delivery, and that the stop then ends the tree by force.
    const { dataDir, logs } = await laneDir();
    await writeAgents(dataDir, [nodeAgent(lane, 'breaker', 'break-aware.mjs', { stop: { timeoutMs: 1_500, insistMs: 500 } }, true)]);
    const host = await startLaneHost(lane.nodeExe, dataDir, 'a');
    const breaker = await startAgent(host, 'breaker');
    await waitForText(path.join(logs, 'breaker.out.log'), /tick 1\b/, 20_000, 'breaker to tick');

    const direct = await helper(['stop', String(breaker.pid)]);
    const reply = direct.lines[0] ?? {};
    t.diagnostic(`helper stop ${breaker.pid} under Wine: exit ${direct.code}, ${JSON.stringify(reply)}`);
    if (reply.ok === true) {
      // delivered (as on Windows): the agent must have seen it and exited on its own
      await waitForText(path.join(logs, 'breaker.out.log'), /got SIGBREAK/, 10_000, 'breaker to get the CTRL_BREAK the helper reported as sent');
      await waitAllGone([breaker.pid], 10_000);
      assert.equal(direct.code, 0);
      return;
    }
    assert.equal(direct.code, 1, 'a failed stop exits 1');
    assert.equal(reply.ok, false);
    assert.equal(typeof reply.step, 'string');
    assert.equal(typeof reply.code, 'number');
    assert.ok(String(reply.message).length > 0, 'the failure carries the system\'s message');
    assert.deepEqual(await aliveOf([breaker.pid]), [breaker.pid], 'nothing was delivered, and nothing says it was');
    assert.doesNotMatch(readText(path.join(logs, 'breaker.out.log')), /got SIGBREAK/);

    const started = performance.now();
    await stopAgent(host, 'breaker');
    t.diagnostic(`the stop through the API took ${Math.round(performance.now() - started)} ms (stop.timeoutMs 1500); the agent ${/got SIGBREAK/.test(readText(path.join(logs, 'breaker.out.log'))) ? 'got' : 'never got'} CTRL_BREAK`);
    assert.deepEqual(await aliveOf([breaker.pid]), [], 'the forced path ended it');
  });
});
