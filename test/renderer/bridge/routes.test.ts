// Commands become the requests the host's routes read (electron/server/command-routes.ts): the
// request built here, read back by the host's own commandInput, gives the input it started from.
import { describe, expect, it } from 'vitest';
import { COMMAND_NAMES, COMMANDS } from '../../../shared/commands.js';
import { BridgeError } from '../../../shared/bridge.js';
import { commandInput } from '../../../electron/server/command-routes.js';
import { EVENTS_PATH as SERVER_EVENTS_PATH, pathParams } from '../../../electron/server/openapi.js';
import { buildCommandRequest, EVENTS_PATH, routeParams, type RouteSpec } from '../../../renderer/bridge/routes.js';

const route = (name: keyof typeof COMMANDS) => COMMANDS[name].http as RouteSpec;

/** What the host's route handler makes of a request: path params matched, query parsed (flat strings), body parsed. */
function hostReads(spec: RouteSpec, req: { url: string; body: string | undefined }): Record<string, unknown> {
  const [path, qs = ''] = req.url.split('?') as [string, string?];
  const pattern = new RegExp(`^${spec.path.replace(/:([A-Za-z0-9_]+)/g, '(?<$1>[^/]+)')}$`);
  const m = pattern.exec(path);
  if (!m) throw new Error(`${path} does not match ${spec.path}`);
  const params = Object.fromEntries(Object.entries(m.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)]));
  const query = Object.fromEntries(new URLSearchParams(qs));
  return commandInput(spec, { params, query, body: req.body === undefined ? undefined : JSON.parse(req.body) });
}

describe('command requests', () => {
  it('agree with the host on the event stream path and on path parameters', () => {
    expect(EVENTS_PATH).toBe(SERVER_EVENTS_PATH);
    for (const name of COMMAND_NAMES) expect(routeParams(route(name).path)).toEqual(pathParams(route(name).path));
  });

  it('GET: path parameters URL-encoded, the rest in the query string', () => {
    expect(buildCommandRequest('agentLogs', route('agentLogs'), { name: 'my agent', lines: 50, stream: 'stderr' })).toEqual({ method: 'GET', url: '/api/agents/my%20agent/logs?lines=50&stream=stderr', body: undefined });
    expect(buildCommandRequest('listAgents', route('listAgents'), undefined)).toEqual({ method: 'GET', url: '/api/agents', body: undefined });
    expect(buildCommandRequest('history', route('history'), { agent: undefined, limit: 5 }).url).toBe('/api/history?limit=5');
  });

  it('POST and PUT: the route\'s body field is the whole body, else the other fields are', () => {
    const definition = { name: 'a', command: 'node', args: ['x.js'] };
    expect(buildCommandRequest('createAgent', route('createAgent'), { definition })).toEqual({ method: 'POST', url: '/api/agents', body: JSON.stringify(definition) });
    expect(buildCommandRequest('updateAgent', route('updateAgent'), { name: 'a', definition })).toEqual({ method: 'PUT', url: '/api/agents/a', body: JSON.stringify(definition) });
    expect(buildCommandRequest('ensureAgent', route('ensureAgent'), { name: 'a', timeoutMs: '90s' })).toEqual({ method: 'POST', url: '/api/agents/a/ensure', body: '{"timeoutMs":"90s"}' });
    expect(buildCommandRequest('startAgent', route('startAgent'), { name: 'a' })).toEqual({ method: 'POST', url: '/api/agents/a/start', body: undefined });
    expect(buildCommandRequest('setLimits', route('setLimits'), { maxConcurrent: 3 })).toEqual({ method: 'PUT', url: '/api/limits', body: '{"maxConcurrent":3}' });
  });

  it('DELETE: the rest in the query string', () => {
    expect(buildCommandRequest('removeAgent', route('removeAgent'), { name: 'a', stop: true })).toEqual({ method: 'DELETE', url: '/api/agents/a?stop=true', body: undefined });
  });

  it('the host reads back exactly the input, for every command', () => {
    const inputs: { [K in keyof typeof COMMANDS]?: Record<string, unknown> } = {
      getAgent: { name: 'a.b' },
      createAgent: { definition: { name: 'n', command: 'c', env: { K: 'v' } } },
      updateAgent: { name: 'n', definition: { name: 'n', command: 'c' } },
      removeAgent: { name: 'n', stop: 'true' },
      ensureAgent: { name: 'n', timeoutMs: 5000 },
      agentLogs: { name: 'n', lines: '10', stream: 'all' },
      agentStats: { name: 'n', since: '12' },
      listAlerts: { since: '3' },
      history: { agent: 'n', limit: '7' },
      setLimits: { maxConcurrent: 4 },
    };
    for (const name of COMMAND_NAMES) {
      // commands without an example here: their path parameters, and the body field if the route has one
      const spec = route(name);
      const input = inputs[name] ?? { ...Object.fromEntries(routeParams(spec.path).map((p) => [p, 'x_1'])), ...(spec.body ? { [spec.body]: { some: 'value' } } : {}) };
      const req = buildCommandRequest(name, route(name), input);
      expect(hostReads(route(name), req), name).toEqual(input);
      expect(req.url, name).not.toContain(':');
    }
  });

  it('refuses input the route cannot carry, with a BridgeError', () => {
    expect(() => buildCommandRequest('startAgent', route('startAgent'), {})).toThrow(new BridgeError({ code: 'bad-request', message: 'startAgent needs "name"' }));
    expect(() => buildCommandRequest('createAgent', route('createAgent'), {})).toThrow(/createAgent needs "definition"/);
    expect(() => buildCommandRequest('listAgents', route('listAgents'), 'x')).toThrow(/takes an object/);
  });
});
