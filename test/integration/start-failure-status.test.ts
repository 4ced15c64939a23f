// A start that fails answers non-2xx over HTTP, so `curl -f` and scripts see it: 409 with the
// failure's own code (port-in-use, command-not-found), the reason in the message and the agent's
// errored status in `details.status`; start-all keeps answering 200 with one result per agent.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import type { Cleanups } from '../helpers/engine.js';
import { startHost } from '../helpers/http-host.js';
import { fixture, killTracked, track } from '../helpers/processes.js';

const cleanups: Cleanups = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Another process (not an agent) listening on a port the OS picks; ended by its pid after the test. */
async function holdPort(): Promise<{ port: number; pid: number }> {
  const outside = spawn(process.execPath, [fixture('http-server.mjs')], { env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'ignore'] });
  track(outside.pid);
  const line = await new Promise<string>((resolve) => outside.stdout.once('data', (d: Buffer) => resolve(d.toString())));
  return { port: Number(/listening on (\d+)/.exec(line)?.[1]), pid: outside.pid! };
}

test('a start refused because the port is taken is a 409 port-in-use naming the holder, with the errored status in details', async () => {
  const { port, pid } = await holdPort();
  const host = await startHost(cleanups, { agents: [{ name: 'web', command: process.execPath, args: [fixture('http-server.mjs')], env: { PORT: String(port) }, port }] });
  const res = await host.api('POST', '/api/agents/web/start');
  assert.equal(res.status, 409, JSON.stringify(res.body));
  assert.equal(res.body.error.code, 'port-in-use');
  assert.match(res.body.error.message, new RegExp(`port ${port} is already in use by pid ${pid}`));
  assert.equal(res.body.error.details.status.name, 'web');
  assert.equal(res.body.error.details.status.state, 'errored');
  assert.match(res.body.error.details.status.lastError.message, new RegExp(`port ${port}`));
  const restart = await host.api('POST', '/api/agents/web/restart');
  assert.deepEqual([restart.status, restart.body.error.code, restart.body.error.details.status.state], [409, 'port-in-use', 'errored']);
});

test('a command that is not found is a 409 command-not-found; start-all still answers 200 with each agent\'s result and status', async () => {
  const host = await startHost(cleanups, { agents: [{ name: 'missing', command: 'agent-tray-no-such-program' }, { name: 'good', command: process.execPath, args: [fixture('well-behaved.mjs')] }] });
  const res = await host.api('POST', '/api/agents/missing/start');
  assert.equal(res.status, 409, JSON.stringify(res.body));
  assert.equal(res.body.error.code, 'command-not-found');
  assert.match(res.body.error.message, /agent-tray-no-such-program/);
  assert.equal(res.body.error.details.status.state, 'errored');

  const all = await host.api('POST', '/api/agents/start-all');
  assert.equal(all.status, 200);
  const byName = Object.fromEntries(all.body.results.map((r: { name: string }) => [r.name, r]));
  assert.deepEqual([byName.missing.ok, byName.missing.error.code, byName.missing.status.state], [false, 'command-not-found', 'errored']);
  assert.deepEqual([byName.good.ok, byName.good.status.state], [true, 'running']);
});
