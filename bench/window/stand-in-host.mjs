#!/usr/bin/env node
// A stand-in for `agent-tray serve` for the window's benchmark: it serves the built renderer
// (dist/renderer) and answers the HTTP API and the event stream the window's HTTP bridge uses,
// for N made-up agents, and replays events at a rate the benchmark sets. No agent runs: the
// window's cost is measured, not the host's.
//
//   node bench/window/stand-in-host.mjs [--agents 200] [--history-lines 20000] [--events-per-s 10] [--port 0] [--seed 1]
//                                       [--renderer DIR (default dist/renderer)]
//
// Prints `stand-in host listening on http://127.0.0.1:PORT/?token=TOKEN` once it listens. Besides
// the API it answers, with the token, GET /bench/state (the replay's counts, each client's progress
// through the history) and POST /bench/rate?eventsPerS=N.
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DEFAULT_RENDERER = join(ROOT, 'dist', 'renderer');

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.map': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2' };

/** Sends a JSON answer. */
function json(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

/** Sends a file of the built renderer in `root` (index.html for `/`), or 404. */
function serveStatic(res, root, pathname) {
  const rel = normalize(decodeURIComponent(pathname === '/' ? '/index.html' : pathname)).replace(/^([/\\])+/, '');
  const file = join(root, rel);
  if (!file.startsWith(root + sep) || !existsSync(file)) {
    json(res, 404, { error: { code: 'not-found', message: `No file ${pathname}` } });
    return;
  }
  res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' });
  res.end(readFileSync(file));
}

/**
 * Starts the stand-in host on 127.0.0.1.
 * @param {{ agents?: number, historyLines?: number, eventsPerS?: number, port?: number, seed?: number, chunkLines?: number, renderer?: string }} [opts]
 * @returns {Promise<{ url: string, token: string, close: () => Promise<void> }>}
 */
export async function startStandInHost(opts = {}) {
  const renderer = resolve(opts.renderer ?? DEFAULT_RENDERER);
  if (!existsSync(join(renderer, 'index.html'))) throw new Error(`stand-in host: ${renderer}/index.html is missing; build the renderer first (npm run build)`);
  // dist/shared is imported only now, so that a missing build is reported in the words above
  const { createWorld } = await import('./world.mjs');
  const { createApi, apiError } = await import('./api.mjs');
  const { createEventStreams } = await import('./event-stream.mjs');
  const now = () => Date.now();
  const world = createWorld({ agents: opts.agents ?? 200, historyLines: opts.historyLines ?? 20_000, seed: opts.seed ?? 1, now: now() });
  const answer = createApi(world, { now });
  const streams = createEventStreams(world, { now, chunkLines: opts.chunkLines });
  const token = randomBytes(16).toString('hex');

  const authorized = (req, url) => req.headers.authorization === `Bearer ${token}` || url.searchParams.get('token') === token;

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://stand-in');
    const method = req.method ?? 'GET';
    try {
      if (!url.pathname.startsWith('/api/') && !url.pathname.startsWith('/bench/')) {
        serveStatic(res, renderer, url.pathname);
        return;
      }
      if (!authorized(req, url)) {
        json(res, 401, apiError('unauthorized', 'The token is missing or wrong.', 'Open the URL the stand-in host printed.'));
        return;
      }
      if (url.pathname === '/api/events' && method === 'GET') {
        streams.open(req, res);
        return;
      }
      if (url.pathname === '/bench/state' && method === 'GET') {
        json(res, 200, streams.state());
        return;
      }
      if (url.pathname === '/bench/rate' && method === 'POST') {
        const rate = Number(url.searchParams.get('eventsPerS'));
        if (!Number.isFinite(rate) || rate < 0) {
          json(res, 400, apiError('bad-request', 'eventsPerS must be a number ≥ 0'));
          return;
        }
        streams.setRate(rate);
        json(res, 200, streams.state());
        return;
      }
      const result = answer(method, url);
      if (result) json(res, result.status, result.body);
      else json(res, 404, apiError('not-found', `No route ${method} ${url.pathname}`, 'The API\'s routes are listed in shared/commands.ts'));
    } catch (err) {
      console.error(`stand-in host: ${method} ${url.pathname}: ${err instanceof Error ? err.stack : err}`);
      if (!res.headersSent) json(res, 500, apiError('internal', String(err instanceof Error ? err.message : err)));
      else res.destroy();
    }
  });
  // the benchmark polls /bench/state over one kept-alive connection while the history streams
  server.keepAliveTimeout = 120_000;
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve(undefined));
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  if (opts.eventsPerS) streams.setRate(opts.eventsPerS);
  return {
    url: `http://127.0.0.1:${port}`,
    token,
    close: async () => {
      streams.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(() => resolve(undefined)));
    },
  };
}

/** Reads `--name value` options. */
function parseArgs(argv) {
  const opts = {};
  const names = { '--agents': 'agents', '--history-lines': 'historyLines', '--events-per-s': 'eventsPerS', '--port': 'port', '--seed': 'seed', '--chunk-lines': 'chunkLines' };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--renderer') {
      opts.renderer = argv[++i];
      continue;
    }
    const key = names[argv[i]];
    if (!key) throw new Error(`unknown option ${argv[i]}; the options are ${Object.keys(names).join(', ')}, --renderer`);
    const value = Number(argv[++i]);
    if (!Number.isFinite(value) || value < 0) throw new Error(`${argv[i - 1]} takes a number ≥ 0`);
    opts[key] = value;
  }
  return opts;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === normalize(process.argv[1])) {
  try {
    const host = await startStandInHost(parseArgs(process.argv.slice(2)));
    console.log(`stand-in host listening on ${host.url}/?token=${host.token}`);
    const stop = () => void host.close().then(() => process.exit(0));
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  } catch (err) {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  }
}
