// The bridge over HTTP and Server-Sent Events, for the window opened in a browser against
// `agent-tray serve`: one function per command of the command table (the route comes from the
// table), and one shared EventSource for every subscriber.
import { BridgeError, type AgentTrayBridge, type BridgeEvent, type CommandFunctions } from '../../shared/bridge.js';
import { COMMAND_NAMES, COMMANDS, type CommandName } from '../../shared/commands.js';
import type { HostEvent } from '../../shared/events.js';
import type { AgentStatus } from '../../shared/status.js';
import { buildCommandRequest, EVENTS_PATH, HOST_EVENT_TYPES, type RouteSpec } from './routes.js';
import { applyToStatusMap } from './status-patch.js';
import type { ConnectionAware, ConnectionState, EventSourceConstructor, EventSourceLike } from './types.js';

export interface HttpBridgeOptions {
  /** The host's origin, e.g. `http://127.0.0.1:4821` (a trailing slash is ignored). */
  baseUrl: string;
  /** The API token. */
  token: string;
  /** Default: the global fetch. */
  fetch?: typeof fetch;
  /** Default: the global EventSource (Node 20 has none: pass one in). */
  EventSource?: EventSourceConstructor;
  /** Agent Tray's version, when the caller knows it (default 'unknown'). */
  version?: string;
  /** Wait before opening a stream again that the host refused or ended for good (default 5 s; a broken connection the EventSource retries itself). */
  reopenMs?: number;
}

export type HttpBridge = AgentTrayBridge & ConnectionAware & { readonly baseUrl: string };

/** EventSource.readyState of a stream that will not reconnect by itself. */
const CLOSED = 2;

/** The error of a request that never got an answer: the host is not running (or not at that address). */
export function unreachableError(baseUrl: string, cause: unknown): BridgeError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new BridgeError({
    code: 'unreachable',
    message: `The Agent Tray host at ${baseUrl} is not answering. Start it with \`agent-tray serve\` (or open the Agent Tray app), then try again.`,
    hint: 'If it runs, open the URL it printed when it started: the address and port may have changed.',
    details: { cause: detail },
  });
}

/** The BridgeError of an answer with an error status: the API's `{ error: { code, message, hint } }`, or a description of what came instead. */
export function errorFromAnswer(status: number, text: string, what: string): BridgeError {
  try {
    const parsed = JSON.parse(text) as { error?: { code?: unknown; message?: unknown; hint?: unknown; details?: unknown } };
    const e = parsed.error;
    if (e && typeof e.code === 'string' && typeof e.message === 'string') {
      return new BridgeError({
        code: e.code,
        message: e.message,
        ...(typeof e.hint === 'string' ? { hint: e.hint } : {}),
        ...(e.details && typeof e.details === 'object' ? { details: e.details as Record<string, unknown> } : {}),
      });
    }
  } catch {
    // not JSON: described below
  }
  const snippet = text.trim().slice(0, 200);
  return new BridgeError({ code: 'bad-response', message: `${what} answered HTTP ${status}${snippet ? `: ${snippet}` : ' with an empty body'}` });
}

/** Calls `listener` without letting its exception stop the others; the exception is reported, not lost. */
function deliver<T>(listener: (value: T) => void, value: T): void {
  try {
    listener(value);
  } catch (err) {
    if (typeof globalThis.reportError === 'function') globalThis.reportError(err);
    else console.error(err);
  }
}

