// GET /metrics on a real host with real fixture agents: the token, the values a running agent gives,
// a real crash counted as restarts, promtool's check of the live exposition, and `metrics.public`
// (loopback only; off loopback it is ignored with a warning).
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import Fastify from 'fastify';
import type { AppApi } from '../../electron/app/application.js';
import { registerMetricsRoute } from '../../electron/server/metrics.js';
import type { HostEvent } from '../../shared/events.js';
import type { Cleanups } from '../helpers/engine.js';
import { startHost, type TestHost } from '../helpers/http-host.js';
import { fixture, killTracked, track } from '../helpers/processes.js';
import { NO_PROMTOOL, promtoolCheck, samplesOf, valueOf } from '../helpers/prom-text.js';
import { waitFor } from '../helpers/wait.js';

const cleanups: Cleanups = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0)) await c();
});

const node = process.execPath;
const behaves = (name: string, group?: string) => ({ name, command: node, args: [fixture('well-behaved.mjs')], ...(group ? { groups: [group] } : {}) });

/** GET /metrics: the status, the content type and the text. */
async function scrape(host: TestHost, headers: Record<string, string> = { authorization: `Bearer ${host.token}` }): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(`${host.url}/metrics`, { headers });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

/** Resolves when the host has a resource sample of every agent named. */
async function sampled(host: TestHost, names: string[]): Promise<void> {
  await waitFor(() => names.every((n) => host.app.engine.status(n).stats !== null), 15_000, `a resource sample of ${names.join(', ')}`);
}

test('with two agents running, /metrics gives them up with their memory, promtool finds nothing to say, and no token is a 401', async (t) => {
  const host = await startHost(cleanups, { agents: [behaves('web', 'models'), behaves('worker')] });
  for (const name of ['web', 'worker']) {
    const started = await host.api('POST', `/api/agents/${name}/start`);
    assert.equal(started.status, 200, JSON.stringify(started.body));
    assert.equal(started.body.state, 'running');
  }
  await sampled(host, ['web', 'worker']);

  const { status, type, text } = await scrape(host);
  assert.equal(status, 200, text);
  assert.equal(type, 'text/plain; version=0.0.4; charset=utf-8');
  for (const agent of ['web', 'worker']) {
    assert.equal(valueOf(text, 'agent_tray_agent_up', { agent }), 1, agent);
    assert.equal(valueOf(text, 'agent_tray_agent_state', { agent, state: 'running' }), 1, agent);
    assert.ok(valueOf(text, 'agent_tray_agent_resident_memory_bytes', { agent }) > 1024 * 1024, `${agent} uses memory`);
    assert.ok(valueOf(text, 'agent_tray_agent_processes', { agent }) >= 1, agent);
    assert.ok(valueOf(text, 'agent_tray_agent_uptime_seconds', { agent }) > 0, agent);
    assert.equal(valueOf(text, 'agent_tray_agent_restarts_total', { agent }), 0, agent);
  }
  assert.equal(valueOf(text, 'agent_tray_agent_group_info', { agent: 'web', group: 'models' }), 1);
  assert.equal(valueOf(text, 'agent_tray_agents'), 2);
  assert.equal(valueOf(text, 'agent_tray_agents_running'), 2);
  assert.ok(valueOf(text, 'process_resident_memory_bytes') > 10 * 1024 * 1024);
  assert.equal(samplesOf(text, 'agent_tray_build_info').length, 1);

  const none = await scrape(host, {});
  assert.equal(none.status, 401);
  const error = JSON.parse(none.text) as { error: { code: string; hint: string } };
  assert.equal(error.error.code, 'unauthorized');
  assert.match(error.error.hint, /credentials_file/);
  assert.match(error.error.hint, /"metrics": \{ "public": true \}/);
  assert.equal((await scrape(host, { authorization: `Bearer ${host.token}x` })).status, 401);

  const checked = await promtoolCheck(text);
  if (!checked) return t.skip(NO_PROMTOOL);
  assert.equal(checked.output, '', 'promtool reports no problem and no lint warning');
  assert.equal(checked.code, 0);
});

