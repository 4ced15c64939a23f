// How a command becomes an HTTP request of the headless host, following the same rules the host
// reads them by (electron/server/command-routes.ts): `:param` segments of the path come from the
// input, the field a route names as `body` is the whole JSON body, GET and DELETE carry the rest
// in the query string, POST and PUT in a JSON object body.
import type { HttpMethod } from '../../shared/commands.js';
import type { HostEventType } from '../../shared/events.js';
import { BridgeError } from '../../shared/bridge.js';

/** The event stream's path (EVENTS_PATH of electron/server/openapi.ts, which the renderer may not import; a test checks they agree). */
export const EVENTS_PATH = '/api/events';

/**
 * Every event type the host sends, for EventSource listeners (named SSE events do not reach
 * `onmessage`). A type listed here that the host does not send costs nothing; one it sends that
 * is missing here fails to compile below.
 */
export const HOST_EVENT_TYPES = [
  'snapshot',
  'state',
  'log',
  'stats',
  'health-changed',
  'probe',
  'limit-violated',
  'io-error',
  'agent-added',
  'agent-updated',
  'agent-removed',
  'alert',
  'alerts-read',
  'alerts-cleared',
  'settings-changed',
  'ready',
] as const;

// fails to compile when shared/events.ts gains an event type the list above lacks
type MissingEventTypes = Exclude<HostEventType, (typeof HOST_EVENT_TYPES)[number]>;
const everyEventTypeListed: [MissingEventTypes] extends [never] ? true : MissingEventTypes = true;
void everyEventTypeListed;

/** A command's route as declared in shared/commands.ts. */
export interface RouteSpec {
  method: HttpMethod;
  path: string;
  body?: string;
}

/** The request for one command: a path with its query string, and a JSON body or none. */
export interface CommandRequest {
  method: HttpMethod;
  /** Path and query, to append to the base URL. */
  url: string;
  /** The JSON text of the body, or undefined for none. */
  body: string | undefined;
}

/** The names of the `:param` segments of a route, in order. */
export function routeParams(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1] as string);
}

/** Appends one input field to a query string (arrays repeat the key, objects go as JSON). */
function appendQuery(query: URLSearchParams, key: string, value: unknown): void {
  if (value === undefined) return;
  if (Array.isArray(value)) {
    for (const v of value) appendQuery(query, key, v);
  } else if (value !== null && typeof value === 'object') {
    query.append(key, JSON.stringify(value));
  } else {
    query.append(key, String(value));
  }
}

/** Builds the request of command `command` (for messages) over `route` from its input. */
export function buildCommandRequest(command: string, route: RouteSpec, input: unknown): CommandRequest {
  if (input !== undefined && (input === null || typeof input !== 'object' || Array.isArray(input))) {
    throw new BridgeError({ code: 'bad-request', message: `${command} takes an object of named parameters, not ${input === null ? 'null' : Array.isArray(input) ? 'an array' : typeof input}` });
  }
  const rest: Record<string, unknown> = { ...(input as Record<string, unknown> | undefined) };

  let path = route.path;
  for (const param of routeParams(route.path)) {
    const value = rest[param];
    delete rest[param];
    if (value === undefined || value === null || value === '') {
      throw new BridgeError({ code: 'bad-request', message: `${command} needs "${param}"` });
    }
    path = path.replace(`:${param}`, encodeURIComponent(String(value)));
  }

  let body: string | undefined;
  if (route.body) {
    const whole = rest[route.body];
    delete rest[route.body];
    if (whole === undefined) throw new BridgeError({ code: 'bad-request', message: `${command} needs "${route.body}"` });
    body = JSON.stringify(whole);
  } else if (route.method === 'POST' || route.method === 'PUT') {
    const fields = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
    for (const key of Object.keys(rest)) delete rest[key];
    if (Object.keys(fields).length > 0) body = JSON.stringify(fields);
  }

  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(rest)) appendQuery(query, key, value);
  const qs = query.toString();
  return { method: route.method, url: qs ? `${path}?${qs}` : path, body };
}
