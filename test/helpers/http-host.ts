// The headless host in the test process: the real application and HTTP server on 127.0.0.1 and
// port 0 over a fresh data directory, and a small client for its API. Every pid an answer names is
// tracked, so the test's afterEach ends it even when the test fails.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { AgentTrayApp, type AppApi } from '../../electron/app/application.js';
import { ensureToken, tokenFile } from '../../electron/server/api-token.js';
import { createHttpServer, type HttpServer, type HttpServerOptions } from '../../electron/server/http-server.js';
import type { AgentDefinitionInput } from '../../shared/agent.js';
import type { Cleanups } from './engine.js';
import { track } from './processes.js';
import { tempDir } from './temp-dir.js';

export interface TestHost {
  url: string;
  port: number;
  token: string;
  dataDir: string;
  app: AgentTrayApp;
  server: HttpServer;
  /** Lines the server logged (internal errors, dropped clients). */
  logged: string[];
  /** Calls the API with the token (unless `headers.authorization` is given, or null to send none). */
  api: (method: string, urlPath: string, body?: unknown, headers?: Record<string, string | null>) => Promise<ApiAnswer>;
}

export interface ApiAnswer {
  status: number;
  headers: Headers;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read whatever the API answered
  body: any;
}

export interface HostOptions {
  agents?: AgentDefinitionInput[];
  /** Wraps the application, e.g. to count subscriptions. */
  wrap?: (app: AgentTrayApp) => AppApi;
  server?: Partial<Omit<HttpServerOptions, 'app' | 'token' | 'host' | 'port'>>;
}

/** Tracks every `pid` in a JSON answer (statuses, lists, bulk results). */
function trackPids(value: unknown): void {
  if (Array.isArray(value)) value.forEach(trackPids);
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) {
      if ((key === 'pid' && typeof v === 'number') || (key === 'pids' && Array.isArray(v)) || (key === 'killedPids' && Array.isArray(v))) track(...[v].flat());
      else trackPids(v);
    }
  }
}

/** Starts a host over a fresh data directory; `cleanups` closes it and removes the directory. */
export async function startHost(cleanups: Cleanups, opts: HostOptions = {}): Promise<TestHost> {
  const { dir, cleanup } = await tempDir('agent-tray-host-');
  const opened: { server?: HttpServer; app?: AgentTrayApp } = {};
  // in this order: the server, the application (agents are ended by pid before), the directory
  cleanups.push(async () => {
    await opened.server?.close();
    await opened.app?.close();
    await cleanup();
  });
  if (opts.agents) await writeFile(path.join(dir, 'agents.json'), JSON.stringify({ agents: opts.agents }));
  const token = await ensureToken(dir);
  const app = await AgentTrayApp.open({ dataDir: dir });
  opened.app = app;
  const logged: string[] = [];
  const server = createHttpServer({ app: opts.wrap ? opts.wrap(app) : app, token, host: '127.0.0.1', port: 0, tokenFile: tokenFile(dir), log: (l) => logged.push(l), ...opts.server });
  opened.server = server;
  const { url, port } = await server.listen();

  const api = apiClient(url, token);
  return { url, port, token, dataDir: dir, app, server, logged, api };
}

/** A client for the API at `url`: sends the token unless `headers.authorization` is given (null: none); tracks every pid it is told. */
export function apiClient(url: string, token: string): TestHost['api'] {
  return async (method, urlPath, body, headers = {}) => {
    const h: Record<string, string> = { authorization: `Bearer ${token}` };
    for (const [k, v] of Object.entries(headers)) {
      if (v === null) delete h[k];
      else h[k] = v;
    }
    if (body !== undefined) h['content-type'] ??= 'application/json';
    const res = await fetch(url + urlPath, { method, headers: h, ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}) });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    trackPids(parsed);
    return { status: res.status, headers: res.headers, body: parsed };
  };
}

/** A request with headers fetch will not send as given (Host), over node:http. */
export { rawRequest } from './raw-request.js';
