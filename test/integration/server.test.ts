// The REST API of the headless host, driven over HTTP with real fixture agents: the token, the
// Origin and Host checks, validation, errors, the whole life of an agent, bulk commands, ensure,
// summary, the OpenAPI document, the renderer and a graceful close.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AppApi } from '../../electron/app/application.js';
import { createHttpServer } from '../../electron/server/http-server.js';
import { COMMANDS, COMMAND_NAMES } from '../../shared/commands.js';
import type { Cleanups } from '../helpers/engine.js';
import { rawRequest, startHost } from '../helpers/http-host.js';
import { alive, fixture, killTracked } from '../helpers/processes.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait.js';

const cleanups: Cleanups = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0)) await c();
});

const node = process.execPath;
const behaves = (name: string, extra: Record<string, unknown> = {}) => ({ name, command: node, args: [fixture('well-behaved.mjs')], ...extra });

async function agentsJson(dir: string): Promise<{ agents: { name: string; args?: string[]; env?: Record<string, string> }[] }> {
  return JSON.parse(await readFile(path.join(dir, 'agents.json'), 'utf8'));
}

test('every /api request needs the token: none and a wrong one are 401 with where to find it', async () => {
  const host = await startHost(cleanups);
  const none = await host.api('GET', '/api/agents', undefined, { authorization: null });
  assert.equal(none.status, 401);
  assert.equal(none.body.error.code, 'unauthorized');
  assert.match(none.body.error.message, /Authorization: Bearer TOKEN/);
  assert.ok(none.body.error.hint.includes(path.join(host.dataDir, 'api-token')), none.body.error.hint);
  assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="agent-tray"');

  const wrong = await host.api('GET', '/api/agents', undefined, { authorization: `Bearer ${host.token.slice(0, -1)}x` });
  assert.equal(wrong.status, 401);
  assert.match(wrong.body.error.message, /token is wrong/);

  // ?token= is for the event stream only; unknown /api routes are not revealed without a token
  assert.equal((await host.api('GET', `/api/agents?token=${host.token}`, undefined, { authorization: null })).status, 401);
  assert.equal((await host.api('GET', '/api/nothing-here', undefined, { authorization: null })).status, 401);
  assert.equal((await host.api('GET', '/api/openapi.json', undefined, { authorization: null })).status, 401);

  const ok = await host.api('GET', '/api/agents', undefined, { authorization: `bearer ${host.token}` });
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.body, { agents: [] });
});

test('a foreign Origin and a foreign Host are 403; the host\'s own origins pass', async () => {
  const host = await startHost(cleanups);
  const foreign = await host.api('GET', '/api/agents', undefined, { origin: 'http://evil.example' });
  assert.equal(foreign.status, 403);
  assert.equal(foreign.body.error.code, 'forbidden-origin');
  assert.match(foreign.body.error.message, /http:\/\/evil\.example/);
  assert.equal((await host.api('GET', '/api/agents', undefined, { origin: 'null' })).status, 403);
  assert.equal((await host.api('GET', '/api/agents', undefined, { origin: `http://127.0.0.1:${host.port + 1}` })).status, 403);
  // also refused before the token is looked at, and for the renderer's files
  assert.equal((await host.api('GET', '/api/agents', undefined, { origin: 'http://evil.example', authorization: null })).status, 403);

  for (const origin of [`http://127.0.0.1:${host.port}`, `http://localhost:${host.port}`, `http://[::1]:${host.port}`]) {
    assert.equal((await host.api('GET', '/api/agents', undefined, { origin })).status, 200, origin);
  }

  const auth = { authorization: `Bearer ${host.token}` };
  const rebound = await rawRequest(host.port, { path: '/api/agents', headers: { ...auth, host: `evil.example:${host.port}` } });
  assert.equal(rebound.status, 403);
  assert.match(JSON.parse(rebound.body).error.message, /does not answer to the name "evil\.example:\d+".*DNS-rebinding/);
  assert.equal((await rawRequest(host.port, { path: '/api/agents', headers: { ...auth, host: `localhost:${host.port}` } })).status, 200);
  // a port forward (ssh -L 9000:localhost:PORT): same-origin under the forwarded port
  assert.equal((await rawRequest(host.port, { path: '/api/agents', headers: { ...auth, host: 'localhost:9000', origin: 'http://localhost:9000' } })).status, 200);
});

