// The HTTP bridge with a fetch and an EventSource the test controls: requests and their errors,
// and one shared, ref-counted stream whose late subscribers still get a snapshot first.
import { afterEach, describe, expect, it } from 'vitest';
import { BridgeError, type BridgeEvent } from '../../../shared/bridge.js';
import { createHttpBridge, errorFromAnswer } from '../../../renderer/bridge/http-bridge.js';
import type { ConnectionState, EventSourceLike } from '../../../renderer/bridge/types.js';
import { running, status } from '../helpers/fakes.js';

/** An EventSource the test drives: it records its URL and listeners. */
class FakeEventSource implements EventSourceLike {
  static instances: FakeEventSource[] = [];
  readyState = 0;
  closed = false;
  private readonly listeners = new Map<string, ((e: Event) => void)[]>();
  constructor(readonly url: string) {
    FakeEventSource.instances.push(this);
  }
  addEventListener(type: string, listener: (e: Event) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }
  close(): void {
    this.closed = true;
    this.readyState = 2;
  }
  /** Delivers one host event as the server would name it. */
  send(event: { type: string } & Record<string, unknown>): void {
    this.readyState = 1;
    for (const l of this.listeners.get(event.type) ?? []) l(new MessageEvent(event.type, { data: JSON.stringify(event) }));
  }
  fail(readyState: number): void {
    this.readyState = readyState;
    for (const l of this.listeners.get('error') ?? []) l(new Event('error'));
  }
}

afterEach(() => {
  FakeEventSource.instances = [];
});

interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

