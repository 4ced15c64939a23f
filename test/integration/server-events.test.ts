// The event stream of the headless host (GET /api/events, Server-Sent Events), read with fetch:
// the snapshot first, then an agent's transitions in order; heartbeats; ?token=; a client that
// leaves is unsubscribed; a client that does not read is dropped; close() ends the streams.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import type { AgentTrayApp, AppApi } from '../../electron/app/application.js';
import type { Cleanups } from '../helpers/engine.js';
import { startHost } from '../helpers/http-host.js';
import { fixture, killTracked, track } from '../helpers/processes.js';
import { isEvent, openEventStream } from '../helpers/sse-client.js';
import { waitFor } from '../helpers/wait.js';

const cleanups: Cleanups = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0)) await c();
});

const behaves = { name: 'web', command: process.execPath, args: [fixture('well-behaved.mjs')] };

/** The application with a count of its live subscriptions. */
function counting(): { wrap: (app: AgentTrayApp) => AppApi; live: () => number } {
  let live = 0;
  return {
    live: () => live,
    wrap: (app) => ({
      dispatch: (name, input) => app.dispatch(name, input),
      subscribe: (listener) => {
        live++;
        const off = app.subscribe(listener);
        return () => {
          live--;
          off();
        };
      },
    }),
  };
}

test('the stream sends the snapshot first, then starting → running → stopping → stopped, with increasing ids', async () => {
  const host = await startHost(cleanups, { agents: [behaves] });
  const stream = await openEventStream(`${host.url}/api/events`, { authorization: `Bearer ${host.token}` });
  cleanups.push(() => stream.close());
  assert.equal(stream.status, 200);
  assert.match(stream.headers.get('content-type') ?? '', /^text\/event-stream/);
  assert.equal(stream.headers.get('cache-control'), 'no-store');
  assert.equal(stream.headers.get('x-content-type-options'), 'nosniff');

  const snapshot = await stream.next(() => true, 5_000, 'the first message');
  assert.equal(snapshot.event, 'snapshot');
  assert.equal(snapshot.id, '1');
  const snap = JSON.parse(snapshot.data ?? '');
  assert.deepEqual(snap.agents.map((a: { name: string; state: string }) => [a.name, a.state]), [['web', 'stopped']]);

  const started = await host.api('POST', '/api/agents/web/start');
  await stream.next(isEvent('log', (d) => d.name === 'web'), 5_000, 'a log event of web');
  await host.api('POST', '/api/agents/web/stop');
  await stream.next(isEvent('state', (d) => d.to === 'stopped'), 10_000, 'web stopped');

  const states = stream.messages.filter((m) => m.event === 'state').map((m) => JSON.parse(m.data ?? '') as { name: string; from: string; to: string; status: { pid: number | null } });
  assert.deepEqual(states.map((s) => `${s.from}→${s.to}`), ['stopped→starting', 'starting→running', 'running→stopping', 'stopping→stopped']);
  assert.equal(states[1]?.status.pid, started.body.pid);
  const ids = stream.messages.filter((m) => m.id !== undefined).map((m) => Number(m.id));
  assert.deepEqual(ids, ids.map((_, i) => i + 1), 'ids count up from 1 without gaps');
  const log = stream.messages.find(isEvent('log'));
  assert.ok(JSON.parse(log?.data ?? '').lines.some((l: { text: string }) => /^ready pid=\d+$/.test(l.text)));
});

test('definition changes are events too: agent-added, agent-updated, agent-removed', async () => {
  const host = await startHost(cleanups);
  const stream = await openEventStream(`${host.url}/api/events`, { authorization: `Bearer ${host.token}` });
  cleanups.push(() => stream.close());
  await stream.next(isEvent('snapshot'), 5_000, 'the snapshot');
  await host.api('POST', '/api/agents', behaves);
  await stream.next(isEvent('agent-added', (d) => d.name === 'web'), 5_000, 'agent-added');
  await host.api('PUT', '/api/agents/web', { ...behaves, port: 8123 });
  const updated = await stream.next(isEvent('agent-updated', (d) => d.name === 'web'), 5_000, 'agent-updated');
  assert.equal(JSON.parse(updated.data ?? '').status.port, 8123);
  await host.api('DELETE', '/api/agents/web');
  await stream.next(isEvent('agent-removed', (d) => d.name === 'web'), 5_000, 'agent-removed');
});

