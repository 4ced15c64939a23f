// The Windows lane for on-demand agents: `agent-tray serve` (the built dist/) run by the Windows
// node.exe under Wine listens on an agent's public port itself; a plain HTTP request from Linux
// (Wine's sockets are the Linux host's) starts the agent on an internal port, is relayed to it and
// answered by it; idleStopMs without a connection stops it; a killed host's successor adopts it
// and relays to its recorded internal port again. Process facts come from the helper only.
// What Wine cannot show here: the graceful part of the idle stop (Wine 8's GenerateConsoleCtrlEvent
// fails, so the engine ends the tree by kill-tree at once and says so in the run's history; on
// Windows CTRL_BREAK comes first), and ::1 (only 127.0.0.1 is asserted). The fixture is one
// node.exe without children: whole-tree stops of real trees are serve-lane.test.ts's.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { after, afterEach, describe, test } from 'node:test';
import { freePort } from '../helpers/ports.js';
import { rawRequest } from '../helpers/raw-request.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait.js';
import { killWineServer } from '../helpers/wine.js';
import { endTracked, trackWindows } from './lane/ended.js';
import { aliveOf, info, list } from './lane/helper.js';
import { killHostHard, startLaneHost, type LaneHost } from './lane/host.js';
import { fixtureWin, nodeAgent, openLane, waitAllGone, writeAgents, type Lane } from './lane/lane.js';

const opened = await openLane();
/** CI sets AGENT_TRAY_WINDOWS_LANE=required: there a lane that cannot run fails instead of skipping. */
const required = process.env.AGENT_TRAY_WINDOWS_LANE === 'required';
const skip = typeof opened === 'string' && !required ? `Windows lane: ${opened}` : false;
const lane = opened as Lane;
const IDLE_STOP_MS = 1_500;

const dirs: (() => Promise<void>)[] = [];

afterEach(async () => {
  await endTracked();
  for (const cleanup of dirs.splice(0)) await cleanup();
});

after(() => {
  if (typeof opened !== 'string') killWineServer(); // the lane's own prefix only
});

/** A fresh data directory for one test, with the definition of one on-demand node.exe HTTP agent (test/fixtures/agents/http-server.mjs) on a free public port. */
async function onDemandDir(): Promise<{ dataDir: string; run: string; port: number }> {
  const { dir, cleanup } = await tempDir('agent-tray-lane-od-');
  dirs.push(cleanup);
  const dataDir = path.join(dir, 'data');
  await mkdir(dataDir);
  const port = await freePort();
  await writeAgents(dataDir, [nodeAgent(lane, 'od', 'http-server.mjs', { port, onDemand: { idleStopMs: IDLE_STOP_MS }, startTimeoutMs: 30_000 })]);
  return { dataDir, run: path.join(dataDir, 'run'), port };
}

/** GET /health on 127.0.0.1:port from Linux, no keep-alive (a pooled connection would hold the agent up); the agent's Windows pid from its answer. */
async function health(port: number): Promise<{ status: number; pid: number }> {
  const answer = await rawRequest(port, { path: '/health', timeoutMs: 60_000 });
  try {
    return { status: answer.status, pid: (JSON.parse(answer.body) as { pid: number }).pid };
  } catch {
    throw new Error(`GET http://127.0.0.1:${port}/health answered ${answer.status}: ${answer.body}`);
  }
}

/** The agent's status from the host. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the API answered
async function status(host: LaneHost): Promise<any> {
  const res = await host.api('GET', '/api/agents/od');
  assert.equal(res.status, 200, `GET /api/agents/od: ${JSON.stringify(res.body)}`);
  return res.body;
}

/** Polls the status until `check` holds; the last status in the failure message. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the API answered
async function waitStatus(host: LaneHost, check: (s: any) => boolean, timeoutMs: number, what: string): Promise<any> {
  let last: unknown;
  await waitFor(
    async () => check((last = await status(host))),
    timeoutMs,
    what,
    100,
  ).catch((err: Error) => {
    throw new Error(`${err.message}; last status: ${JSON.stringify(last)}\n${host.output()}`);
  });
  return last;
}

/** Sends a request through the public port; asserts it was answered by the running agent and returns its pid (tracked with its creation time). */
async function requestStarts(host: LaneHost, port: number): Promise<number> {
  const answer = await health(port);
  assert.equal(answer.status, 200);
  trackWindows(answer.pid);
  const s = await status(host); // first: idleStopMs runs from the answer on
  const [facts] = await info(answer.pid);
  trackWindows(answer.pid, facts?.createdMs);
  assert.equal(s.state, 'running', JSON.stringify(s));
  assert.equal(s.pid, answer.pid, 'the process that answered is the one the status names');
  assert.ok(facts?.alive, `pid ${answer.pid} is alive by the helper's info`);
  assert.match(String(facts.exe), /node\.exe$/i);
  assert.equal(s.onDemand?.publicPort, port);
  assert.equal(s.windows?.helper, true, `started by the helper (out of the host's job, no window) like any agent: ${JSON.stringify(s.windows)}`);
  assert.ok(Number.isInteger(s.onDemand?.internalPort) && s.onDemand.internalPort !== port, `an internal port other than the public one: ${JSON.stringify(s.onDemand)}`);
  return answer.pid;
}

/** The pids of the prefix's processes running the fixture (the agent's own command line), by the helper's `list`. */
async function fixtureProcesses(): Promise<number[]> {
  const script = fixtureWin('http-server.mjs').toLowerCase();
  return (await list()).filter((p) => String(p.commandLine ?? '').toLowerCase().includes(script)).map((p) => p.pid);
}

