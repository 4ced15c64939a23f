// Settings through the API, on a real host and real files: read, change (applied at once where it
// can be, saved atomically, announced to subscribers), the sandbox refused, start at login only
// in the desktop app, the log folder.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { HostEvent } from '../../shared/events.js';
import { fixture, killTracked } from '../helpers/processes.js';
import { startHost } from '../helpers/http-host.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0).reverse()) await c();
});

test('GET /api/settings gives every setting with its default, and no start at login in the headless host', async () => {
  const host = await startHost(cleanups);
  const { status, body } = await host.api('GET', '/api/settings');
  assert.equal(status, 200);
  assert.equal(body.settings.maxConcurrent, null, 'no concurrency limit unless one is set');
  assert.equal(body.settings.notifications, true);
  assert.equal(body.settings.startAgentsOnLaunch, true);
  assert.deepEqual(body.settings.api, { enabled: true, port: 4821 });
  assert.equal(body.startAtLogin, null);
  assert.equal(body.settingsFile, path.join(host.dataDir, 'settings.json'));
});

test('PUT /api/settings applies, saves and announces a change; what needs a restart is named', async () => {
  const host = await startHost(cleanups);
  const events: HostEvent[] = [];
  host.app.subscribe((e) => events.push(e));
  const { status, body } = await host.api('PUT', '/api/settings', { maxConcurrent: 9, notifications: false, onQuit: 'stop-all', api: { enabled: false, port: 5000 } });
  assert.equal(status, 200, JSON.stringify(body));
  assert.equal(body.settings.maxConcurrent, 9);
  assert.deepEqual(body.appliesAfterRestart, ['api']);
  assert.equal(host.app.engine.maxConcurrent, 9, 'applied to the engine at once');
  const saved = JSON.parse(readFileSync(path.join(host.dataDir, 'settings.json'), 'utf8'));
  assert.deepEqual({ m: saved.maxConcurrent, n: saved.notifications, q: saved.onQuit }, { m: 9, n: false, q: 'stop-all' });
  const announced = events.find((e) => e.type === 'settings-changed');
  assert.ok(announced && announced.type === 'settings-changed' && announced.settings.notifications === false);
});

test('the sandbox and unknown or invalid settings are refused, naming the field; the file is untouched', async () => {
  const host = await startHost(cleanups);
  const file = path.join(host.dataDir, 'settings.json');
  const before = existsSync(file) ? readFileSync(file, 'utf8') : null;
  const sandbox = await host.api('PUT', '/api/settings', { sandbox: { allowedCommands: ['bash'] } });
  assert.equal(sandbox.status, 400);
  assert.match(sandbox.body.error.message, /sandbox/);
  const bad = await host.api('PUT', '/api/settings', { maxConcurrent: 0 });
  assert.equal(bad.status, 400);
  assert.match(bad.body.error.message, /maxConcurrent/);
  assert.equal(existsSync(file) ? readFileSync(file, 'utf8') : null, before);
});

test('start at login cannot be set in the headless host: 409 saying what to do instead', async () => {
  const host = await startHost(cleanups);
  const { status, body } = await host.api('PUT', '/api/settings/start-at-login', { enabled: true });
  assert.equal(status, 409);
  assert.match(body.error.message, /desktop app/);
  assert.match(body.error.hint, /systemd|launchd|Task Scheduler/);
});

test('start at login goes to the desktop hooks when the desktop app set them', async () => {
  const host = await startHost(cleanups);
  let on = false;
  const shown: string[] = [];
  host.app.desktop = { getStartAtLogin: async () => on, setStartAtLogin: async (e) => (on = e), showInFolder: (f) => void shown.push(f) };
  assert.equal((await host.api('PUT', '/api/settings/start-at-login', { enabled: true })).body.startAtLogin, true);
  assert.equal((await host.api('GET', '/api/settings')).body.startAtLogin, true);
  await host.api('POST', '/api/agents', { name: 'alpha', command: process.execPath, args: [fixture('well-behaved.mjs')] });
  const opened = await host.api('POST', '/api/agents/alpha/logs/open');
  assert.equal(opened.body.opened, true);
  assert.deepEqual(shown, [opened.body.stdout]);
});

test('the log folder of an agent is named (not opened) by the headless host; an unknown agent is a 404', async () => {
  const host = await startHost(cleanups, { agents: [{ name: 'alpha', command: process.execPath, args: [fixture('well-behaved.mjs')] }] });
  const { status, body } = await host.api('POST', '/api/agents/alpha/logs/open');
  assert.equal(status, 200);
  assert.equal(body.opened, false);
  assert.equal(body.folder, path.join(host.dataDir, 'logs'));
  assert.match(body.stdout, /alpha\.out\.log$/);
  assert.equal((await host.api('POST', '/api/agents/nobody/logs/open')).status, 404);
});

test('startAgentsOnLaunch off: autostart agents stay stopped', async () => {
  const host = await startHost(cleanups, { agents: [{ name: 'alpha', command: process.execPath, args: [fixture('well-behaved.mjs')], autostart: true }] });
  await host.api('PUT', '/api/settings', { startAgentsOnLaunch: false });
  const result = await host.app.startAutostartAgents();
  assert.deepEqual(result.results, []);
  assert.equal(host.app.engine.status('alpha').state, 'stopped');
});

test('a change of one key of api or defaults keeps the others', async () => {
  const host = await startHost(cleanups);
  await host.api('PUT', '/api/settings', { api: { enabled: false, port: 5000 }, defaults: { limits: { maxMemoryMB: 500 } } });
  const { body } = await host.api('PUT', '/api/settings', { api: { port: 6000 }, defaults: { restart: { policy: 'always' } } });
  assert.deepEqual(body.settings.api, { enabled: false, port: 6000 });
  assert.equal(body.settings.defaults.limits.maxMemoryMB, 500);
  assert.equal(body.settings.defaults.restart.policy, 'always');
});
