// On-demand agents through a real relay: the first request starts the agent, requests held during
// its start are answered, idleStopMs without a connection stops it, the next request starts it again.
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { writeFileSync } from 'node:fs';
import { AgentTrayApp } from '../../electron/app/application.js';
import { accepts } from '../../electron/core/on-demand/tcp.js';
import { OnDemandManager } from '../../electron/core/on-demand/manager.js';
import type { Engine } from '../../electron/core/engine.js';
import { engineWith, isState, type Cleanups } from '../helpers/engine.js';
import { freePort } from '../helpers/ports.js';
import { rawRequest } from '../helpers/raw-request.js';
import { tempDir } from '../helpers/temp-dir.js';
import { alive, fixture, killTracked, track } from '../helpers/processes.js';
import { waitFor, waitForEvent } from '../helpers/wait.js';

const cleanups: Cleanups = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** GET on 127.0.0.1:port without keep-alive (an idle pooled connection would hold the agent up). */
const get = (port: number, path: string) => rawRequest(port, { path });

/** An engine with one on-demand agent and its relay listening. */
async function relayed(command: string, args: string[], env: Record<string, string>, idleStopMs: number): Promise<{ engine: Engine; port: number }> {
  const port = await freePort();
  const engine = await engineWith(cleanups, [{ name: 'od', command, args, env, port, onDemand: { idleStopMs }, startTimeoutMs: 10_000 }]);
  engine.subscribe((e) => {
    if (e.type === 'state' && e.status.pid) track(e.status.pid);
  });
  const manager = new OnDemandManager(engine);
  managers.set(engine, manager);
  cleanups.push(() => manager.close());
  await manager.sync(engine.listDefinitions());
  assert.equal(engine.status('od').onDemand?.listening, true);
  return { engine, port };
}

const managers = new WeakMap<Engine, OnDemandManager>();
/** The relay manager relayed() made for an engine. */
const relays = (engine: Engine): OnDemandManager => managers.get(engine)!;

