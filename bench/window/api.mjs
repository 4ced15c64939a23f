// The stand-in host's answers to the window's commands, routed by the command table of
// shared/commands.ts (from dist/shared) exactly as the HTTP bridge builds its requests. Each
// answer is checked once against the command's output schema, so the stand-in stays true to the
// contract; commands the window does not send while it is measured answer 501 in the API's shape.
import { COMMANDS } from '../../dist/shared/commands.js';
import { SettingsSchema } from '../../dist/shared/settings.js';

/** An API error body, as the real host sends it. */
export function apiError(code, message, hint) {
  return { error: { code, message, ...(hint ? { hint } : {}) } };
}

/** The routes of the command table: method, a regular expression of the path, its parameter names. */
function routeTable() {
  return Object.entries(COMMANDS).map(([name, spec]) => {
    const params = [];
    const source = spec.http.path.replace(/:([A-Za-z0-9_]+)/g, (_, p) => {
      params.push(p);
      return '([^/]+)';
    });
    return { name, method: spec.http.method, re: new RegExp(`^${source}$`), params, literal: !spec.http.path.includes(':') };
  });
}

/**
 * The command handlers over a world.
 * @param {ReturnType<import('./world.mjs').createWorld>} world
 * @param {{ now: () => number }} clock
 */
export function createApi(world, clock) {
  const routes = routeTable();
  // literal paths first: /api/agents/start-all is not /api/agents/:name
  routes.sort((a, b) => Number(b.literal) - Number(a.literal));
  const { $schema: _link, ...settings } = SettingsSchema.parse({});
  void _link;
  const checked = new Set();

  const agent = (name) => {
    const i = world.indexOf(name);
    return i < 0 ? null : i;
  };
  const unknown = (name) => ({ status: 404, body: apiError('unknown-agent', `There is no agent named "${name}".`, 'GET /api/agents lists them.') });

  /** @type {Record<string, (input: Record<string, string>) => { status?: number, body: unknown }>} */
  const handlers = {
    listAgents: () => ({ body: { agents: world.statuses() } }),
    getAgent: ({ name }) => (agent(name) === null ? unknown(name) : { body: world.statuses()[agent(name)] }),
    getDefinition: ({ name }) => {
      const i = agent(name);
      if (i === null) return unknown(name);
      const s = world.statuses()[i];
      return { body: { name, command: 'python3', args: ['-m', 'agent', '--name', name], env: { LOG_LEVEL: 'info' }, ...(s.port ? { port: s.port } : {}), ...(s.groups?.length ? { groups: s.groups } : {}), ...(s.dependsOn ? { dependsOn: s.dependsOn } : {}) } };
    },
    agentLogs: ({ name, lines, stream }) => {
      const i = agent(name);
      if (i === null) return unknown(name);
      const n = Math.min(1000, Math.max(1, Number(lines ?? 100)));
      const want = stream ?? 'all';
      // the newest n lines of the stream asked for (the API's cap is 1000)
      const picked = world.recentLines(i, want === 'all' ? n : n * 10).filter((l) => want === 'all' || l.stream === want).slice(-n);
      return { body: { lines: picked.map((l) => ({ ts: new Date(l.at).toISOString(), stream: l.stream, text: l.text })) } };
    },
    agentStats: ({ name, since }) => {
      const i = agent(name);
      if (i === null) return unknown(name);
      const after = Number(since ?? 0);
      return { body: { samples: world.statsHistory(i, clock.now()).filter((s) => s.at > after) } };
    },
    agentViolations: ({ name }) => (agent(name) === null ? unknown(name) : { body: { violations: [] } }),
    listAlerts: ({ since, agent: about, severity }) => ({
      body: { alerts: world.alerts().filter((a) => a.id > Number(since ?? 0) && (!about || a.name === about) && (!severity || a.severity === severity)) },
    }),
    history: () => ({ body: { runs: [], inProgress: [] } }),
    getSettings: () => ({ body: { settings, startAtLogin: null, settingsFile: '/stand-in/settings.json' } }),
    getGraph: () => {
      const statuses = world.statuses();
      const byName = new Map(statuses.map((s) => [s.name, s]));
      const nodes = statuses.map((s) => ({ name: s.name, state: s.state, groups: s.groups ?? [], ready: s.state === 'running', health: s.health }));
      const edges = statuses.flatMap((s) =>
        Object.entries(s.dependsOn ?? {}).map(([to, condition]) => ({ from: s.name, to, condition, met: byName.get(to)?.state === 'running' && byName.get(to)?.health === 'healthy' })),
      );
      return { body: { nodes, edges } };
    },
    listGroups: () => {
      const groups = new Map();
      for (const s of world.statuses()) for (const g of s.groups ?? []) groups.set(g, [...(groups.get(g) ?? []), s]);
      return { body: { groups: [...groups].map(([name, list]) => ({ name, agents: list.map((s) => s.name), running: list.filter((s) => s.state === 'running').length, total: list.length })) } };
    },
    getConfig: () => ({ body: { files: [{ file: '/stand-in/agents.json', ok: true, error: null, loadedAt: clock.now() }] } }),
    listOrphans: () => ({ body: { orphans: [] } }),
  };

  /**
   * The answer to one API request, or null when no command has this route.
   * @param {string} method @param {URL} url
   * @returns {{ status: number, body: unknown } | null}
   */
  return function answer(method, url) {
    for (const r of routes) {
      if (r.method !== method) continue;
      const m = r.re.exec(url.pathname);
      if (!m) continue;
      const input = Object.fromEntries(url.searchParams);
      r.params.forEach((p, k) => (input[p] = decodeURIComponent(m[k + 1])));
      const handler = handlers[r.name];
      if (!handler) return { status: 501, body: apiError('internal', `The window benchmark's stand-in host does not do ${r.name} (${method} ${url.pathname}).`, 'Run the window against `agent-tray serve` for that.') };
      const { status = 200, body } = handler(input);
      if (status === 200 && !checked.has(r.name)) {
        // the first answer of each command is checked against the contract (a wrong shape fails loudly)
        const result = COMMANDS[r.name].output.safeParse(body);
        if (!result.success) throw new Error(`stand-in host: the answer to ${r.name} does not match shared/commands.ts: ${result.error.message}`);
        checked.add(r.name);
      }
      return { status, body };
    }
    return null;
  };
}
