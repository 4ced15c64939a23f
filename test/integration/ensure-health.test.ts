// ensure with a health probe, on real processes and sockets: it answers only once the probe
// passes (a server whose port opens 2.5 s after it starts, like a model that loads), refuses an
// agent that turns unhealthy after its start period with the probe's words, and says "not healthy"
// when the timeout comes first. Without a probe it answers as before (app-commands.test.ts).
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { AgentTrayApp } from '../../electron/app/application.js';
import type { AgentTrayError } from '../../electron/core/errors.js';
import { fixture, killTracked, track } from '../helpers/processes.js';
import { freePort } from '../helpers/ports.js';
import { tempDir } from '../helpers/temp-dir.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function openApp(agents: unknown[]): Promise<AgentTrayApp> {
  const { dir, cleanup } = await tempDir();
  writeFileSync(`${dir}/agents.json`, JSON.stringify({ agents }));
  const app = await AgentTrayApp.open({ dataDir: dir, sampleIntervalMs: 500 });
  cleanups.push(cleanup, () => app.close({ stopAgents: true }));
  app.subscribe((e) => {
    if (e.type === 'state' && e.status.pid) track(e.status.pid);
  });
  return app;
}

/** An http-server fixture on `port` whose port opens after `delayMs`, probed every 100 ms. */
function slowServer(name: string, port: number, delayMs: number, health: Record<string, unknown> = {}) {
  return {
    name,
    command: process.execPath,
    args: [fixture('http-server.mjs')],
    env: { PORT: String(port), LISTEN_DELAY_MS: String(delayMs) },
    health: { http: { url: `http://127.0.0.1:${port}/health` }, intervalMs: 100, timeoutMs: 500, startPeriodMs: 20_000, ...health },
  };
}

test('ensure waits until the health probe passes: the port answers when it returns', async () => {
  const port = await freePort();
  const app = await openApp([slowServer('model', port, 2_500)]);
  const began = Date.now();
  const status = await app.dispatch('ensureAgent', { name: 'model', timeoutMs: 20_000 });
  const tookMs = Date.now() - began;
  assert.equal(status.state, 'running');
  assert.equal(status.health, 'healthy');
  assert.ok(tookMs >= 2_500, `ensure answered after ${tookMs} ms, before the port opened`);
  const res = await fetch(`http://127.0.0.1:${port}/health`); // the job that runs after ensure
  assert.equal(res.status, 200);
  assert.equal(((await res.json()) as { pid: number }).pid, status.pid);

  // it runs and is healthy: a second ensure answers at once
  const again = Date.now();
  assert.equal((await app.dispatch('ensureAgent', { name: 'model', timeoutMs: 5_000 })).pid, status.pid);
  assert.ok(Date.now() - again < 1_000);
});

test('ensure refuses an agent that is unhealthy after its start period, with the probe\'s words', async () => {
  const port = await freePort(); // nothing ever listens there: the server waits an hour
  const app = await openApp([slowServer('stuck', port, 3_600_000, { startPeriodMs: 300, failureThreshold: 2 })]);
  const err = await app.dispatch('ensureAgent', { name: 'stuck', timeoutMs: 20_000 }).then(
    () => assert.fail('ensure must refuse an unhealthy agent'),
    (e: AgentTrayError) => e,
  );
  assert.equal(err.code, 'not-ready');
  assert.match(err.message, /Agent "stuck" is running but unhealthy: its health probe says .*(ECONNREFUSED|refused)/i);
  assert.equal(app.engine.status('stuck').health, 'unhealthy');
});

test('ensure times out saying the agent is not healthy yet when the probe has not passed in time', async () => {
  const port = await freePort();
  const app = await openApp([slowServer('slow', port, 3_600_000)]);
  const err = await app.dispatch('ensureAgent', { name: 'slow', timeoutMs: 1_500 }).then(
    () => assert.fail('ensure must not answer before the probe passes'),
    (e: AgentTrayError) => e,
  );
  assert.equal(err.code, 'timeout');
  assert.match(err.message, /Agent "slow" runs but was not healthy within 1500 ms \(its health is starting\)/);
});
