// The headless host's HTTP server (Fastify): the REST routes generated from the command table, the
// event stream, the OpenAPI document and the built renderer, behind the Host/Origin checks and
// the token. A thin transport: every command runs through `app.dispatch`.
import { hostname as machineHostname } from 'node:os';
import type { AddressInfo } from 'node:net';
import fastifyStatic from '@fastify/static';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import type { AppApi } from '../app/application.js';
import { AgentTrayError } from '../core/errors.js';
import { bearerToken, tokenMatcher } from './auth.js';
import { registerCommandRoutes } from './command-routes.js';
import { errorBody, errorReply, type RequestContext } from './error-reply.js';
import { registerMetricsRoute, type MetricsRoute } from './metrics.js';
import { registerMcpRoute } from './mcp-route.js';
import { baseUrl, hostnameOf, hostPolicy, type HostPolicy } from './host-check.js';
import { buildOpenApi, EVENTS_PATH, OPENAPI_PATH } from './openapi.js';
import { EventStreams } from './sse.js';

export interface HttpServerOptions {
  app: AppApi;
  /** The API token every /api request must present. */
  token: string;
  /** The built renderer to serve at `/` (no token needed: the page holds no data); null or absent: no UI. */
  rendererDir?: string | null;
  host: string;
  /** 0: any free port. */
  port: number;
  /** Fastify's request log (pino, to stdout). Default off. */
  logger?: boolean;
  /** The event stream's heartbeat interval (default 15 s). */
  heartbeatMs?: number;
  /** An event-stream client further behind than this is dropped (default 4 MiB). */
  sseMaxBufferedBytes?: number;
  /** How long `close()` waits for requests in flight before it cuts their connections (default 10 s). */
  closeTimeoutMs?: number;
  /** Where the token is kept, for the 401 message (e.g. `<data dir>/api-token`). */
  tokenFile?: string;
  /** The version in the OpenAPI document. */
  version?: string;
  /** Lines for the operator: internal errors with their stack, dropped clients. Default: stderr. */
  log?: (line: string) => void;
}

export interface HttpServer {
  /** Starts listening; resolves with the base URL (no trailing slash, no token) and the port. */
  listen(): Promise<{ url: string; port: number }>;
  /** Stops accepting, ends the event streams, waits for requests in flight (up to closeTimeoutMs). */
  close(): Promise<void>;
  readonly fastify: FastifyInstance;
}

const BODY_LIMIT = 1024 * 1024;

/** The path of a request URL, percent-decoded where possible. */
function pathOf(url: string): string {
  const raw = url.split('?')[0] ?? '/';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** True for requests of the API and of /mcp (they need the token and are never cached), whatever the route that matched. */
function isApiRequest(req: FastifyRequest): boolean {
  return /^\/+(api|mcp)(\/|$)/i.test(pathOf(req.url)) || /^\/(api|mcp)(\/|$)/.test(req.routeOptions.url ?? '');
}

/** Headers on every response; `Cache-Control: no-store` on the API's. */
function securityHeaders(api: boolean): Record<string, string> {
  return {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    ...(api ? { 'Cache-Control': 'no-store' } : {}),
  };
}

/** An AgentTrayError for an error of `listen`, naming the address and the fix. */
function listenError(err: unknown, host: string, port: number): unknown {
  const code = (err as NodeJS.ErrnoException).code;
  const where = `${host}:${port}`;
  if (code === 'EADDRINUSE') {
    return new AgentTrayError('conflict', `Port ${port} on ${host} is already in use by another program`, { hint: 'Choose another port with --port N, or --port 0 for any free port', cause: err });
  }
  if (code === 'EACCES') {
    return new AgentTrayError('conflict', `Not allowed to listen on ${where}${port < 1024 ? ' (ports below 1024 need administrator rights)' : ''}`, { hint: 'Choose a port above 1024 with --port N, or --port 0 for any free port', cause: err });
  }
  if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new AgentTrayError('conflict', `Cannot listen on ${where}: "${host}" is not an address of this machine`, { hint: 'Leave --host out (127.0.0.1), or give an address of one of this machine\'s interfaces', cause: err });
  }
  return err;
}

