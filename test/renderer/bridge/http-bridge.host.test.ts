// The HTTP bridge against the real headless host (application + HTTP server in this process,
// over a temporary data directory) with a real fixture agent: commands, the API's errors word for
// word, and live events through an EventSource (a spec-following one over fetch: Node 20 has none).
import { afterEach, describe, expect, it } from 'vitest';
import { BridgeError, type BridgeEvent } from '../../../shared/bridge.js';
import { createHttpBridge, type HttpBridge } from '../../../renderer/bridge/http-bridge.js';
import type { ConnectionState } from '../../../renderer/bridge/types.js';
import { ringToArray } from '../../../renderer/store/ring.js';
import { immediateScheduler } from '../../../renderer/store/scheduler.js';
import { createTrayStore } from '../../../renderer/store/store.js';
import type { Cleanups } from '../../helpers/engine.js';
import { startHost, type TestHost } from '../../helpers/http-host.js';
import { fixture, killTracked, track } from '../../helpers/processes.js';
import { isStateOf, nextEvent } from '../helpers/bridge-events.js';
import { testEventSource } from '../helpers/event-source.js';

const cleanups: Cleanups = [];
const sources = new Set<{ readyState: number; url: string }>();
afterEach(async () => {
  killTracked();
  // last in, first out: bridges (their streams) before the host that serves them
  for (const c of cleanups.splice(0).reverse()) await c();
  expect([...sources].filter((s) => s.readyState !== 2).map((s) => s.url), 'every EventSource was closed').toEqual([]);
  sources.clear();
});

const web = { name: 'web', command: process.execPath, args: [fixture('well-behaved.mjs')] };

/** A host with the `web` agent and a bridge to it whose streams are closed after the test. */
async function hostAndBridge(token?: string): Promise<{ host: TestHost; bridge: HttpBridge }> {
  const host = await startHost(cleanups, { agents: [web] });
  const bridge = createHttpBridge({ baseUrl: host.url, token: token ?? host.token, EventSource: testEventSource({ retryMs: 100, instances: sources }), version: 'test' });
  return { host, bridge };
}

describe('HTTP bridge against agent-tray serve', () => {
  it('lists agents, starts one and sees it run and print through the event stream, then stops it', async () => {
    const { bridge } = await hostAndBridge();
    expect((await bridge.listAgents()).agents.map((a) => [a.name, a.state])).toEqual([['web', 'stopped']]);

    const store = createTrayStore({ bridge, schedule: immediateScheduler });
    cleanups.push(store.getState().actions.connect());
    const snapshot = await nextEvent(bridge, (e) => e.type === 'snapshot', 5_000, 'the snapshot');
    expect(snapshot.type === 'snapshot' && snapshot.agents.map((a) => a.name)).toEqual(['web']);

    const running = nextEvent(bridge, isStateOf('web', 'running'), 10_000, 'web running');
    const printed = nextEvent(bridge, (e) => e.type === 'log' && e.name === 'web' && e.lines.some((l) => /^ready pid=\d+$/.test(l.text)), 10_000, 'web\'s first line');
    const outcome = await store.getState().actions.start('web');
    expect(outcome.ok).toBe(true);
    if (outcome.ok) track(outcome.result.pid);
    const state = await running;
    expect(state.status.pid).toBeGreaterThan(0);
    await printed;

    await expect.poll(() => store.getState().agents.byName.web?.state).toBe('running');
    const logTexts = () => {
      const log = store.getState().logs.byAgent.web;
      return log ? ringToArray(log.lines).map((l) => l.text) : [];
    };
    await expect.poll(() => logTexts().some((t) => t.startsWith('ready pid='))).toBe(true);
    expect(store.getState().ui.connection.status).toBe('open');

    // the backlog merges with what the stream already brought, without doubles
    expect((await store.getState().actions.loadLogs('web')).ok).toBe(true);
    expect(logTexts().filter((t) => t.startsWith('ready pid='))).toHaveLength(1);

    const stopped = nextEvent(bridge, isStateOf('web', 'stopped'), 15_000, 'web stopped');
    const stop = await bridge.stopAgent({ name: 'web' });
    expect(stop.stop.outcome).toBe('graceful');
    await stopped;
    await expect.poll(() => store.getState().agents.byName.web?.state).toBe('stopped');
  });

  it('a bad agent name is refused with the API\'s own code and message', async () => {
    const { host, bridge } = await hostAndBridge();
    const definition = { name: 'a/b', command: 'node' };
    const direct = await host.api('POST', '/api/agents', definition);
    const err = await bridge.createAgent({ definition }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BridgeError);
    const e = err as BridgeError;
    expect(['invalid-definition', 'bad-request']).toContain(e.code);
    expect(e.code).toBe(direct.body.error.code);
    expect(e.message).toBe(direct.body.error.message);
    expect(e.message).toContain('"a/b" has characters other than');
    const unknown = await bridge.getAgent({ name: 'nobody' }).catch((x: unknown) => x);
    expect(unknown).toMatchObject({ code: 'unknown-agent' });
  });

  it('creates, updates and removes an agent, and the stream says so', async () => {
    const { bridge } = await hostAndBridge();
    const events: BridgeEvent[] = [];
    const off = bridge.subscribe((e) => events.push(e));
    cleanups.push(off);
    const added = nextEvent(bridge, (e) => e.type === 'agent-added' && e.name === 'extra', 5_000, 'agent-added');
    await bridge.createAgent({ definition: { name: 'extra', command: process.execPath, args: [fixture('well-behaved.mjs')], env: { API_KEY: 'x' } } });
    await added;
    const updated = nextEvent(bridge, (e) => e.type === 'agent-updated' && e.name === 'extra', 5_000, 'agent-updated');
    await bridge.updateAgent({ name: 'extra', definition: { name: 'extra', command: process.execPath, port: 8123 } });
    expect(await updated).toMatchObject({ type: 'agent-updated', status: { port: 8123 } });
    expect((await bridge.getDefinition({ name: 'extra' })).port).toBe(8123);
    const removed = nextEvent(bridge, (e) => e.type === 'agent-removed' && e.name === 'extra', 5_000, 'agent-removed');
    expect(await bridge.removeAgent({ name: 'extra', stop: true })).toMatchObject({ removed: 'extra' });
    await removed;
    expect(events[0]?.type).toBe('snapshot');
  });

  it('a wrong token: commands fail with the API\'s 401 message; the stream says why it is not connected', async () => {
    const { bridge } = await hostAndBridge('wrong');
    await expect(bridge.listAgents()).rejects.toMatchObject({ code: 'unauthorized', message: 'The API token is wrong' });
    const states: ConnectionState[] = [];
    cleanups.push(bridge.onConnection((s) => states.push(s)));
    cleanups.push(bridge.subscribe(() => {}));
    await expect.poll(() => states.at(-1)?.message, { timeout: 5_000 }).toBe('The API token is wrong');
    expect(states.at(-1)?.status).toBe('reconnecting');
  });

  it('a host that has gone: "unreachable", saying how to start one', async () => {
    const { host, bridge } = await hostAndBridge();
    await host.server.close();
    const err = (await bridge.summary().catch((e: unknown) => e)) as BridgeError;
    expect(err).toBeInstanceOf(BridgeError);
    expect(err.code).toBe('unreachable');
    expect(err.message).toContain(`${host.url} is not answering`);
    expect(err.message).toContain('agent-tray serve');
  });
});