/** Waits for the idle stop: the status stopped no sooner than idleStopMs after the last connection (host clock), the relay still listening, the agent's process gone by the helper, the PID file removed; the run's history message. */
async function waitIdleStop(host: LaneHost, run: string, pid: number): Promise<string> {
  const s = await waitStatus(host, (x) => x.state === 'stopped', IDLE_STOP_MS + 20_000, `the idle stop after ${IDLE_STOP_MS} ms without a connection`);
  assert.equal(s.onDemand?.listening, true, 'the host keeps listening on the public port');
  assert.equal(typeof s.onDemand?.idleSince, 'number');
  assert.ok(s.since - s.onDemand.idleSince >= IDLE_STOP_MS, `stopped ${s.since - s.onDemand.idleSince} ms after the last connection closed (idleStopMs ${IDLE_STOP_MS})`);
  await waitAllGone([pid], 10_000);
  assert.deepEqual(await fixtureProcesses(), [], 'no process of the agent is left in the prefix');
  assert.equal(existsSync(path.join(run, 'od.pid')), false, 'the PID file is removed');
  const runs = ((await host.api('GET', '/api/history')).body?.runs ?? []) as { pid: number; endedAt: number | null; message: string }[];
  const ended = runs.find((r) => r.pid === pid);
  assert.ok(ended?.endedAt, `the run of pid ${pid} is in the history as ended: ${JSON.stringify(runs)}`);
  return `${ended.message} (${s.since - s.onDemand.idleSince} ms after the last connection closed)`;
}

describe('Windows lane: on-demand agents under Wine', () => {
  if (typeof opened === 'string' && required) {
    test('the lane can run here (AGENT_TRAY_WINDOWS_LANE=required)', () => assert.fail(opened));
    return;
  }

  test('the host listens on the public port; a request from Linux starts the agent and is answered by it; idle, it is stopped whole; the next request starts a new one', { skip, timeout: 180_000 }, async (t) => {
    const { dataDir, run, port } = await onDemandDir();
    const host = await startLaneHost(lane.nodeExe, dataDir, 'a');
    const before = await waitStatus(host, (s) => s.onDemand?.listening === true, 20_000, 'the relay to listen on the public port');
    assert.equal(before.state, 'stopped', 'nothing runs before the first client');
    assert.deepEqual(await fixtureProcesses(), []);

    let started = performance.now();
    const first = await requestStarts(host, port);
    t.diagnostic(`first request (host under Wine starting node.exe on demand) answered in ${Math.round(performance.now() - started)} ms`);

    t.diagnostic(`idle stop: ${await waitIdleStop(host, run, first)}`);

    started = performance.now();
    const second = await requestStarts(host, port);
    t.diagnostic(`second cold start answered in ${Math.round(performance.now() - started)} ms`);
    assert.notEqual(second, first, 'a new process');
    assert.deepEqual(await aliveOf([first]), [], 'the first one stays gone');
  });

  test('the host killed while the agent runs: a new host adopts it with its pid and internal port and relays to it again', { skip, timeout: 180_000 }, async (t) => {
    const { dataDir, run, port } = await onDemandDir();
    const firstHost = await startLaneHost(lane.nodeExe, dataDir, 'a');
    await waitStatus(firstHost, (s) => s.onDemand?.listening === true, 20_000, 'the relay to listen on the public port');
    const pid = await requestStarts(firstHost, port);
    const internalPort = (await status(firstHost)).onDemand.internalPort as number;
    // the internal port is recorded where the next host reads it back
    const record = JSON.parse(readFileSync(path.join(run, 'od.pid'), 'utf8')) as { pid: number; internalPort?: number };
    const saved = JSON.parse(readFileSync(path.join(run, 'od.state.json'), 'utf8')) as { internalPort?: number | null };
    assert.equal(record.pid, pid);
    assert.equal(record.internalPort, internalPort, `run/od.pid records the internal port: ${JSON.stringify(record)}`);
    assert.equal(saved.internalPort, internalPort, `run/od.state.json records the internal port: ${JSON.stringify(saved)}`);
    const [facts] = await info(pid);

    // a crash of the host: its relay's listener goes with it, the agent (out of its job) stays
    await killHostHard(firstHost);
    await waitAllGone([firstHost.windowsPid], 10_000);
    assert.deepEqual(await aliveOf([pid]), [pid], 'the agent outlives the killed host');

    const secondHost = await startLaneHost(lane.nodeExe, dataDir, 'b');
    const adopted = await waitStatus(secondHost, (s) => s.onDemand?.listening === true, 20_000, 'the new host\'s relay to listen on the public port');
    assert.equal(adopted.state, 'running', JSON.stringify(adopted));
    assert.equal(adopted.adopted, true);
    assert.equal(adopted.pid, pid, 'adopted with the pid it had');
    assert.equal(adopted.onDemand.internalPort, internalPort, 'and the internal port it listens on');
    const [same] = await info(pid);
    assert.equal(same?.createdMs, facts?.createdMs, 'the same process, not a new one with the same pid');

    // a request through the public port reaches that very process: no second start
    const answer = await health(port);
    assert.equal(answer.status, 200);
    assert.equal(answer.pid, pid, 'answered by the adopted agent');
    assert.equal((await status(secondHost)).pid, pid);

    // the adopted agent is idle-stopped by the new host like one it started
    t.diagnostic(`the adopted agent's idle stop by the new host: ${await waitIdleStop(secondHost, run, pid)}`);
  });
});
