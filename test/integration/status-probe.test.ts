// An agent's status names its health probe (kind, target, interval with the settings' defaults),
// or null without one, so that a window shows health only where something probes it; every probe's
// answer reaches clients, and the status carries the last one.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { AgentTrayApp } from '../../electron/app/application.js';
import type { ProbeResult } from '../../shared/status.js';
import { freePort } from '../helpers/ports.js';
import { fixture, killTracked, track } from '../helpers/processes.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait.js';

test('the status says which probe an agent has, with the default interval from the settings, and null without one', async () => {
  const { dir, cleanup } = await tempDir();
  after(cleanup);
  const agent = (name: string, extra: Record<string, unknown> = {}) => ({ name, command: process.execPath, args: ['-e', ''], ...extra });
  writeFileSync(
    `${dir}/agents.json`,
    JSON.stringify({
      agents: [
        agent('web', { health: { http: { url: 'http://127.0.0.1:8123/health' }, intervalMs: 2500 } }),
        agent('db', { health: { tcp: { port: 5432 } } }),
        agent('check', { health: { command: ['curl', '-f', 'http://x'] } }),
        agent('timings-only', { health: { intervalMs: 1000 } }),
        agent('plain'),
      ],
    }),
  );
  writeFileSync(`${dir}/settings.json`, JSON.stringify({ defaults: { health: { intervalMs: 7000 } } }));
  const app = await AgentTrayApp.open({ dataDir: dir });
  after(() => app.close({ stopAgents: true }));
  const probeOf = async (name: string) => (await app.dispatch('getAgent', { name })).probe;
  assert.deepEqual(await probeOf('web'), { kind: 'http', target: 'http://127.0.0.1:8123/health', intervalMs: 2500 });
  assert.deepEqual(await probeOf('db'), { kind: 'tcp', target: '127.0.0.1:5432', intervalMs: 7000 });
  assert.deepEqual(await probeOf('check'), { kind: 'command', target: 'curl -f http://x', intervalMs: 7000 });
  assert.equal(await probeOf('timings-only'), null);
  assert.equal(await probeOf('plain'), null);
  const { agents } = await app.dispatch('listAgents', {});
  assert.equal(agents.find((s) => s.name === 'plain')?.probe, null);
});

test('every probe reaches clients as a probe event (not only those that change the health), and the status carries the last one', async () => {
  const { dir, cleanup } = await tempDir();
  after(cleanup);
  const port = await freePort();
  const web = { name: 'web', command: process.execPath, args: [fixture('http-server.mjs')], env: { PORT: String(port) }, health: { http: { url: `http://127.0.0.1:${port}/health` }, intervalMs: 150, startPeriodMs: 0 } };
  writeFileSync(`${dir}/agents.json`, JSON.stringify({ agents: [web] }));
  const app = await AgentTrayApp.open({ dataDir: dir });
  after(() => app.close({ stopAgents: true }));
  after(killTracked);
  const probes: ProbeResult[] = [];
  let healthChanges = 0;
  app.subscribe((e) => {
    if (e.type === 'probe' && e.name === 'web') probes.push(e.probe);
    if (e.type === 'health-changed' && e.name === 'web') healthChanges++;
  });
  const started = await app.dispatch('startAgent', { name: 'web' });
  track(started.pid);
  await waitFor(() => probes.filter((p) => p.ok).length >= 4, 15_000, 'four answered probes');
  assert.ok(healthChanges < probes.length, `more probes (${probes.length}) than health changes (${healthChanges})`);
  const status = await app.dispatch('getAgent', { name: 'web' });
  assert.ok(status.lastProbe, 'the status carries the last probe');
  assert.ok(probes.some((p) => p.at === status.lastProbe!.at && p.detail === status.lastProbe!.detail), 'the last probe is one that was sent');
  assert.match(status.lastProbe.detail, /HTTP 200/);
});