test('responses carry the security headers; the API is never cached', async () => {
  const host = await startHost(cleanups);
  for (const answer of [await host.api('GET', '/api/agents'), await host.api('GET', '/api/agents', undefined, { authorization: null }), await host.api('GET', '/api/agents/nope')]) {
    assert.equal(answer.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(answer.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(answer.headers.get('cache-control'), 'no-store');
    assert.match(answer.headers.get('content-type') ?? '', /^application\/json/);
  }
});

test('invalid requests are 400 naming the field; bad JSON names the parser\'s complaint', async () => {
  const host = await startHost(cleanups);
  const badName = await host.api('POST', '/api/agents', { name: 'a/b', command: 'node' });
  assert.equal(badName.status, 400);
  assert.equal(badName.body.error.code, 'bad-request');
  assert.match(badName.body.error.message, /name: "a\/b" has characters other than/);

  const badPort = await host.api('POST', '/api/agents', { name: 'ok', command: 'node', port: 70000 });
  assert.equal(badPort.status, 400);
  assert.match(badPort.body.error.message, /port: /);

  const badJson = await host.api('POST', '/api/agents', '{"name": "x",');
  assert.equal(badJson.status, 400);
  assert.match(badJson.body.error.message, /^The request body of POST \/api\/agents is not valid JSON: .+/);

  const noBody = await host.api('POST', '/api/agents');
  assert.equal(noBody.status, 400);
  assert.match(noBody.body.error.message, /POST \/api\/agents needs a JSON body: the definition/);

  const emptyJson = await host.api('POST', '/api/agents', '');
  assert.equal(emptyJson.status, 400);
  assert.match(emptyJson.body.error.message, /needs a JSON body/);

  const arrayBody = await host.api('POST', '/api/agents/x/ensure', [1, 2]);
  assert.equal(arrayBody.status, 400);
  assert.match(arrayBody.body.error.message, /must be a JSON object, not an array/);

  const badQuery = await host.api('GET', '/api/agents/x/logs?lines=abc');
  assert.equal(badQuery.status, 400);
  assert.match(badQuery.body.error.message, /lines: /);

  const text = await host.api('POST', '/api/agents', 'name=x', { 'content-type': 'text/xml' });
  assert.equal(text.status, 415);
  assert.equal(text.body.error.code, 'bad-request');
  assert.match(text.body.error.message, /Content-Type "text\/xml"/);

  const big = await host.api('POST', '/api/agents', JSON.stringify({ name: 'big', command: 'node', description: 'x'.repeat(2 * 1024 * 1024) }));
  assert.equal(big.status, 413);
  assert.match(big.body.error.message, /larger than the limit of 1048576 bytes/);
});

test('unknown agents are 404, unknown routes are 404 in the same error shape', async () => {
  const host = await startHost(cleanups, { agents: [behaves('web')] });
  for (const [method, p] of [
    ['GET', '/api/agents/nope'],
    ['POST', '/api/agents/nope/start'],
    ['DELETE', '/api/agents/nope'],
    ['GET', '/api/agents/nope/logs'],
  ] as const) {
    const answer = await host.api(method, p);
    assert.equal(answer.status, 404, `${method} ${p}`);
    assert.equal(answer.body.error.code, 'unknown-agent');
    assert.match(answer.body.error.message, /No agent named "nope" \(known agents: web\)/);
  }
  const route = await host.api('GET', '/api/nowhere');
  assert.equal(route.status, 404);
  assert.equal(route.body.error.code, 'not-found');
  assert.match(route.body.error.message, /No route GET \/api\/nowhere/);
  assert.match(route.body.error.hint, /openapi\.json/);
});

test('the whole life of an agent over the API: create, start, logs, stop, update, delete', async () => {
  const host = await startHost(cleanups);

  const created = await host.api('POST', '/api/agents', behaves('web', { env: { GREETING: 'hi' } }));
  assert.equal(created.status, 200);
  assert.equal(created.body.name, 'web');
  assert.equal(created.body.state, 'stopped');
  assert.deepEqual((await agentsJson(host.dataDir)).agents.map((a) => a.name), ['web']);
  const again = await host.api('POST', '/api/agents', behaves('web'));
  assert.equal(again.status, 409);
  assert.equal(again.body.error.code, 'agent-exists');

  const started = await host.api('POST', '/api/agents/web/start');
  assert.equal(started.status, 200);
  assert.equal(started.body.state, 'running');
  const pid = started.body.pid as number;
  assert.ok(pid > 0 && alive(pid));
  assert.equal((await host.api('GET', '/api/agents/web')).body.pid, pid);
  assert.deepEqual((await host.api('GET', '/api/agents')).body.agents.map((a: { name: string; state: string }) => [a.name, a.state]), [['web', 'running']]);

  await waitFor(async () => (await host.api('GET', '/api/agents/web/logs?lines=5&stream=stdout')).body.lines.some((l: { text: string }) => l.text === 'tick 1'), 5_000, 'the first tick in the logs');
  const all = await host.api('GET', '/api/agents/web/logs');
  assert.equal(all.body.lines[0].text, `ready pid=${pid}`);
  const logs = await host.api('GET', '/api/agents/web/logs?lines=2');
  assert.equal(logs.status, 200);
  assert.equal(logs.body.lines.length, 2);
  for (const line of logs.body.lines) {
    assert.equal(line.stream, 'stdout');
    assert.ok(!Number.isNaN(Date.parse(line.ts)), line.ts);
  }

  const removeRunning = await host.api('DELETE', '/api/agents/web');
  assert.equal(removeRunning.status, 409);
  assert.equal(removeRunning.body.error.code, 'conflict');
  assert.match(removeRunning.body.error.hint, /stop=true/);

  const updated = await host.api('PUT', '/api/agents/web', behaves('web', { env: { GREETING: 'hello' } }));
  assert.equal(updated.status, 200);
  assert.equal(updated.body.pid, pid, 'a running agent keeps running with its old definition');
  assert.deepEqual((await agentsJson(host.dataDir)).agents[0]?.env, { GREETING: 'hello' });
  assert.equal((await host.api('GET', '/api/agents/web/definition')).body.env.GREETING, 'hello');

  const stopped = await host.api('POST', '/api/agents/web/stop');
  assert.equal(stopped.status, 200);
  assert.equal(stopped.body.state, 'stopped');
  assert.equal(stopped.body.stop.outcome, 'graceful');
  assert.ok(stopped.body.stop.pids.includes(pid));
  assert.equal(alive(pid), false);

  const removed = await host.api('DELETE', '/api/agents/web');
  assert.equal(removed.status, 200);
  assert.deepEqual(removed.body, { removed: 'web', stopped: null });
  assert.deepEqual((await agentsJson(host.dataDir)).agents, []);
  assert.equal((await host.api('GET', '/api/agents/web')).status, 404);
});

test('restart, kill, and removing a running agent with stop=true', async () => {
  const host = await startHost(cleanups, { agents: [behaves('web')] });
  const first = (await host.api('POST', '/api/agents/web/start')).body.pid as number;
  const restarted = await host.api('POST', '/api/agents/web/restart');
  assert.equal(restarted.body.state, 'running');
  assert.notEqual(restarted.body.pid, first);
  assert.equal(alive(first), false);

  const killed = await host.api('POST', '/api/agents/web/kill');
  assert.equal(killed.status, 200);
  assert.equal(killed.body.stop.outcome, 'killed');
  assert.equal(alive(restarted.body.pid), false);

  const again = (await host.api('POST', '/api/agents/web/start')).body.pid as number;
  const removed = await host.api('DELETE', '/api/agents/web?stop=true');
  assert.equal(removed.status, 200);
  assert.equal(removed.body.removed, 'web');
  assert.ok(removed.body.stopped.pids.includes(again));
  assert.equal(alive(again), false);
});

test('start-all, stop-all and kill-all answer per agent; kill-all lists the killed pids', async () => {
  const host = await startHost(cleanups, { agents: [behaves('a'), behaves('b'), { name: 'missing', command: 'no-such-program-agent-tray' }] });
  const started = await host.api('POST', '/api/agents/start-all');
  assert.equal(started.status, 200);
  const byName = Object.fromEntries(started.body.results.map((r: { name: string }) => [r.name, r]));
  assert.equal(byName.a.ok, true);
  assert.equal(byName.a.status.state, 'running');
  assert.equal(byName.b.status.state, 'running');
  assert.equal(byName.missing.ok, false);
  assert.equal(byName.missing.status.state, 'errored');
  assert.match(byName.missing.status.lastError.message, /no-such-program-agent-tray/);

  const summary = await host.api('GET', '/api/summary');
  const counts = summary.body as Record<string, unknown>;
  assert.deepEqual(['total', 'running', 'stopped', 'crashed', 'errored', 'activeProcesses', 'maxConcurrent', 'canStartNew'].map((k) => counts[k]), [3, 2, 0, 0, 1, 2, null, true]);
  assert.equal((counts.activePids as number[]).length, 2);

  const stopped = await host.api('POST', '/api/agents/stop-all');
  assert.equal(stopped.status, 200);
  assert.ok(stopped.body.results.every((r: { status?: { state: string } }) => r.status?.state !== 'running'));
  assert.equal(alive(byName.a.status.pid), false);

  const again = await host.api('POST', '/api/agents/start-all', {});
  const pids = again.body.results.filter((r: { ok: boolean }) => r.ok).map((r: { status: { pid: number } }) => r.status.pid);
  assert.equal(pids.length, 2);
  const killed = await host.api('POST', '/api/agents/kill-all');
  assert.equal(killed.status, 200);
  for (const pid of pids) {
    assert.ok(killed.body.killedPids.includes(pid), `${pid} in ${killed.body.killedPids}`);
    assert.equal(alive(pid), false);
  }
  assert.equal((await host.api('GET', '/api/summary')).body.running, 0);
});

test('ensure starts a stopped agent, answers at once for a running one, and says why one cannot run', async () => {
  const host = await startHost(cleanups, { agents: [behaves('web'), { name: 'missing', command: 'no-such-program-agent-tray' }] });
  const ensured = await host.api('POST', '/api/agents/web/ensure?timeoutMs=10s');
  assert.equal(ensured.status, 200);
  assert.equal(ensured.body.state, 'running');
  const again = await host.api('POST', '/api/agents/web/ensure', { timeoutMs: 5000 });
  assert.equal(again.body.pid, ensured.body.pid);

  const failed = await host.api('POST', '/api/agents/missing/ensure');
  assert.equal(failed.status, 409);
  assert.equal(failed.body.error.code, 'not-ready');
  assert.match(failed.body.error.message, /missing/);

  const badTimeout = await host.api('POST', '/api/agents/web/ensure?timeoutMs=soon');
  assert.equal(badTimeout.status, 400);
  assert.match(badTimeout.body.error.message, /timeoutMs/);
});

test('a path parameter cannot be overridden by the query or the body', async () => {
  const host = await startHost(cleanups, { agents: [behaves('a'), behaves('b')] });
  const answer = await host.api('POST', '/api/agents/a/start?name=b', { name: 'b' });
  assert.equal(answer.body.name, 'a');
  assert.equal((await host.api('GET', '/api/agents/b')).body.state, 'stopped');
});

test('/api/openapi.json documents every command, the event stream and the bearer token', async () => {
  const host = await startHost(cleanups);
  const { status, body: doc } = await host.api('GET', '/api/openapi.json');
  assert.equal(status, 200);
  assert.equal(doc.openapi, '3.1.0');
  assert.equal(doc.info.title, 'Agent Tray');
  assert.deepEqual(doc.security, [{ bearer: [] }]);
  assert.equal(doc.components.securitySchemes.bearer.scheme, 'bearer');
  for (const name of COMMAND_NAMES) {
    const { method, path: route } = COMMANDS[name].http;
    const op = doc.paths[route.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()];
    assert.ok(op, `${method} ${route} (${name}) is documented`);
    assert.equal(op.operationId, name);
    assert.ok(op.responses['200'].content['application/json'].schema, name);
    assert.equal(op.responses['401'].content['application/json'].schema.$ref, '#/components/schemas/Error');
  }
  assert.ok(doc.paths['/api/events'].get.responses['200'].content['text/event-stream']);
  const create = doc.paths['/api/agents'].post;
  assert.deepEqual(create.requestBody.content['application/json'].schema.required, ['name', 'command']);
  const logs = doc.paths['/api/agents/{name}/logs'].get;
  assert.deepEqual(logs.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`), ['path:name', 'query:lines', 'query:stream']);
});

test('the renderer is served at / without a token; the API beside it still needs one', async () => {
  const { dir, cleanup } = await tempDir('agent-tray-renderer-');
  cleanups.push(cleanup);
  await mkdir(path.join(dir, 'assets'));
  await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>Agent Tray</title>');
  await writeFile(path.join(dir, 'assets', 'app.js'), 'console.log(1)');
  const host = await startHost(cleanups, { server: { rendererDir: dir } });

  const page = await fetch(`${host.url}/?token=${host.token}`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
  assert.equal(page.headers.get('referrer-policy'), 'no-referrer', 'the token in the page URL never leaves as a Referer');
  assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
  assert.match(await page.text(), /<title>Agent Tray<\/title>/);
  const script = await fetch(`${host.url}/assets/app.js`);
  assert.equal(script.status, 200);
  assert.match(script.headers.get('content-type') ?? '', /javascript/);

  const missing = await fetch(`${host.url}/assets/nope.js`);
  assert.equal(missing.status, 404);
  assert.equal(((await missing.json()) as { error: { code: string } }).error.code, 'not-found');
  assert.equal((await host.api('GET', '/api/agents', undefined, { authorization: null })).status, 401);
  assert.equal((await host.api('GET', '/api/agents')).status, 200);
  // a percent-encoded path to the API is still the API
  assert.equal((await fetch(`${host.url}/%61pi/agents`)).status, 401);
});

test('without a renderer, / is a 404 that says the UI is not built', async () => {
  const host = await startHost(cleanups);
  const res = await fetch(`${host.url}/`);
  assert.equal(res.status, 404);
  assert.match(((await res.json()) as { error: { hint: string } }).error.hint, /renderer is not built/);
});

/** A fake application for what the real one cannot be made to do on purpose. */
function fakeApp(dispatch: AppApi['dispatch']): AppApi {
  return { dispatch, subscribe: () => () => undefined };
}

test('an unexpected error is a 500 `internal` with its message; the stack goes to the log', async () => {
  const logged: string[] = [];
  const server = createHttpServer({
    app: fakeApp(async () => {
      throw new TypeError('cannot read x of undefined');
    }),
    token: 't'.repeat(43),
    host: '127.0.0.1',
    port: 0,
    log: (l) => logged.push(l),
  });
  cleanups.push(() => server.close());
  const { url } = await server.listen();
  const res = await fetch(`${url}/api/summary`, { headers: { authorization: `Bearer ${'t'.repeat(43)}` } });
  assert.equal(res.status, 500);
  const body = (await res.json()) as { error: { code: string; message: string } };
  assert.equal(body.error.code, 'internal');
  assert.match(body.error.message, /GET \/api\/summary: cannot read x of undefined/);
  assert.equal(logged.length, 1);
  assert.match(logged[0] ?? '', /TypeError: cannot read x of undefined\n\s+at /);
});

test('close() waits for a request in flight, then refuses new connections', async () => {
  let release!: () => void;
  let entered!: () => void;
  const inHandler = new Promise<void>((resolve) => (entered = resolve));
  const server = createHttpServer({
    app: fakeApp((async () => {
      entered();
      await new Promise<void>((resolve) => (release = resolve));
      return { total: 0, running: 0, stopped: 0, crashed: 0, errored: 0 };
    }) as AppApi['dispatch']),
    token: 't'.repeat(43),
    host: '127.0.0.1',
    port: 0,
  });
  cleanups.push(() => server.close());
  const { url } = await server.listen();
  const pending = fetch(`${url}/api/summary`, { headers: { authorization: `Bearer ${'t'.repeat(43)}` } });
  await inHandler;
  let closed = false;
  const closing = server.close().then(() => (closed = true));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(closed, false, 'close waits for the request in flight');
  release();
  const res = await pending;
  assert.equal(res.status, 200);
  assert.equal(((await res.json()) as { total: number }).total, 0);
  await closing;
  await assert.rejects(fetch(`${url}/api/summary`), /fetch failed/);
});
