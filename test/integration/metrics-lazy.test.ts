// prom-client is loaded at the first scrape of /metrics, not when the host starts: a host nobody
// scrapes does not carry it (about 60 ms and a few MB). Its own file, so that no other test of
// the same process has loaded prom-client before.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import type { Cleanups } from '../helpers/engine.js';
import { startHost } from '../helpers/http-host.js';
import { killTracked } from '../helpers/processes.js';

const cleanups: Cleanups = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0)) await c();
});

/** True when prom-client's main module is in Node's module cache. */
const promClientLoaded = () => Object.keys(createRequire(import.meta.url).cache).some((file) => /[\\/]node_modules[\\/]prom-client[\\/]index\.js$/.test(file));

test('a host loads prom-client at the first scrape of /metrics, not before', async () => {
  const host = await startHost(cleanups);
  assert.equal((await host.api('GET', '/api/agents')).status, 200);
  assert.equal(promClientLoaded(), false, 'loaded before any scrape');
  const res = await fetch(`${host.url}/metrics`, { headers: { authorization: `Bearer ${host.token}` } });
  assert.equal(res.status, 200);
  assert.match(await res.text(), /^agent_tray_agents 0$/m);
  assert.equal(promClientLoaded(), true);
});
