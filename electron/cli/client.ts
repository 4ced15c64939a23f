// The CLI's side of the REST API. It finds the running host through the data directory (the lock
// names its URL, `api-token` holds the token) and calls commands by name: each request is built
// from the command's route in shared/commands.ts, so no route is written twice.
import http from 'node:http';
import https from 'node:https';
import { setTimeout as delay } from 'node:timers/promises';
import { COMMANDS, type CommandInput, type CommandName, type CommandResult, type HttpMethod } from '../../shared/commands.js';
import { ApiErrorSchema } from '../../shared/errors.js';
import type { HostEvent } from '../../shared/events.js';
import { formatIssues } from '../../shared/issues.js';
import { locateData } from '../app/data-location.js';
import { readToken, tokenFile } from '../server/api-token.js';
import { readLiveLock } from '../server/host-lock.js';
import { readSse } from './sse-reader.js';

/** A failed action (no host, unknown agent, refused request): printed as one line, exit code 1. */
export class ClientError extends Error {
  override readonly name = 'ClientError';
  constructor(
    message: string,
    /** The API's error code, or a client-side one (`no-host`, `unreachable`, `bad-response`). */
    readonly code: string,
  ) {
    super(message);
  }
}

/** A command line that does not make sense (missing NAME, bad value): exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Runs a client command: a `UsageError` is printed and gives 2, a `ClientError` gives 1. */
export async function runClientCommand(err: (line: string) => void, run: () => Promise<number>): Promise<number> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof UsageError) {
      err(`agent-tray: ${e.message}`);
      return 2;
    }
    if (e instanceof ClientError) {
      err(`agent-tray: ${e.message}`);
      return 1;
    }
    throw e; // parseArgs' errors are usage errors too; main() reports them with exit code 2
  }
}

/** The data directory from --data-dir, AGENT_TRAY_DATA_DIR or the platform's default. */
export function dataDirFrom(override: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return locateData({ dataDir: override }, env).paths.root;
}

/** An agent NAME positional, required exactly once. */
export function requireName(positionals: string[], usage: string): string {
  const [name, ...extra] = positionals;
  if (!name) throw new UsageError(`missing the agent NAME\nUsage: ${usage}`);
  if (extra.length) throw new UsageError(`one agent NAME only (got ${positionals.join(', ')})\nUsage: ${usage}`);
  return name;
}

export interface HostConnection {
  dataDir: string;
  /** The API's base URL, e.g. http://127.0.0.1:4711/ (without the token). */
  url: string;
  token: string;
  pid: number;
}

/** How long a host that holds the lock but does not listen yet is waited for. */
const STARTING_HOST_WAIT_MS = 5_000;

/** Finds the host that supervises `dataDir`; a `ClientError` (`no-host`) when none runs. */
export async function connect(dataDir: string): Promise<HostConnection> {
  const deadline = Date.now() + STARTING_HOST_WAIT_MS;
  let lock = await readLiveLock(dataDir);
  if (lock?.kind === 'run') {
    throw new ClientError(`\`agent-tray run\` (pid ${lock.pid}) supervises ${dataDir} in a terminal and serves no API; use that terminal, or stop it (Ctrl-C) and start \`agent-tray serve\``, 'no-host');
  }
  // a host that just started holds the lock before it listens: give it a moment
  while (lock && lock.url === null && Date.now() < deadline) {
    await delay(100);
    lock = await readLiveLock(dataDir);
  }
  if (!lock) {
    throw new ClientError(`No Agent Tray host is running for ${dataDir}; start one with \`agent-tray serve\` (or open the app)`, 'no-host');
  }
  if (lock.url === null) {
    throw new ClientError(`The Agent Tray host for ${dataDir} (pid ${lock.pid}) holds the lock but does not listen yet; try again in a moment`, 'no-host');
  }
  const token = await readToken(dataDir);
  if (!token) {
    throw new ClientError(`The Agent Tray host for ${dataDir} runs (pid ${lock.pid}), but ${tokenFile(dataDir)} has no usable API token; restart the host to create one`, 'no-host');
  }
  return { dataDir, url: lock.url, token, pid: lock.pid };
}

export interface HttpRequestSpec {
  method: HttpMethod;
  /** Path and query, e.g. /api/agents/web/logs?lines=10 */
  path: string;
  /** The JSON body (every method but GET has one, `{}` when there is nothing to send). */
  body?: string;
}

/** Builds a command's HTTP request from its route: `:params` from the input, the rest as query (GET) or JSON body (or the one input field `http.body` names). */
export function buildRequest<C extends CommandName>(command: C, input: CommandInput<C>): HttpRequestSpec {
  const route = COMMANDS[command].http as { method: HttpMethod; path: string; body?: string };
  const rest: Record<string, unknown> = { ...(input as Record<string, unknown>) };
  const path = route.path.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, (_, param: string) => {
    const value = rest[param];
    if (value === undefined || value === null || value === '') throw new Error(`${command}: the input has no "${param}" for ${route.path}`);
    delete rest[param];
    return encodeURIComponent(String(value));
  });
  if (route.method === 'GET') {
    const query = new URLSearchParams();
    for (const [key, value] of Object.entries(rest)) {
      if (value === undefined) continue;
      query.set(key, typeof value === 'object' ? JSON.stringify(value) : String(value));
    }
    const q = query.toString();
    return { method: route.method, path: q ? `${path}?${q}` : path };
  }
  const body = route.body ? (rest[route.body] ?? {}) : rest;
  return { method: route.method, path, body: JSON.stringify(body) };
}

