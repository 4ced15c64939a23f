// The window's bridge end to end except for Electron itself: the preload's bridge over a fake
// ipcRenderer/ipcMain pair (payloads structured-cloned as Electron does) to the real command
// handlers and a real application with real fixture agents.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { AgentTrayApp } from '../../electron/app/application.js';
import { registerCommandHandlers } from '../../electron/main/ipc/command-handler.js';
import { WindowEventChannel } from '../../electron/main/ipc/event-channel.js';
import { WindowFeed } from '../../electron/main/ipc/window-feed.js';
import { createPreloadBridge } from '../../electron/preload/bridge.js';
import { adoptPreloadBridge, BridgeError, IPC_CHANNELS, type AgentTrayBridge, type BridgeEvent } from '../../shared/bridge.js';
import { COMMAND_NAMES } from '../../shared/commands.js';
import { FakeIpcMain, FakeWindow } from '../helpers/fake-ipc.js';
import { fixture, killTracked, track } from '../helpers/processes.js';
import { tempDir } from '../helpers/temp-dir.js';

const PAGE = 'file:///app/dist/renderer/index.html';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A real app, the main process's IPC wrappers, and one window whose preload built the bridge. */
async function setUp(agents: unknown[] = []) {
  const { dir, cleanup } = await tempDir();
  writeFileSync(`${dir}/agents.json`, JSON.stringify({ agents }));
  const app = await AgentTrayApp.open({ dataDir: dir });
  cleanups.push(cleanup, () => app.close());
  app.subscribe((e) => {
    if (e.type === 'state' && e.status.pid) track(e.status.pid);
  });
  const ipcMain = new FakeIpcMain();
  const win = new FakeWindow(ipcMain, 3, PAGE);
  const log: string[] = [];
  const feed = new WindowFeed(new WindowEventChannel(win.webContents), (l) => app.subscribe(l));
  const off = registerCommandHandlers(ipcMain, {
    dispatch: (name, input) => app.dispatch(name, input),
    trusted: { webContentsId: () => 3, pageUrl: PAGE },
    onReady: () => feed.ready(),
    log: (line) => log.push(line),
  });
  cleanups.push(off, () => feed.dispose());
  const raw = createPreloadBridge(win.ipcRenderer, COMMAND_NAMES, '9.9.9');
  const bridge = adoptPreloadBridge(raw as unknown as AgentTrayBridge);
  return { app, ipcMain, win, bridge, raw, log };
}