/** A fetch that records requests and answers with `answer`. */
function recordingFetch(answer: (req: Seen) => Response | Promise<Response>): { fetch: typeof fetch; seen: Seen[] } {
  const seen: Seen[] = [];
  const fetchFn = (async (url: string, init: RequestInit = {}) => {
    const req = { url, method: init.method ?? 'GET', headers: init.headers as Record<string, string>, body: init.body as string | undefined };
    seen.push(req);
    return answer(req);
  }) as typeof fetch;
  return { fetch: fetchFn, seen };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('commands over HTTP', () => {
  it('sends the token, the route, the query or the JSON body, and returns the parsed answer', async () => {
    const { fetch, seen } = recordingFetch(() => json(200, { agents: [] }));
    const bridge = createHttpBridge({ baseUrl: 'http://127.0.0.1:9/', token: 't0k', fetch, EventSource: FakeEventSource });
    expect(bridge.host).toBe('http');
    expect(await bridge.listAgents()).toEqual({ agents: [] });
    await bridge.agentLogs({ name: 'a b', lines: 5 });
    await bridge.createAgent({ definition: { name: 'x', command: 'node' } });
    expect(seen.map((r) => `${r.method} ${r.url} ${r.body ?? ''}`)).toEqual([
      'GET http://127.0.0.1:9/api/agents ',
      'GET http://127.0.0.1:9/api/agents/a%20b/logs?lines=5 ',
      'POST http://127.0.0.1:9/api/agents {"name":"x","command":"node"}',
    ]);
    expect(seen[0]?.headers.authorization).toBe('Bearer t0k');
    expect(seen[0]?.headers['content-type']).toBeUndefined();
    expect(seen[2]?.headers['content-type']).toBe('application/json');
  });

  it('an error answer becomes a BridgeError with the API\'s code, message and hint', async () => {
    const { fetch } = recordingFetch(() => json(409, { error: { code: 'agent-exists', message: 'An agent named "x" exists', hint: 'Choose another name' } }));
    const bridge = createHttpBridge({ baseUrl: 'http://h', token: 't', fetch });
    const err = await bridge.createAgent({ definition: { name: 'x', command: 'node' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BridgeError);
    expect(err).toMatchObject({ code: 'agent-exists', message: 'An agent named "x" exists', hint: 'Choose another name' });
  });

  it('an answer that is not the API\'s error shape is described with its status', () => {
    expect(errorFromAnswer(502, '<html>Bad gateway</html>', 'GET /api/agents')).toMatchObject({ code: 'bad-response', message: 'GET /api/agents answered HTTP 502: <html>Bad gateway</html>' });
    expect(errorFromAnswer(500, '', 'GET /x').message).toBe('GET /x answered HTTP 500 with an empty body');
  });

  it('a host that does not answer is "unreachable", with how to start it', async () => {
    const { fetch } = recordingFetch(() => {
      throw new TypeError('fetch failed');
    });
    const bridge = createHttpBridge({ baseUrl: 'http://127.0.0.1:9', token: 't', fetch });
    const err = (await bridge.summary().catch((e: unknown) => e)) as BridgeError;
    expect(err.code).toBe('unreachable');
    expect(err.message).toMatch(/http:\/\/127\.0\.0\.1:9 is not answering/);
    expect(err.message).toContain('agent-tray serve');
    expect(err.details).toEqual({ cause: 'fetch failed' });
  });

  it('a success answer that is not JSON is a BridgeError too', async () => {
    const { fetch } = recordingFetch(() => new Response('hello', { status: 200 }));
    await expect(createHttpBridge({ baseUrl: 'http://h', token: 't', fetch }).summary()).rejects.toMatchObject({ code: 'bad-response' });
  });
});

describe('the event stream', () => {
  const never = recordingFetch(() => json(200, {})).fetch;

  it('one EventSource with the token for every subscriber; closed when the last one leaves', () => {
    const bridge = createHttpBridge({ baseUrl: 'http://h:1', token: 'a&b', fetch: never, EventSource: FakeEventSource });
    const got1: BridgeEvent[] = [];
    const got2: BridgeEvent[] = [];
    const off1 = bridge.subscribe((e) => got1.push(e));
    expect(FakeEventSource.instances).toHaveLength(1);
    const es = FakeEventSource.instances[0] as FakeEventSource;
    expect(es.url).toBe('http://h:1/api/events?token=a%26b');
    es.send({ type: 'snapshot', at: 1, agents: [status('a')] });
    const off2 = bridge.subscribe((e) => got2.push(e));
    expect(FakeEventSource.instances).toHaveLength(1);
    es.send({ type: 'state', name: 'a', from: 'stopped', to: 'running', reason: { kind: 'spawned', message: '' }, at: 2, status: running('a', 2) });
    expect(got1.map((e) => e.type)).toEqual(['snapshot', 'state']);
    expect(got2.map((e) => e.type)).toEqual(['snapshot', 'state']);
    off1();
    off1(); // twice is harmless
    expect(es.closed).toBe(false);
    off2();
    expect(es.closed).toBe(true);
    bridge.subscribe(() => {})();
    expect(FakeEventSource.instances).toHaveLength(2);
  });

  it('a late subscriber\'s snapshot has every change the stream brought since the first one', () => {
    const bridge = createHttpBridge({ baseUrl: 'http://h', token: 't', fetch: never, EventSource: FakeEventSource });
    const off = bridge.subscribe(() => {});
    const es = FakeEventSource.instances[0] as FakeEventSource;
    es.send({ type: 'snapshot', at: Date.now(), agents: [status('a'), status('b')] });
    es.send({ type: 'state', name: 'a', from: 'stopped', to: 'running', reason: { kind: 'spawned', message: '' }, at: 2, status: running('a', 2) });
    es.send({ type: 'stats', name: 'a', sample: { at: 3, cpuPercent: 7, memoryMB: 8, threads: 1, fileHandles: 1, processes: 1 } });
    es.send({ type: 'health-changed', name: 'a', from: 'healthy', to: 'unhealthy', score: 10, probe: null, at: 4 });
    es.send({ type: 'agent-removed', name: 'b' });
    es.send({ type: 'agent-added', name: 'c', status: status('c') });
    const late: BridgeEvent[] = [];
    const offLate = bridge.subscribe((e) => late.push(e));
    expect(late).toHaveLength(1);
    const snap = late[0] as Extract<BridgeEvent, { type: 'snapshot' }>;
    expect(snap.type).toBe('snapshot');
    expect(snap.agents.map((s) => [s.name, s.state, s.stats?.cpuPercent ?? null, s.health])).toEqual([
      ['a', 'running', 7, 'unhealthy'],
      ['c', 'stopped', null, 'unknown'],
    ]);
    off();
    offLate();
  });

  it('a subscriber that throws does not keep the event from the others', () => {
    const bridge = createHttpBridge({ baseUrl: 'http://h', token: 't', fetch: never, EventSource: FakeEventSource });
    const got: string[] = [];
    const reported: unknown[] = [];
    const original = globalThis.reportError;
    globalThis.reportError = (e: unknown) => reported.push(e);
    try {
      const off1 = bridge.subscribe(() => {
        throw new Error('listener bug');
      });
      const off2 = bridge.subscribe((e) => got.push(e.type));
      (FakeEventSource.instances[0] as FakeEventSource).send({ type: 'snapshot', at: 1, agents: [] });
      expect(got).toEqual(['snapshot']);
      expect(reported).toHaveLength(1);
      off1();
      off2();
    } finally {
      globalThis.reportError = original;
    }
  });

  it('reports its connection: connecting, open at the snapshot, reconnecting when it breaks; a refused stream is explained and opened again', async () => {
    const { fetch } = recordingFetch(() => json(401, { error: { code: 'unauthorized', message: 'The API token is wrong', hint: 'The token is in the URL' } }));
    const bridge = createHttpBridge({ baseUrl: 'http://h', token: 't', fetch, EventSource: FakeEventSource, reopenMs: 10 });
    const states: ConnectionState[] = [];
    const offConn = bridge.onConnection((s) => states.push(s));
    const off = bridge.subscribe(() => {});
    const es = FakeEventSource.instances[0] as FakeEventSource;
    es.send({ type: 'snapshot', at: 1, agents: [] });
    es.fail(0); // broken: the EventSource retries by itself
    es.fail(2); // refused: the bridge asks the API why and opens a new one
    await expect.poll(() => states.at(-1)?.message).toBe('The API token is wrong');
    await expect.poll(() => FakeEventSource.instances.length).toBe(2);
    expect(states.map((s) => s.status)).toEqual(['idle', 'connecting', 'open', 'reconnecting', 'reconnecting']);
    expect(states.at(-1)?.hint).toBe('The token is in the URL');
    off();
    expect(states.at(-1)?.status).toBe('idle');
    expect((FakeEventSource.instances[1] as FakeEventSource).closed).toBe(true);
    offConn();
  });
});
