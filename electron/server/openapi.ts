// The OpenAPI 3.1 document of the REST API, generated from the command table (shared/commands.ts)
// and its zod schemas, so the document and the API cannot disagree.
import { z } from 'zod';
import { COMMAND_NAMES, COMMANDS, type HttpMethod } from '../../shared/commands.js';
import { ApiErrorSchema } from '../../shared/errors.js';
import { MCP_PATH } from './mcp-route.js';
import { METRICS_PATH } from './metrics.js';

type JsonObject = Record<string, unknown>;

export const EVENTS_PATH = '/api/events';
export const OPENAPI_PATH = '/api/openapi.json';

/** The names of the `:param` segments of a route, in order. */
export function pathParams(route: string): string[] {
  return [...route.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1] as string);
}

/** A route in OpenAPI notation: `/api/agents/:name` → `/api/agents/{name}`. */
export function openApiPath(route: string): string {
  return route.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

/** The JSON Schema of a zod schema, as a request (`input`) or a response (`output`) has it. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonObject {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonObject;
  delete json.$schema; // OpenAPI 3.1 documents are JSON Schema 2020-12 already
  return json;
}

const errorRef = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

/** The error responses an operation can give. */
function errorResponses(method: HttpMethod, hasPathParams: boolean): JsonObject {
  return {
    '400': errorRef('Invalid request: the message names the field and the reason (code `bad-request`, `invalid-definition` or `sandbox-refused`)'),
    '401': errorRef('No token, or a wrong one (code `unauthorized`)'),
    '403': errorRef('A request from another origin, or with a Host header this host does not answer to (code `forbidden-origin`)'),
    ...(hasPathParams ? { '404': errorRef('No agent of that name (code `unknown-agent`), or no group (code `not-found`)') } : {}),
    ...(method !== 'GET' ? { '409': errorRef('The action is refused in the current state, with the reason (e.g. `conflict`, `agent-exists`, `not-ready`)') } : {}),
    '500': errorRef('An internal error (code `internal`, `io-failed`, …)'),
    default: errorRef('Any other error, in the same shape (e.g. 504 `timeout` of ensure)'),
  };
}

/** The operation object of one command. */
function operation(name: (typeof COMMAND_NAMES)[number]): [string, string, JsonObject] {
  const spec = COMMANDS[name];
  const { method, path, body } = spec.http as { method: HttpMethod; path: string; body?: string };
  const input = jsonSchema(spec.input, 'input');
  const properties = (input.properties ?? {}) as Record<string, JsonObject>;
  const required = new Set((input.required ?? []) as string[]);
  const inPath = pathParams(path);

  const parameters = [
    ...inPath.map((p) => ({ name: p, in: 'path', required: true, schema: properties[p] ?? { type: 'string' } })),
    ...Object.entries(properties)
      .filter(([p]) => !inPath.includes(p) && p !== body)
      .map(([p, schema]) => ({ name: p, in: 'query', required: required.has(p), schema })),
  ];
  const op: JsonObject = {
    operationId: name,
    summary: spec.summary,
    ...(parameters.length ? { parameters } : {}),
    ...(body && properties[body] ? { requestBody: { required: true, content: { 'application/json': { schema: properties[body] } } } } : {}),
    responses: {
      '200': { description: spec.summary, content: { 'application/json': { schema: jsonSchema(spec.output, 'output') } } },
      ...errorResponses(method, inPath.length > 0),
    },
  };
  return [openApiPath(path), method.toLowerCase(), op];
}

/** A JSON-RPC 2.0 error answer, as the MCP endpoint gives it (no `{ error: { code } }` envelope). */
const rpcErrorRef = (description: string) => ({
  description,
  content: {
    'application/json': {
      schema: {
        type: 'object',
        required: ['jsonrpc', 'error', 'id'],
        properties: { jsonrpc: { const: '2.0' }, error: { type: 'object', properties: { code: { type: 'integer' }, message: { type: 'string' } } }, id: {} },
      },
    },
  },
});

/** The MCP endpoint (electron/server/mcp-route.ts): POST carries the protocol; GET and DELETE answer 405 (stateless, no sessions). */
function mcpPath(): Record<string, JsonObject> {
  const notAllowed = (operationId: string, summary: string): JsonObject => ({
    operationId,
    summary,
    responses: { '405': rpcErrorRef('Always: this MCP server keeps no sessions and opens no event stream (the `Allow: POST` header says so)'), '401': errorRef('No token, or a wrong one') },
  });
  const message = { type: 'object', required: ['jsonrpc'], properties: { jsonrpc: { const: '2.0' }, id: { type: ['string', 'integer'] }, method: { type: 'string' }, params: { type: 'object' } } };
  return {
    post: {
      operationId: 'mcp',
      summary: 'The Model Context Protocol over Streamable HTTP: the same tools as `agent-tray mcp` (docs/mcp.md)',
      description:
        'A JSON-RPC 2.0 message (or a batch) of the Model Context Protocol: `initialize`, `tools/list`, `tools/call`, … Stateless: every request is answered on its own ' +
        '(no `Mcp-Session-Id`), in JSON. Send `Accept: application/json, text/event-stream` and `Content-Type: application/json`. The edit tools are listed only while ' +
        'settings.json has `"mcp": { "allowEdits": true }`.',
      requestBody: { required: true, content: { 'application/json': { schema: { oneOf: [message, { type: 'array', items: message }] } } } },
      responses: {
        '200': { description: 'The JSON-RPC answer (or answers, for a batch)', content: { 'application/json': { schema: { type: ['object', 'array'] } } } },
        '202': { description: 'Accepted: the body held only notifications or responses, so there is nothing to answer' },
        '400': rpcErrorRef('Not JSON, or not a JSON-RPC message (code -32700)'),
        '401': errorRef('No token, or a wrong one (code `unauthorized`)'),
        '403': errorRef('A request from another origin, or with a Host header this host does not answer to (code `forbidden-origin`)'),
        '406': rpcErrorRef('The Accept header does not name both application/json and text/event-stream'),
        '415': rpcErrorRef('The Content-Type is not application/json'),
        '500': rpcErrorRef('An internal error of the host (its log has the details)'),
      },
    },
    get: notAllowed('mcpStream', 'Refused with 405: there is no server-to-client event stream to open'),
    delete: notAllowed('mcpEndSession', 'Refused with 405: there is no session to end'),
  };
}

/** The OpenAPI 3.1 document of every command, the event stream and this document itself. */
export function buildOpenApi(opts: { version: string }): JsonObject {
  const paths: Record<string, Record<string, JsonObject>> = {};
  for (const name of COMMAND_NAMES) {
    const [path, method, op] = operation(name);
    (paths[path] ??= {})[method] = op;
  }
  paths[EVENTS_PATH] = {
    get: {
      operationId: 'events',
      summary: 'Server-Sent Events: a snapshot of every agent first, then every change',
      description:
        'Each event is `id: N`, `event: <type>`, `data: <JSON>`. The first is `snapshot` ({ at, agents }); then `state` (name, from, to, reason, status), ' +
        '`log` (name, lines), `stats` (name, sample), `probe` (name, probe: every health probe\'s answer), `health-changed` (name, from, to, score, probe), `limit-violated`, `ready`, `io-error`, `agent-added`, `agent-updated`, `agent-removed`, `alert` (alert), `alerts-read` (ids), `alerts-cleared`, `settings-changed` (settings). A `: heartbeat` comment comes every 15 s. Ids count per connection: ' +
        'a reconnecting client gets a fresh snapshot instead of a replay. EventSource cannot set headers, so this endpoint also takes `?token=`.',
      parameters: [{ name: 'token', in: 'query', required: false, schema: { type: 'string' }, description: 'The API token, for clients that cannot send an Authorization header' }],
      security: [{ bearer: [] }, { tokenQuery: [] }],
      responses: {
        '200': { description: 'The event stream', content: { 'text/event-stream': { schema: { type: 'string' } } } },
        '401': errorRef('No token, or a wrong one'),
        '403': errorRef('A request from another origin'),
      },
    },
  };
  paths[METRICS_PATH] = {
    get: {
      operationId: 'metrics',
      summary: 'Prometheus metrics: every agent\'s state, up, restarts, CPU, memory, health, limit violations and runs, and the host\'s figures (docs/metrics.md)',
      description:
        'The Prometheus text format, version 0.0.4. Needs the token like the API, unless settings.json has `"metrics": { "public": true }` and the host listens on loopback only: ' +
        'then a Prometheus on this machine may scrape it without one (on any other address that setting is ignored).',
      security: [{ bearer: [] }, {}],
      responses: {
        '200': { description: 'The metrics', content: { 'text/plain; version=0.0.4; charset=utf-8': { schema: { type: 'string' } } } },
        '401': errorRef('No token, or a wrong one'),
        '403': errorRef('A request from another origin'),
      },
    },
  };
  paths[MCP_PATH] = mcpPath();
  paths[OPENAPI_PATH] = {
    get: {
      operationId: 'openapi',
      summary: 'This document',
      responses: { '200': { description: 'The OpenAPI 3.1 document', content: { 'application/json': { schema: { type: 'object' } } } }, '401': errorRef('No token, or a wrong one') },
    },
  };

  return {
    openapi: '3.1.0',
    info: {
      title: 'Agent Tray',
      version: opts.version,
      description:
        'The local REST API of the Agent Tray headless host (`agent-tray serve`). Every request needs `Authorization: Bearer TOKEN`; the token is in the URL that ' +
        '`agent-tray serve` prints and in the file `api-token` of the data directory. Requests that carry an Origin header other than the host\'s own are refused. ' +
        'Errors are `{ "error": { "code", "message", "hint"?, "details"? } }`. A POST may send its query parameters as a JSON object body instead.',
    },
    security: [{ bearer: [] }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'The API token of the data directory' },
        tokenQuery: { type: 'apiKey', in: 'query', name: 'token', description: 'The API token as a query parameter (the event stream only)' },
      },
      schemas: { Error: jsonSchema(ApiErrorSchema, 'output') },
    },
  };
}