/** Resolves with the first event `match` accepts, collecting every event meanwhile. */
function nextEvent(bridge: AgentTrayBridge, match: (e: BridgeEvent) => boolean, what: string, timeoutMs = 10_000): { done: Promise<BridgeEvent>; seen: BridgeEvent[]; stop: () => void } {
  const seen: BridgeEvent[] = [];
  let stop = () => {};
  const done = new Promise<BridgeEvent>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${what} within ${timeoutMs} ms; saw ${seen.map((e) => e.type).join(', ')}`)), timeoutMs);
    const off = bridge.subscribe((e) => {
      seen.push(e);
      if (match(e)) {
        clearTimeout(timer);
        resolve(e);
      }
    });
    stop = () => {
      clearTimeout(timer);
      off();
    };
  });
  return { done, seen, stop };
}

test('the bridge has one function per command, the version and the host', async () => {
  const { raw } = await setUp();
  for (const name of COMMAND_NAMES) assert.equal(typeof raw[name], 'function', name);
  assert.equal(raw.version, '9.9.9');
  assert.equal(raw.host, 'electron');
  assert.equal('ipcRenderer' in raw, false);
});

test('commands run in the real app and their results survive the IPC copy', async () => {
  const { bridge } = await setUp([{ name: 'alpha', command: process.execPath, args: [fixture('well-behaved.mjs')] }]);
  const list = await bridge.listAgents();
  assert.deepEqual(list.agents.map((a) => a.name), ['alpha']);
  const created = await bridge.createAgent({ definition: { name: 'beta', command: process.execPath, args: [fixture('well-behaved.mjs')] } });
  assert.equal(created.name, 'beta');
  assert.deepEqual((await bridge.listAgents()).agents.map((a) => a.name).sort(), ['alpha', 'beta']);
});

test('a refused command rejects with a BridgeError carrying the API code and message', async () => {
  const { bridge, raw } = await setUp([{ name: 'alpha', command: process.execPath, args: [fixture('well-behaved.mjs')] }]);
  await assert.rejects(bridge.startAgent({ name: 'nobody' }), (err: unknown) => {
    assert.ok(err instanceof BridgeError);
    assert.equal(err.code, 'unknown-agent');
    assert.match(err.message, /No agent named "nobody".*alpha/);
    assert.match(err.hint ?? '', /spelling/);
    return true;
  });
  await assert.rejects(bridge.createAgent({ definition: { name: '../x', command: 'node' } }), (err: unknown) => {
    assert.ok(err instanceof BridgeError);
    assert.equal(err.code, 'bad-request');
    assert.match(err.message, /name/);
    return true;
  });
  // the raw preload function rejects with a plain object: that is what survives contextBridge
  await assert.rejects(raw.getAgent({ name: 'nobody' }), (err: unknown) => {
    assert.equal(err instanceof Error, false);
    assert.equal((err as { code: string }).code, 'unknown-agent');
    return true;
  });
});

test('subscribe gets a snapshot first, then live events; start and stop a real agent over the bridge', async () => {
  const { bridge } = await setUp([{ name: 'alpha', command: process.execPath, args: [fixture('well-behaved.mjs')] }]);
  const running = nextEvent(bridge, (e) => e.type === 'state' && e.name === 'alpha' && e.to === 'running', 'alpha running');
  try {
    await new Promise((r) => setImmediate(r));
    assert.equal(running.seen[0]?.type, 'snapshot');
    const status = await bridge.startAgent({ name: 'alpha' });
    track(status.pid);
    await running.done;
    const stopped = nextEvent(bridge, (e) => e.type === 'state' && e.name === 'alpha' && e.to === 'stopped', 'alpha stopped');
    try {
      await bridge.stopAgent({ name: 'alpha' });
      await stopped.done;
    } finally {
      stopped.stop();
    }
  } finally {
    running.stop();
  }
});

test('unsubscribing the last listener removes the page listener; subscribing again gets a fresh snapshot', async () => {
  const { bridge, win } = await setUp();
  const first = nextEvent(bridge, (e) => e.type === 'snapshot', 'snapshot');
  await first.done;
  assert.equal(win.listenerCount(IPC_CHANNELS.event), 1);
  first.stop();
  assert.equal(win.listenerCount(IPC_CHANNELS.event), 0);
  const second = nextEvent(bridge, (e) => e.type === 'snapshot', 'second snapshot');
  await second.done;
  second.stop();
});

test('a sub-frame or another page of the window is refused and logged; its ready signal is ignored', async () => {
  const { bridge, win, log } = await setUp();
  win.fromSubFrame = true;
  await assert.rejects(bridge.listAgents(), (err: unknown) => err instanceof BridgeError && err.code === 'forbidden-origin' && /sub-frame/.test(err.message));
  win.fromSubFrame = false;
  win.url = 'https://evil.example/';
  await assert.rejects(bridge.listAgents(), (err: unknown) => err instanceof BridgeError && /evil\.example/.test(err.message));
  const off = bridge.subscribe(() => {});
  off();
  assert.equal(win.sent.length, 0, 'no events for an untrusted page');
  assert.equal(log.length, 3);
  assert.match(log.join('\n'), /refused the IPC command listAgents/);
});

test('an unknown command name is answered with not-found, listing the real ones', async () => {
  const { win } = await setUp();
  const reply = (await win.ipcRenderer.invoke(IPC_CHANNELS.command, 'rmRf', {})) as { ok: boolean; error: { code: string; hint: string } };
  assert.equal(reply.ok, false);
  assert.equal(reply.error.code, 'not-found');
  assert.match(reply.error.hint, /startAgent/);
});

test('events for a window that was destroyed are dropped without an error', async () => {
  const { bridge, win, app } = await setUp([{ name: 'alpha', command: process.execPath, args: [fixture('well-behaved.mjs')] }]);
  const snap = nextEvent(bridge, (e) => e.type === 'snapshot', 'snapshot');
  await snap.done;
  win.destroyed = true;
  const before = win.sent.length;
  await app.dispatch('updateAgent', { name: 'alpha', definition: { name: 'alpha', command: process.execPath, args: [fixture('well-behaved.mjs'), '--x'] } });
  assert.equal(win.sent.length, before);
  snap.stop();
});