/** A bridge to the headless host at `baseUrl`. */
export function createHttpBridge(opts: HttpBridgeOptions): HttpBridge {
  const baseUrl = opts.baseUrl.replace(/\/+$/, '');
  const fetchFn = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const EventSourceImpl: EventSourceConstructor | undefined = opts.EventSource ?? (typeof EventSource === 'function' ? EventSource : undefined);
  const reopenMs = opts.reopenMs ?? 5_000;

  /** Runs one command: the request from its route, the result or a BridgeError. */
  async function call(name: CommandName, input: unknown): Promise<unknown> {
    const req = buildCommandRequest(name, COMMANDS[name].http as RouteSpec, input);
    const what = `${req.method} ${req.url.split('?')[0] ?? req.url}`;
    let status: number;
    let text: string;
    try {
      const res = await fetchFn(baseUrl + req.url, {
        method: req.method,
        headers: { authorization: `Bearer ${opts.token}`, accept: 'application/json', ...(req.body !== undefined ? { 'content-type': 'application/json' } : {}) },
        ...(req.body !== undefined ? { body: req.body } : {}),
      });
      status = res.status;
      text = await res.text();
    } catch (err) {
      throw unreachableError(baseUrl, err);
    }
    if (status < 200 || status >= 300) throw errorFromAnswer(status, text, what);
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new BridgeError({ code: 'bad-response', message: `${what} answered with something other than JSON: ${text.trim().slice(0, 200)}` });
    }
  }

  const commands = {} as Record<CommandName, (input?: unknown) => Promise<unknown>>;
  for (const name of COMMAND_NAMES) commands[name] = (input?: unknown) => call(name, input);

  // the event stream, shared by every subscriber while there is one
  const listeners = new Set<(event: BridgeEvent) => void>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  const statuses = new Map<string, AgentStatus>();
  let source: EventSourceLike | null = null;
  let haveSnapshot = false;
  /** Counts snapshots, so that an explanation that arrives after the stream is back is dropped. */
  let snapshotCount = 0;
  /** Host clock minus ours, from the last snapshot. */
  let clockOffsetMs = 0;
  let reopenTimer: ReturnType<typeof setTimeout> | null = null;
  let connection: ConnectionState = { status: 'idle', message: null, hint: null };

  const setConnection = (next: ConnectionState) => {
    if (next.status === connection.status && next.message === connection.message && next.hint === connection.hint) return;
    connection = next;
    for (const l of [...connectionListeners]) deliver(l, next);
  };

  const onEvent = (message: Event) => {
    let event: HostEvent;
    try {
      event = JSON.parse(String((message as MessageEvent).data)) as HostEvent;
    } catch {
      return; // not an event of ours
    }
    if (!event || typeof event !== 'object' || typeof event.type !== 'string') return;
    if (event.type === 'snapshot') {
      haveSnapshot = true;
      snapshotCount++;
      clockOffsetMs = event.at - Date.now();
      setConnection({ status: 'open', message: null, hint: null });
    }
    applyToStatusMap(statuses, event);
    for (const l of [...listeners]) deliver(l, event);
  };

  /** Asks the API why the stream was refused (a wrong token, a host that is gone) and says so. */
  const explainClosed = async () => {
    const seen = snapshotCount;
    let message = `The event stream of ${baseUrl} closed; opening it again in ${Math.round(reopenMs / 1000)} s.`;
    let hint: string | null = null;
    try {
      await call('summary', {});
    } catch (err) {
      if (err instanceof BridgeError) {
        message = err.message;
        hint = err.hint ?? null;
      }
    }
    if (source && seen === snapshotCount) setConnection({ status: 'reconnecting', message, hint });
  };

  const open = () => {
    if (!EventSourceImpl) {
      setConnection({ status: 'reconnecting', message: 'This browser has no EventSource, so live updates cannot arrive.', hint: 'Use a current Chromium, Firefox or Safari.' });
      return;
    }
    const url = `${baseUrl}${EVENTS_PATH}?token=${encodeURIComponent(opts.token)}`;
    const es = new EventSourceImpl(url);
    source = es;
    // opened again after a refusal: the explanation stays until a snapshot shows the stream works
    const keep = connection.status === 'reconnecting';
    setConnection({ status: haveSnapshot || keep ? 'reconnecting' : 'connecting', message: keep ? connection.message : null, hint: keep ? connection.hint : null });
    for (const type of HOST_EVENT_TYPES) es.addEventListener(type, onEvent);
    es.addEventListener('error', () => {
      if (source !== es) return;
      if (es.readyState === CLOSED) {
        // refused (401, 403, not an event stream) or ended for good: the EventSource will not retry
        es.close();
        void explainClosed();
        reopenTimer = setTimeout(() => {
          reopenTimer = null;
          if (source === es && listeners.size > 0) open();
        }, reopenMs);
      } else {
        setConnection({ status: 'reconnecting', message: `Lost the connection to ${baseUrl}; reconnecting.`, hint: 'If the host stopped, start it again with `agent-tray serve`.' });
      }
    });
  };

  const close = () => {
    if (reopenTimer) clearTimeout(reopenTimer);
    reopenTimer = null;
    source?.close();
    source = null;
    haveSnapshot = false;
    statuses.clear();
    setConnection({ status: 'idle', message: null, hint: null });
  };

  const bridge = {
    ...(commands as unknown as CommandFunctions),
    version: opts.version ?? 'unknown',
    host: 'http' as const,
    baseUrl,
    subscribe(listener: (event: BridgeEvent) => void): () => void {
      listeners.add(listener);
      if (!source) open();
      else if (haveSnapshot) {
        // a late subscriber gets the current state first, as the first one got the host's snapshot
        deliver(listener, { type: 'snapshot', at: Date.now() + clockOffsetMs, agents: [...statuses.values()] });
      }
      let subscribed = true;
      return () => {
        if (!subscribed) return;
        subscribed = false;
        listeners.delete(listener);
        if (listeners.size === 0) close();
      };
    },
    onConnection(listener: (state: ConnectionState) => void): () => void {
      connectionListeners.add(listener);
      deliver(listener, connection);
      return () => connectionListeners.delete(listener);
    },
  };
  return bridge;
}