/** Creates the server; nothing listens until `listen()`. */

/**
 * Requests are validated with the command table's zod schemas, never with Fastify's JSON schemas:
 * these stand-ins keep Fastify from loading Ajv and fast-json-stringify (about 100 modules and a
 * tenth of the host's memory at rest), and say so if a route ever declares a schema.
 */
const NO_SCHEMA_COMPILERS = {
  buildValidator: () => () => {
    throw new Error('Fastify route schemas are not used here: validate with the command table\'s zod schemas');
  },
  buildSerializer: () => () => {
    throw new Error('Fastify response schemas are not used here: answers are plain JSON');
  },
};

export function createHttpServer(opts: HttpServerOptions): HttpServer {
  const log = opts.log ?? ((line: string) => console.error(line));
  const machineName = machineHostname();
  let policy: HostPolicy = hostPolicy(opts.host, opts.port, machineName);
  const tokenMatches = tokenMatcher(opts.token);
  const streams = new EventStreams(opts.app, { heartbeatMs: opts.heartbeatMs, maxBufferedBytes: opts.sseMaxBufferedBytes, log });
  let openApi: Record<string, unknown> | null = null;
  let ownOrigin = baseUrl(opts.host, opts.port);

  const fastify = Fastify({ logger: opts.logger ?? false, bodyLimit: BODY_LIMIT, return503OnClosing: true, schemaController: { compilersFactory: NO_SCHEMA_COMPILERS } });

  const context = (req: FastifyRequest): RequestContext => ({ method: req.method, path: pathOf(req.url), contentType: req.headers['content-type'], bodyLimit: BODY_LIMIT });

  // JSON bodies: an empty body is no body (curl -X POST -H 'content-type: application/json'), and a
  // syntax error is reported with the parser's own words
  const secureJsonParse = fastify.getDefaultJsonParser('error', 'error');
  fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = body as string;
    if (text.trim() === '') return done(null, undefined);
    try {
      JSON.parse(text);
    } catch (err) {
      const e = new AgentTrayError('bad-request', `The request body of ${req.method} ${pathOf(req.url)} is not valid JSON: ${(err as Error).message}`, { hint: 'Send a JSON object with Content-Type: application/json' });
      return done(e, undefined);
    }
    secureJsonParse(req, text, (err, value) => {
      if (err) done(new AgentTrayError('bad-request', 'The request body has a "__proto__" or "constructor.prototype" key, which the API refuses', { hint: 'Remove that key' }), undefined);
      else done(null, value);
    });
  });

  // Host (DNS rebinding), Origin (other sites' pages), then the token, before any body is read
  fastify.addHook('onRequest', async (req) => {
    const hostHeader = req.headers.host ?? '';
    const hostname = hostnameOf(hostHeader);
    if (!hostname || !policy.allowsHostname(hostname)) {
      throw new AgentTrayError('forbidden-origin', `This host does not answer to the name "${hostHeader}" (only to ${policy.names.join(', ')}): a request under another name can be a DNS-rebinding attack`, {
        hint: 'Use the URL that `agent-tray serve` printed, or start it with --host set to the name you use',
      });
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !policy.allowsOrigin(origin, hostHeader)) {
      throw new AgentTrayError('forbidden-origin', `Requests from pages of ${origin} are refused: only the pages of this host (${ownOrigin}) may call it`, {
        hint: 'Call the API from a script or the CLI (they send no Origin), or from the page this host serves',
      });
    }
    const metricsRequest = metrics.matches(req);
    if (!isApiRequest(req) && !metricsRequest) return; // the renderer's static files carry no data
    const fromQuery = req.routeOptions.url === EVENTS_PATH ? (req.query as Record<string, unknown>).token : undefined;
    const presented = bearerToken(req.headers.authorization) ?? (typeof fromQuery === 'string' ? fromQuery : null);
    if (!tokenMatches(presented)) {
      if (metricsRequest && (await metrics.isPublic())) return; // metrics.public, on loopback only
      const where = metricsRequest ? metrics.tokenHint(opts.tokenFile) : `The token is in the URL that \`agent-tray serve\` printed (after ?token=)${opts.tokenFile ? ` and in the file ${opts.tokenFile}` : ''}`;
      throw new AgentTrayError('unauthorized', presented ? 'The API token is wrong' : 'The API needs a token: send the header `Authorization: Bearer TOKEN`', { hint: where });
    }
  });

  let shuttingDown = false;
  fastify.addHook('onSend', async (req, reply, payload) => {
    reply.headers(securityHeaders(isApiRequest(req) || metrics.matches(req)));
    // a request that was in flight when close() began: its keep-alive connection must not hold the server open
    if (shuttingDown) reply.header('Connection', 'close');
    return payload;
  });

  fastify.setErrorHandler((err, req, reply: FastifyReply) => {
    const r = errorReply(err, context(req));
    if (r.unexpected) log(`agent-tray serve: internal error on ${req.method} ${pathOf(req.url)}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    if (r.status === 401) reply.header('WWW-Authenticate', 'Bearer realm="agent-tray"');
    return reply.code(r.status).type('application/json; charset=utf-8').send(r.body);
  });

  fastify.setNotFoundHandler((req, reply) => {
    const path = pathOf(req.url);
    const hint = !opts.rendererDir && !isApiRequest(req) ? 'This host serves no UI: the renderer is not built (npm run build); the API is under /api' : 'The API\'s routes are listed in GET /api/openapi.json';
    return reply.code(404).send(errorBody('not-found', `No route ${req.method} ${path}`, hint));
  });

  registerCommandRoutes(fastify, opts.app, { log });
  const metrics: MetricsRoute = registerMetricsRoute(fastify, { app: opts.app, host: opts.host, version: opts.version ?? '0.0.0', eventStreamClients: () => streams.size, log });

  fastify.route({
    method: 'GET',
    url: EVENTS_PATH,
    exposeHeadRoute: false,
    handler: (req, reply) => {
      reply.hijack();
      streams.open(req.raw, reply.raw, securityHeaders(true));
    },
  });

  registerMcpRoute(fastify, opts.app, { version: opts.version ?? '0.0.0', log });
  fastify.get(OPENAPI_PATH, async () => (openApi ??= buildOpenApi({ version: opts.version ?? '0.0.0' })));

  if (opts.rendererDir) {
    void fastify.register(fastifyStatic, { root: opts.rendererDir, prefix: '/', index: 'index.html', serveDotFiles: false });
  }

  // Graceful close: requests in flight finish; then every connection goes, idle keep-alive ones
  // included (a client may hold one open for seconds, and Node's closeIdleConnections misses one
  // that never sent a request)
  let inFlight = 0;
  const closeWhenDrained = () => {
    if (shuttingDown && inFlight === 0) fastify.server.closeAllConnections();
  };
  fastify.server.on('request', (_req, res) => {
    inFlight++;
    res.once('close', () => {
      inFlight--;
      closeWhenDrained();
    });
  });
  // runs once Fastify refuses new requests (503), just before it stops accepting connections
  fastify.addHook('preClose', async () => {
    streams.closeAll();
    setImmediate(closeWhenDrained);
  });

  let closing: Promise<void> | null = null;
  return {
    fastify,
    async listen() {
      try {
        await fastify.listen({ host: opts.host, port: opts.port });
      } catch (err) {
        throw listenError(err, opts.host, opts.port);
      }
      const port = (fastify.server.address() as AddressInfo).port;
      policy = hostPolicy(opts.host, port, machineName);
      ownOrigin = baseUrl(opts.host, port);
      return { url: ownOrigin, port };
    },
    close() {
      shuttingDown = true;
      closing ??= (async () => {
        // requests still running after the grace period lose their connection
        const timer = setTimeout(() => fastify.server.closeAllConnections(), opts.closeTimeoutMs ?? 10_000);
        timer.unref();
        try {
          await fastify.close();
        } finally {
          clearTimeout(timer);
        }
      })();
      return closing;
    },
  };
}
