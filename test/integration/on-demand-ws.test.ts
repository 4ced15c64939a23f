// WebSockets through the on-demand relay: the upgrade waits for the agent's start, frames pass both ways,
// an open WebSocket holds off the idle stop, and closing it lets the agent stop.
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { WebSocket, type RawData } from 'ws';
import { OnDemandManager } from '../../electron/core/on-demand/manager.js';
import type { Engine } from '../../electron/core/engine.js';
import { engineWith, isState, type Cleanups } from '../helpers/engine.js';
import { freePort } from '../helpers/ports.js';
import { alive, fixture, killTracked, track } from '../helpers/processes.js';
import { waitFor, waitForEvent } from '../helpers/wait.js';

const cleanups: Cleanups = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** An engine with one on-demand ws-echo agent and its relay listening on a public port. */
async function relayed(env: Record<string, string>, idleStopMs: number): Promise<{ engine: Engine; port: number }> {
  const port = await freePort();
  const engine = await engineWith(cleanups, [{ name: 'od', command: process.execPath, args: [fixture('ws-echo.mjs')], env, port, onDemand: { idleStopMs }, startTimeoutMs: 10_000 }]);
  engine.subscribe((e) => {
    if (e.type === 'state' && e.status.pid) track(e.status.pid);
  });
  const manager = new OnDemandManager(engine);
  cleanups.push(() => manager.close());
  await manager.sync(engine.listDefinitions());
  assert.equal(engine.status('od').onDemand?.listening, true);
  return { engine, port };
}

/** A frame as the client received it. */
type Frame = { data: Buffer; binary: boolean };

/** A WebSocket client to 127.0.0.1:port, open, with its frames queued for `next()`; terminated by `cleanups`. */
async function client(port: number): Promise<{ ws: WebSocket; next: () => Promise<Frame> }> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/`);
  cleanups.push(() => ws.terminate());
  const queued: Frame[] = [];
  const waiting: ((f: Frame) => void)[] = [];
  ws.on('message', (data: RawData, binary: boolean) => {
    const frame = { data: Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer), binary };
    const take = waiting.shift();
    if (take) take(frame);
    else queued.push(frame);
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const next = () => {
    const frame = queued.shift();
    if (frame) return Promise.resolve(frame);
    return new Promise<Frame>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out after 5000 ms waiting for a WebSocket message')), 5000);
      waiting.push((f) => {
        clearTimeout(timer);
        resolve(f);
      });
    });
  };
  return { ws, next };
}

/** Splits an echo "<pid>:<payload>" into the answering pid and the payload. */
function echo(frame: Frame): { pid: number; payload: Buffer; binary: boolean } {
  const colon = frame.data.indexOf(0x3a);
  return { pid: Number(frame.data.subarray(0, colon).toString()), payload: frame.data.subarray(colon + 1), binary: frame.binary };
}

describe('on-demand WebSockets', () => {
  it('answers the upgrade once the agent started, relays frames both ways and holds off the idle stop while open', async () => {
    const { engine, port } = await relayed({}, 300);
    assert.equal(engine.status('od').state, 'stopped');

    const { ws, next } = await client(port);
    assert.equal(engine.status('od').state, 'running');
    const pid = engine.status('od').pid;
    assert.ok(pid);

    // several text frames in a row, answered in order by the agent's process
    const texts = ['one', 'two', 'three', 'x'.repeat(70_000)];
    for (const t of texts) ws.send(t);
    for (const t of texts) {
      const got = echo(await next());
      assert.deepEqual([got.pid, got.payload.toString(), got.binary], [pid, t, false]);
    }
    // a binary frame stays binary, every byte value intact
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    ws.send(bytes);
    const bin = echo(await next());
    assert.equal(bin.binary, true);
    assert.equal(bin.pid, pid);
    assert.ok(bin.payload.equals(bytes), 'the binary payload comes back unchanged');
    assert.equal(engine.status('od').onDemand?.connections, 1);

    // three idle periods pass with the WebSocket open and quiet: the agent must keep running
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(engine.status('od').state, 'running');
    assert.equal(engine.status('od').pid, pid);
    assert.equal(engine.status('od').onDemand?.connections, 1);
    ws.send('still here');
    assert.equal(echo(await next()).payload.toString(), 'still here');

    const stopped = waitForEvent(engine, isState('od', 'stopped'), 5000, 'the idle stop after the WebSocket closed');
    ws.close(1000, 'done');
    await stopped;
    await waitFor(() => !alive(pid), 5000, 'the agent process to be gone');
    assert.equal(engine.status('od').onDemand?.connections, 0);
    assert.equal(engine.status('od').onDemand?.listening, true, 'Agent Tray still listens on the public port');
  });

  it('holds several WebSockets opened during a slow start and serves them all from the same process', async () => {
    const { engine, port } = await relayed({ LISTEN_DELAY_MS: '400' }, 800);
    assert.equal(engine.status('od').state, 'stopped');

    const clients = await Promise.all([client(port), client(port), client(port)]);
    assert.equal(engine.status('od').onDemand?.connections, 3);
    const pids: number[] = [];
    for (const [i, c] of clients.entries()) {
      c.ws.send(`client ${i}`);
      const got = echo(await c.next());
      assert.equal(got.payload.toString(), `client ${i}`);
      pids.push(got.pid);
    }
    assert.equal(new Set(pids).size, 1, `one process answered every client (got ${pids.join(', ')})`);
    assert.equal(engine.status('od').pid, pids[0]);

    const stopped = waitForEvent(engine, isState('od', 'stopped'), 5000, 'the idle stop after every WebSocket closed');
    for (const c of clients) c.ws.close();
    await stopped;
  });
});
