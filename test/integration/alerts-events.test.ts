// Two windows agree on alerts: marking read or clearing through one client is an event every other
// client receives (alerts-read with exactly the ids that changed, alerts-cleared), over the HTTP
// host's event stream and over the desktop window's IPC feed alike.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { AgentTrayApp } from '../../electron/app/application.js';
import { registerCommandHandlers } from '../../electron/main/ipc/command-handler.js';
import { WindowEventChannel } from '../../electron/main/ipc/event-channel.js';
import { WindowFeed } from '../../electron/main/ipc/window-feed.js';
import { createPreloadBridge } from '../../electron/preload/bridge.js';
import { adoptPreloadBridge, type AgentTrayBridge, type BridgeEvent } from '../../shared/bridge.js';
import { COMMAND_NAMES } from '../../shared/commands.js';
import type { Cleanups } from '../helpers/engine.js';
import { FakeIpcMain, FakeWindow } from '../helpers/fake-ipc.js';
import { startHost } from '../helpers/http-host.js';
import { fixture, killTracked, track } from '../helpers/processes.js';
import { isEvent, openEventStream } from '../helpers/sse-client.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait.js';

const cleanups: Cleanups = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0).reverse()) await c();
});

const crasher = (name: string) => ({ name, command: process.execPath, args: [fixture('crasher.mjs')], restart: { policy: 'no' as const } });

test('marking read in one client sends alerts-read (the ids that changed) to another client\'s stream; clearing sends alerts-cleared', async () => {
  const host = await startHost(cleanups, { agents: [crasher('one'), crasher('two')] });
  const auth = { authorization: `Bearer ${host.token}` };
  const other = await openEventStream(`${host.url}/api/events`, auth);
  cleanups.push(() => other.close());
  await other.next(isEvent('snapshot'), 5_000, 'the snapshot');

  await host.api('POST', '/api/agents/one/start');
  await host.api('POST', '/api/agents/two/start');
  await waitFor(async () => (await host.api('GET', '/api/alerts')).body.alerts.length >= 2, 10_000, 'an alert for each crashed agent');
  const alerts = (await host.api('GET', '/api/alerts')).body.alerts as { id: number; name: string; read: boolean }[];
  const first = alerts.find((a) => a.name === 'one')!;

  // this client marks one alert read: the other stream hears exactly that id
  assert.equal((await host.api('POST', '/api/alerts/read', { ids: [first.id] })).body.marked, 1);
  const one = await other.next(isEvent('alerts-read'), 5_000, 'alerts-read for one alert');
  assert.deepEqual(JSON.parse(one.data ?? '').ids, [first.id]);

  // all: only the ids still unread are named
  const all = await host.api('POST', '/api/alerts/read', { all: true });
  const rest = await other.next(isEvent('alerts-read'), 5_000, 'alerts-read for the rest');
  const restIds = JSON.parse(rest.data ?? '').ids as number[];
  assert.equal(restIds.length, all.body.marked);
  assert.deepEqual(restIds.sort((a, b) => a - b), alerts.filter((a) => a.id !== first.id).map((a) => a.id).sort((a, b) => a - b));

  assert.ok((await host.api('DELETE', '/api/alerts')).body.cleared >= 2);
  await other.next(isEvent('alerts-cleared'), 5_000, 'alerts-cleared');
  assert.deepEqual((await host.api('GET', '/api/alerts')).body.alerts, []);
});

test('the desktop window hears alerts-read and alerts-cleared over IPC when another client reads or clears', async () => {
  const { dir, cleanup } = await tempDir();
  writeFileSync(`${dir}/agents.json`, JSON.stringify({ agents: [crasher('one')] }));
  const app = await AgentTrayApp.open({ dataDir: dir, watch: false });
  cleanups.push(cleanup, () => app.close());
  app.subscribe((e) => {
    if (e.type === 'state' && e.status.pid) track(e.status.pid);
  });
  const page = 'file:///app/dist/renderer/index.html';
  const ipcMain = new FakeIpcMain();
  const win = new FakeWindow(ipcMain, 3, page);
  const feed = new WindowFeed(new WindowEventChannel(win.webContents), (l) => app.subscribe(l));
  const off = registerCommandHandlers(ipcMain, { dispatch: (name, input) => app.dispatch(name, input), trusted: { webContentsId: () => 3, pageUrl: page }, onReady: () => feed.ready(), log: () => {} });
  cleanups.push(off, () => feed.dispose());
  const bridge = adoptPreloadBridge(createPreloadBridge(win.ipcRenderer, COMMAND_NAMES, '9.9.9') as unknown as AgentTrayBridge);
  const seen: BridgeEvent[] = [];
  const unsubscribe = bridge.subscribe((e) => seen.push(e));
  cleanups.push(unsubscribe);

  await app.dispatch('startAgent', { name: 'one' }).catch(() => undefined);
  await waitFor(() => seen.some((e) => e.type === 'alert'), 10_000, 'the crash alert in the window');
  const alert = seen.find((e): e is Extract<BridgeEvent, { type: 'alert' }> => e.type === 'alert')!.alert;

  // another client (the HTTP API, the CLI) reads and clears through the same command table
  await app.dispatch('markAlertsRead', { ids: [alert.id] });
  await waitFor(() => seen.some((e) => e.type === 'alerts-read'), 5_000, 'alerts-read in the window');
  assert.deepEqual(seen.find((e) => e.type === 'alerts-read'), { type: 'alerts-read', ids: [alert.id] });
  await app.dispatch('clearAlerts', {});
  await waitFor(() => seen.some((e) => e.type === 'alerts-cleared'), 5_000, 'alerts-cleared in the window');
});
