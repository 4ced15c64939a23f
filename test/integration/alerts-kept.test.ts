// Alerts through the application: kept in alerts.jsonl across a close and a reopen of the host,
// marked read (some, then all), filtered by agent and severity, cleared; one orphan stopped by pid.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { AgentTrayApp } from '../../electron/app/application.js';
import { tempDir } from '../helpers/temp-dir.js';
import { fixture, killTracked, track } from '../helpers/processes.js';
import { rejectsWith } from '../helpers/rejections.js';
import { waitFor } from '../helpers/wait.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Opens the app over `dir`, tracking every pid its agents get. */
async function openApp(dir: string): Promise<AgentTrayApp> {
  const app = await AgentTrayApp.open({ dataDir: dir, watch: false });
  app.subscribe((e) => {
    if (e.type === 'state' && e.status.pid) track(e.status.pid);
  });
  return app;
}

const crasher = (name: string) => ({ name, command: process.execPath, args: [fixture('crasher.mjs')], restart: { policy: 'no' } });

test('alerts survive a close and reopen, with read flags; filters, mark all read and clear work', async () => {
  const { dir, cleanup } = await tempDir();
  cleanups.push(cleanup);
  writeFileSync(`${dir}/agents.json`, JSON.stringify({ agents: [crasher('one'), crasher('two')] }));
  let app = await openApp(dir);
  let open = true;
  cleanups.push(() => (open ? app.close() : undefined));
  await app.dispatch('startAgent', { name: 'one' }).catch(() => undefined);
  await app.dispatch('startAgent', { name: 'two' }).catch(() => undefined);
  await waitFor(async () => (await app.dispatch('listAlerts', {})).alerts.length >= 2, 10_000, 'an alert for each crashed agent');
  const first = await app.dispatch('listAlerts', {});
  assert.ok(first.alerts.every((a) => a.read === false));
  const ofOne = await app.dispatch('listAlerts', { agent: 'one' });
  assert.ok(ofOne.alerts.length >= 1 && ofOne.alerts.every((a) => a.name === 'one'));
  assert.equal((await app.dispatch('markAlertsRead', { ids: [ofOne.alerts[0]!.id] })).marked, 1);
  await rejectsWith(app.dispatch('markAlertsRead', {}), 'bad-request'); // neither ids nor all

  await app.close();
  open = false;
  app = await openApp(dir);
  open = true;
  const kept = await app.dispatch('listAlerts', {});
  assert.deepEqual(kept.alerts.map((a) => [a.id, a.name, a.read]), first.alerts.map((a) => [a.id, a.name, a.id === ofOne.alerts[0]!.id]));
  const severities = new Set(kept.alerts.map((a) => a.severity));
  for (const severity of severities) assert.ok((await app.dispatch('listAlerts', { severity })).alerts.every((a) => a.severity === severity));

  assert.equal((await app.dispatch('markAlertsRead', { all: true })).marked, kept.alerts.length - 1);
  assert.equal((await app.dispatch('clearAlerts', {})).cleared, kept.alerts.length);
  await app.close();
  open = false;
  assert.equal(readFileSync(`${dir}/alerts.jsonl`, 'utf8'), '');
  app = await openApp(dir);
  open = true;
  assert.deepEqual((await app.dispatch('listAlerts', {})).alerts, []);
});

test('stopOrphan refuses a pid that is not an orphan of ours', async () => {
  const { dir, cleanup } = await tempDir();
  cleanups.push(cleanup);
  writeFileSync(`${dir}/agents.json`, JSON.stringify({ agents: [] }));
  const app = await openApp(dir);
  cleanups.push(() => app.close());
  const err = await rejectsWith(app.dispatch('stopOrphan', { pid: process.pid }), 'not-found');
  assert.match(err.message, new RegExp(`Process ${process.pid} is not an orphan`));
});
