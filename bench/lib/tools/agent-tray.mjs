// Agent Tray: `agent-tray serve --port 0 --data-dir <tmp>` with an agents.json of the agents,
// driven through its REST API; "running and printed its first line" comes from its event stream.
import { existsSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild } from '../child.mjs';
import { killPid, waitGone } from '../processes.mjs';
import { connectEvents } from '../sse.mjs';
import { waitUntil, within } from '../wait.mjs';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
// AGENT_TRAY_BIN measures another build (a patched copy, an older release) with the same harness
const BIN = process.env.AGENT_TRAY_BIN || join(ROOT, 'bin', 'agent-tray.js');
const URL_LINE = /Agent Tray listening on (http:\/\/\S+?)\/?\?token=(\S+)/;

/** Starts `agent-tray serve` on the data directory; resolves once it printed its URL. */
async function serve(dataDir, extraEnv = {}) {
  const host = startChild(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dataDir], {
    what: 'agent-tray serve',
    env: { ...process.env, ...extraEnv },
  });
  // generous: a host re-adopts every running agent before it prints its URL, and that is measured
  const m = await host.waitForLine(URL_LINE, 600_000);
  return { host, base: m[1], token: m[2] };
}

export const agentTray = {
  id: 'agent-tray',
  async available() {
    if (!existsSync(join(ROOT, 'dist', 'electron', 'cli', 'index.js'))) return { ok: false, reason: 'not built: run `npm run build` first' };
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    return { ok: true, version: pkg.version };
  },

  /**
   * @param {{ tmp: (what: string) => string, hostEnv?: Record<string, string> }} ctx
   * @param {{ name: string, script: string, args: string[], env: Record<string, string>, oneShot?: boolean, definition?: Record<string, unknown> }[]} agents (`definition`: more fields of its agents.json entry)
   */
  async open(ctx, agents) {
    const dataDir = ctx.tmp('agent-tray');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(
      join(dataDir, 'agents.json'),
      JSON.stringify({
        agents: agents.map((a) => ({
          name: a.name,
          command: process.execPath,
          args: [a.script, ...a.args],
          env: a.env,
          ...(a.oneShot ? { restart: { policy: 'no' } } : {}),
          ...(a.definition ?? {}),
        })),
      }, null, 2),
    );
    // the default settings but for the concurrency limit (5), which would refuse N agents
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ maxConcurrent: Math.max(5, agents.length) }, null, 2));

    let current = await serve(dataDir, ctx.hostEnv);
    const api = async (method, path, body) => {
      const res = await fetch(`${current.base}${path}`, {
        method,
        headers: { authorization: `Bearer ${current.token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      const json = await res.json().catch(() => null);
      if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${JSON.stringify(json)}`);
      return json;
    };
    const names = agents.map((a) => a.name);

    const session = {
      get hostPid() {
        return current.host.pid;
      },
      dataDir,
      api,
      /** The event stream's URL (with the token). */
      eventsUrl: () => `${current.base}/api/events?token=${current.token}`,
      /** POST start-all; resolves once every agent is running and its first stdout line arrived on the event stream. */
      async startAll() {
        const running = new Set();
        const printed = new Set();
        let snapshot = false;
        let resolveDone;
        const done = new Promise((r) => (resolveDone = r));
        const check = () => {
          if (running.size === names.length && printed.size === names.length) resolveDone();
        };
        const events = await connectEvents(`${current.base}/api/events?token=${current.token}`, (type, data) => {
          if (type === 'snapshot') snapshot = true;
          else if (type === 'state' && data.to === 'running') running.add(data.name);
          else if (type === 'log' && data.lines.some((l) => l.stream === 'stdout')) printed.add(data.name);
          check();
        });
        try {
          await waitUntil(() => snapshot, 10_000, 'the event stream snapshot', 5);
          const t0 = performance.now();
          const answer = api('POST', '/api/agents/start-all');
          // a start that fails ends the wait at once, with the host's reason
          const failure = new Promise((_, reject) => {
            answer.then((r) => {
              const bad = r.results.filter((x) => !x.ok);
              if (bad.length) reject(new Error(`start-all: ${bad.length} failed, e.g. ${JSON.stringify(bad[0]).slice(0, 300)}`));
            }, reject);
          });
          failure.catch(() => {});
          let timer;
          const timeout = new Promise((_, reject) => {
            timer = setTimeout(() => reject(new Error(`start-all: after 300 s ${running.size} of ${names.length} running, ${printed.size} printed a line`)), 300_000);
          });
          try {
            await Promise.race([done, failure, timeout]);
          } finally {
            clearTimeout(timer);
          }
          const ms = performance.now() - t0;
          await answer;
          return { ms, commandMs: performance.now() - t0 };
        } finally {
          events.close();
        }
      },
      stopAll: () => api('POST', '/api/agents/stop-all'),
      startOne: (name) => api('POST', `/api/agents/${name}/start`),
      stopOne: (name) => api('POST', `/api/agents/${name}/stop`),
      async killHost() {
        killPid(current.host.pid);
        await current.host.exited;
      },
      /** Starts the host again on the same data directory; resolves once it printed its URL. */
      async restartHost() {
        current = await serve(dataDir, ctx.hostEnv);
      },
      /** Polls the API until every agent is running; their pids by name. */
      async waitRunning(timeoutMs) {
        const list = await waitUntil(
          async () => {
            const r = await api('GET', '/api/agents');
            return r.agents.length === names.length && r.agents.every((a) => a.state === 'running' && a.pid) ? r.agents : null;
          },
          timeoutMs,
          'every agent running under the new host',
          20,
        );
        return new Map(list.map((a) => [a.name, a.pid]));
      },
      async close() {
        if (!current.host.done) {
          await api('POST', '/api/agents/kill-all').catch(() => {});
          killPid(current.host.pid, 'SIGTERM');
          await within(current.host.exited, 5000);
        }
        if (!current.host.done) killPid(current.host.pid);
        await waitGone([current.host.pid], 5000);
      },
    };
    return session;
  },
};