test('the token may come as ?token= on the event stream (EventSource sends no headers); without it, 401', async () => {
  const host = await startHost(cleanups);
  const denied = await openEventStream(`${host.url}/api/events`);
  assert.equal(denied.status, 401);
  await denied.ended;
  const wrong = await openEventStream(`${host.url}/api/events?token=nope`);
  assert.equal(wrong.status, 401);
  await wrong.ended;
  const foreign = await openEventStream(`${host.url}/api/events?token=${host.token}`, { origin: 'http://evil.example' });
  assert.equal(foreign.status, 403);
  await foreign.ended;

  const stream = await openEventStream(`${host.url}/api/events?token=${host.token}`);
  cleanups.push(() => stream.close());
  assert.equal(stream.status, 200);
  await stream.next(isEvent('snapshot'), 5_000, 'the snapshot');
});

test('heartbeats keep the stream alive; a client that disconnects is unsubscribed', async () => {
  const count = counting();
  const host = await startHost(cleanups, { wrap: count.wrap, server: { heartbeatMs: 50 } });
  const stream = await openEventStream(`${host.url}/api/events`, { authorization: `Bearer ${host.token}` });
  await stream.next((m) => m.comment === 'heartbeat', 5_000, 'a heartbeat');
  await stream.next((m) => m.comment === 'heartbeat', 5_000, 'a second heartbeat');
  assert.equal(count.live(), 1);
  stream.close();
  await waitFor(() => count.live() === 0, 5_000, 'the subscription to end after the client left');
});

test('close() ends every open stream and resolves', async () => {
  const count = counting();
  const host = await startHost(cleanups, { wrap: count.wrap });
  const streams = await Promise.all([1, 2].map(() => openEventStream(`${host.url}/api/events`, { authorization: `Bearer ${host.token}` })));
  for (const s of streams) await s.next(isEvent('snapshot'), 5_000, 'the snapshot');
  assert.equal(count.live(), 2);
  await host.server.close();
  await Promise.all(streams.map((s) => s.ended));
  assert.equal(count.live(), 0);
});

test('a client that stops reading is dropped once it falls behind, not buffered for without bound', async () => {
  const count = counting();
  const host = await startHost(cleanups, {
    wrap: count.wrap,
    agents: [{ name: 'flood', command: process.execPath, args: [fixture('flooder.mjs')], env: { SIZE_MB: '30' } }],
    server: { sseMaxBufferedBytes: 2 * 1024 * 1024 },
  });
  // a raw client that sends the request and then never reads a byte
  const socket = net.connect(host.port, '127.0.0.1');
  cleanups.push(() => void socket.destroy());
  socket.pause();
  socket.on('error', () => undefined);
  socket.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nAuthorization: Bearer ${host.token}\r\n\r\n`);
  await waitFor(() => count.live() === 1, 5_000, 'the raw client to subscribe');

  // output events, 64 KiB each, until the host drops the client: how many the engine itself would
  // publish for a flood depends on how fast this machine reads (it skips ahead when it falls
  // behind), and the kernel's socket buffers absorb several MiB first
  const line = { stream: 'stdout' as const, at: Date.now(), text: 'x'.repeat(64 * 1024) };
  for (let sent = 0; count.live() > 0 && sent < 512 * 1024 * 1024; sent += line.text.length) {
    host.app.publish({ type: 'log', name: 'flood', lines: [line] });
    await new Promise((resolve) => setImmediate(resolve));
  }
  await waitFor(() => count.live() === 0, 10_000, 'the slow client to be dropped');
  socket.resume(); // read what reached it: then it sees the connection end
  await waitFor(() => socket.destroyed || socket.readableEnded, 10_000, 'the connection of the slow client to end');
  assert.ok(host.logged.some((l) => /dropped an event-stream client .* fell \d+\.\d MiB behind/.test(l)), host.logged.join('\n'));

  // a client that reads gets the whole stream
  const stream = await openEventStream(`${host.url}/api/events`, { authorization: `Bearer ${host.token}` });
  cleanups.push(() => stream.close());
  const restarted = await host.api('POST', '/api/agents/flood/restart');
  track(restarted.body.pid);
  await stream.next(isEvent('state', (d) => d.name === 'flood' && d.to === 'stopped'), 60_000, 'the flood to end');
  assert.equal(count.live(), 1);
});