describe('on-demand start and idle stop', () => {
  it('starts on the first request, holds requests during the start, stops when idle and starts again', async () => {
    const { engine, port } = await relayed(process.execPath, [fixture('http-server.mjs')], { LISTEN_DELAY_MS: '400' }, 800);
    assert.equal(engine.status('od').state, 'stopped');

    // three requests while it loads: all held, all answered by the same process
    const answers = await Promise.all([get(port, '/health'), get(port, '/health'), get(port, '/health')]);
    const pids = answers.map((a) => (JSON.parse(a.body) as { pid: number }).pid);
    assert.deepEqual(answers.map((a) => a.status), [200, 200, 200]);
    assert.equal(new Set(pids).size, 1);
    const first = engine.status('od');
    assert.equal(first.state, 'running');
    assert.equal(first.pid, pids[0]);
    assert.ok(first.onDemand?.internalPort && first.onDemand.internalPort !== port, 'the agent listens on an internal port');
    assert.equal(first.onDemand?.publicPort, port);

    await waitForEvent(engine, isState('od', 'stopped'), 5000, 'the idle stop');
    await waitFor(() => !alive(pids[0]!), 5000, 'the agent process to be gone');
    assert.equal(engine.status('od').onDemand?.listening, true, 'Agent Tray still listens on the public port');
    assert.equal(typeof engine.status('od').onDemand?.idleSince, 'number');

    const again = await get(port, '/health');
    const pid2 = (JSON.parse(again.body) as { pid: number }).pid;
    assert.notEqual(pid2, pids[0]);
    assert.equal(engine.status('od').state, 'running');
  });

  it('relays bytes both ways on a long-lived connection, which holds off the idle stop', async () => {
    const { engine, port } = await relayed(process.execPath, [fixture('tcp-echo.mjs')], {}, 300);
    const socket = connect({ host: '127.0.0.1', port });
    cleanups.push(() => void socket.destroy());
    const echoed = (text: string) =>
      new Promise<string>((resolve) => {
        socket.once('data', (d) => resolve(d.toString()));
        socket.write(text);
      });
    assert.equal(await echoed('hello'), 'hello');
    assert.equal(engine.status('od').onDemand?.connections, 1);
    // three idle periods pass with the connection open and quiet: the agent must keep running
    await new Promise((r) => setTimeout(r, 900));
    assert.equal(engine.status('od').state, 'running');
    assert.equal(await echoed('still here'), 'still here');
    const stopped = waitForEvent(engine, isState('od', 'stopped'), 5000, 'the idle stop after the connection closed');
    socket.end();
    await stopped;
  });

  it('gives the start the internal port in PORT and ${PORT}, also for a person\'s start', async () => {
    const { engine, port } = await relayed(process.execPath, [fixture('http-server.mjs')], { SEEN: 'port=${PORT}' }, 60_000);
    const status = await engine.start('od');
    track(status.pid);
    const internal = status.onDemand?.internalPort;
    assert.ok(internal);
    assert.equal(engine.runContext('od').env.PORT, String(internal));
    assert.equal(engine.runContext('od').env.SEEN, `port=${internal}`);
    const answer = await get(port, '/health');
    assert.equal((JSON.parse(answer.body) as { pid: number }).pid, status.pid);
  });

  it('a definition change with the same port keeps open connections; a new port moves the relay without stopping what the new one serves', async () => {
    const { engine, port } = await relayed(process.execPath, [fixture('tcp-echo.mjs')], {}, 300);
    const first = connect({ host: '127.0.0.1', port });
    cleanups.push(() => void first.destroy());
    const echo = (socket: ReturnType<typeof connect>, text: string) =>
      new Promise<string>((resolve) => {
        socket.once('data', (d) => resolve(d.toString()));
        socket.write(text);
      });
    assert.equal(await echo(first, 'one'), 'one');
    // only idleStopMs changes: the relay keeps its connections
    const def = engine.listDefinitions()[0]!;
    engine.setDefinitions([{ ...def, onDemand: { idleStopMs: 400 } }]);
    await relays(engine).sync(engine.listDefinitions());
    assert.equal(await echo(first, 'two'), 'two', 'the open connection survived the edit');
    // a new port: the old relay closes (cutting its connection), the new one serves a new client
    const port2 = await freePort();
    engine.setDefinitions([{ ...def, port: port2, onDemand: { idleStopMs: 400 } }]);
    await relays(engine).sync(engine.listDefinitions());
    const second = connect({ host: '127.0.0.1', port: port2 });
    cleanups.push(() => void second.destroy());
    assert.equal(await echo(second, 'three'), 'three');
    const pid = engine.status('od').pid;
    // three idle periods of the old relay pass: its cut connection must not stop the agent the new relay serves
    await new Promise((r) => setTimeout(r, 1300));
    assert.equal(engine.status('od').state, 'running');
    assert.equal(engine.status('od').pid, pid);
    assert.equal(await echo(second, 'four'), 'four');
  });

  it('closes held connections when the start fails', async () => {
    const { engine, port } = await relayed('agent-tray-no-such-program-xyz', [], {}, 800);
    await assert.rejects(get(port, '/'), /socket hang up|ECONNRESET/);
    assert.equal(engine.status('od').state, 'errored');
    assert.equal(engine.status('od').onDemand?.connections, 0);
  });

  it('the application opens a relay for each on-demand agent, follows definition changes and closes it with the host', async () => {
    const { dir, cleanup } = await tempDir();
    cleanups.push(cleanup);
    const port = await freePort();
    writeFileSync(`${dir}/agents.json`, JSON.stringify({ agents: [{ name: 'od', command: process.execPath, args: [fixture('http-server.mjs')], port, onDemand: { idleStopMs: 60_000 } }] }));
    const app = await AgentTrayApp.open({ dataDir: dir, watch: false });
    let closed = false;
    cleanups.push(() => (closed ? undefined : app.close({ stopAgents: true })));
    assert.equal(app.engine.status('od').onDemand?.listening, true);
    app.engine.setDefinitions([{ name: 'od', command: process.execPath, args: [fixture('http-server.mjs')], port }]);
    await waitFor(() => app.engine.status('od').onDemand === undefined, 2000, 'the relay to close with onDemand removed');
    app.engine.setDefinitions([{ name: 'od', command: process.execPath, args: [fixture('http-server.mjs')], port, onDemand: { idleStopMs: 60_000 } }]);
    await waitFor(() => app.engine.status('od').onDemand?.listening === true, 2000, 'the relay to open again');
    closed = true;
    await app.close();
    assert.equal(await accepts(port), false, 'the public port is closed with the host');
  });
});