/** One readable line for an error answer: the API's message and its hint, or the HTTP status. */
export function formatErrorBody(status: number, body: unknown): { code: string; message: string } {
  const parsed = ApiErrorSchema.safeParse(body);
  if (parsed.success) {
    const { code, message, hint } = parsed.data.error;
    const text = hint && !message.includes(hint) ? `${message.replace(/[.\s]+$/, '')}. ${hint}` : message;
    return { code, message: text };
  }
  const fallback = body && typeof body === 'object' && 'message' in body && typeof body.message === 'string' ? body.message : null;
  return { code: `http-${status}`, message: `The host answered HTTP ${status}${fallback ? `: ${fallback}` : ''}` };
}

export interface RequestOptions {
  /** Give up after this long (default: wait as long as the host takes). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Calls one command on the host; resolves with its result, or rejects with a `ClientError` naming what went wrong. */
export async function request<C extends CommandName>(conn: HostConnection, command: C, input: CommandInput<C>, opts: RequestOptions = {}): Promise<CommandResult<C>> {
  const spec = buildRequest(command, input);
  // node:http rather than fetch: fetch gives up on a response after 300 s (undici's headersTimeout), and an ensure may wait longer
  const { status, text } = await send(conn, spec, opts);
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (status >= 400) {
    const { code, message } = formatErrorBody(status, body);
    throw new ClientError(message, code);
  }
  const checked = COMMANDS[command].output.safeParse(body);
  if (!checked.success) {
    throw new ClientError(`The host at ${conn.url} answered ${spec.method} ${spec.path} with an unexpected body (${formatIssues(checked.error).join('; ')}); is it another version of Agent Tray?`, 'bad-response');
  }
  // the body as sent, not the parsed copy: fields a newer host adds stay (for --json)
  return body as CommandResult<C>;
}

function send(conn: HostConnection, spec: HttpRequestSpec, opts: RequestOptions): Promise<{ status: number; text: string }> {
  const url = new URL(spec.path, conn.url);
  const client = url.protocol === 'https:' ? https : http;
  const headers: Record<string, string> = { authorization: `Bearer ${conn.token}`, accept: 'application/json' };
  if (spec.body !== undefined) {
    headers['content-type'] = 'application/json';
    // node:http sends neither a length nor chunks for a DELETE body by itself: the host would answer 400
    headers['content-length'] = String(Buffer.byteLength(spec.body));
  }
  return new Promise((resolve, reject) => {
    const req = client.request(url, { method: spec.method, headers, signal: opts.signal }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', (e) => reject(unreachable(conn, e)));
    });
    if (opts.timeoutMs !== undefined) {
      req.setTimeout(opts.timeoutMs, () => req.destroy(new ClientError(`The Agent Tray host at ${conn.url} did not answer ${spec.method} ${url.pathname} within ${opts.timeoutMs} ms`, 'timeout')));
    }
    req.on('error', (e) => reject(e instanceof ClientError ? e : unreachable(conn, e)));
    req.end(spec.body);
  });
}

function unreachable(conn: HostConnection, e: Error): Error {
  if (e.name === 'AbortError') return e;
  const code = (e as NodeJS.ErrnoException).code;
  return new ClientError(`Could not reach the Agent Tray host at ${conn.url} (pid ${conn.pid}): ${code ?? e.message}; is it still running? Start one with \`agent-tray serve\``, 'unreachable');
}

/**
 * Subscribes to the host's event stream: the snapshot first, then every change, until `signal` aborts or the host closes it.
 * With `types`, only events of those types are parsed and yielded (the SSE event name says the type; the rest is skipped unread).
 */
export async function* hostEvents(conn: HostConnection, signal: AbortSignal, types?: ReadonlySet<HostEvent['type']>): AsyncGenerator<HostEvent> {
  const url = new URL('/api/events', conn.url);
  let res: Response;
  try {
    res = await fetch(url, { headers: { authorization: `Bearer ${conn.token}`, accept: 'text/event-stream' }, signal });
  } catch (e) {
    throw unreachable(conn, e instanceof Error && e.name !== 'AbortError' && e.cause instanceof Error ? e.cause : (e as Error));
  }
  if (!res.ok || !res.body) {
    const text = await res.text().catch(() => '');
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    const { code, message } = formatErrorBody(res.status, body);
    throw new ClientError(message, code);
  }
  for await (const message of readSse(res.body)) {
    if (types && !types.has(message.event as HostEvent['type'])) continue;
    let data: unknown;
    try {
      data = JSON.parse(message.data);
    } catch {
      continue; // not ours to understand
    }
    if (data && typeof data === 'object' && 'type' in data) yield data as HostEvent;
    else if (data && typeof data === 'object') yield { ...data, type: message.event } as HostEvent;
  }
}