test('a real crash loop shows as restarts_total and a failed agent, matching the status', async () => {
  const crasher = { name: 'crash', command: node, args: [fixture('crasher.mjs')], restart: { policy: 'on-failure' as const, maxRestarts: 2, backoff: { initialMs: 50, maxMs: 100 } } };
  const host = await startHost(cleanups, { agents: [crasher] });
  const before = await scrape(host); // the counters count from the first scrape on
  assert.equal(valueOf(before.text, 'agent_tray_agent_restarts_total', { agent: 'crash' }), 0);

  const events: HostEvent[] = [];
  const gaveUp = new Promise<void>((resolve) => {
    const off = host.app.subscribe((e) => {
      events.push(e);
      if (e.type === 'state' && e.name === 'crash' && e.to === 'crashed') {
        off();
        resolve();
      }
    });
    cleanups.push(off);
  });
  await host.api('POST', '/api/agents/crash/start');
  await gaveUp;

  const status = host.app.engine.status('crash');
  assert.ok(status.restarts >= 2, `restarts ${status.restarts}`);
  const { text } = await scrape(host);
  assert.equal(valueOf(text, 'agent_tray_agent_restarts_total', { agent: 'crash' }), status.restarts);
  assert.equal(valueOf(text, 'agent_tray_agent_state', { agent: 'crash', state: 'crashed' }), 1);
  assert.equal(valueOf(text, 'agent_tray_agent_up', { agent: 'crash' }), 0);
  assert.equal(valueOf(text, 'agent_tray_agents_failed'), 1);
  assert.ok(valueOf(text, 'agent_tray_agent_last_run_duration_seconds', { agent: 'crash' }) >= 0);
  assert.ok(valueOf(text, 'agent_tray_alerts_unread') >= 1, 'the crash raised an alert');

  // a person starts it again: the status's count goes back to 0, the counter never goes down
  track(...events.flatMap((e) => (e.type === 'state' ? [e.status.pid] : [])));
  const again = new Promise<void>((resolve) => {
    const off = host.app.subscribe((e) => {
      if (e.type === 'state' && e.name === 'crash' && e.to === 'crashed') {
        off();
        resolve();
      }
    });
    cleanups.push(off);
  });
  await host.api('POST', '/api/agents/crash/start');
  await again;
  const after = await scrape(host);
  assert.equal(valueOf(after.text, 'agent_tray_agent_restarts_total', { agent: 'crash' }), status.restarts + host.app.engine.status('crash').restarts);
});

test('metrics.public on a loopback host: /metrics answers without the token, the rest of the API does not; turned off, the token is needed again', async () => {
  const host = await startHost(cleanups, { agents: [behaves('web')] });
  assert.equal((await scrape(host, {})).status, 401, 'off by default');

  const on = await host.api('PUT', '/api/settings', { metrics: { public: true } });
  assert.equal(on.status, 200, JSON.stringify(on.body));
  assert.deepEqual(on.body.appliesAfterRestart, [], 'applies at once');
  const open = await scrape(host, {});
  assert.equal(open.status, 200, open.text);
  assert.equal(valueOf(open.text, 'agent_tray_agent_up', { agent: 'web' }), 0);
  assert.equal((await host.api('GET', '/api/agents', undefined, { authorization: null })).status, 401, 'only /metrics is open');
  assert.equal((await scrape(host, { origin: 'http://evil.example' })).status, 403, 'other sites\' pages are still refused');

  await host.api('PUT', '/api/settings', { metrics: { public: false } });
  assert.equal((await scrape(host, {})).status, 401);
});

test('metrics.public off loopback: the token is still needed, the operator is warned once, and the 401 says why', async () => {
  // no port is opened: Fastify's inject drives the route as a host bound to every interface would
  let settingPublic = true;
  const app: AppApi = {
    dispatch: (async (name: string) => {
      if (name === 'getSettings') return { settings: { metrics: { public: settingPublic } } };
      throw new Error(`not needed here: ${name}`);
    }) as AppApi['dispatch'],
    subscribe: () => () => undefined,
  };
  const logged: string[] = [];
  const fastify = Fastify();
  cleanups.push(() => fastify.close());
  const route = registerMetricsRoute(fastify, { app, host: '0.0.0.0', version: '1', eventStreamClients: () => 0, log: (l) => logged.push(l) });
  assert.equal(await route.isPublic(), false);
  assert.equal(await route.isPublic(), false);
  assert.equal(logged.length, 1, logged.join('\n'));
  assert.match(logged[0] ?? '', /"public": true.*0\.0\.0\.0.*still needs the token/);
  assert.match(route.tokenHint('/data/api-token'), /does not apply here: this host listens on 0\.0\.0\.0/);

  settingPublic = false;
  assert.equal(await route.isPublic(), false);
  settingPublic = true;
  assert.equal(await route.isPublic(), false);
  assert.equal(logged.length, 2, 'turned on again: warned again');
});
