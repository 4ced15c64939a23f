// Search of an agent's log files through the headless host over HTTP, with a real agent writing
// its log: the JSON answer paged by cursor (no line twice, none skipped, a rotated copy included),
// the NDJSON stream of the same route, its errors, a client that goes away mid-search; and the
// same command over the desktop app's IPC bridge.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, open, utimes, writeFile } from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import { AgentTrayApp, type AppApi } from '../../electron/app/application.js';
import { registerCommandHandlers } from '../../electron/main/ipc/command-handler.js';
import { createPreloadBridge } from '../../electron/preload/bridge.js';
import { adoptPreloadBridge, BridgeError, type AgentTrayBridge } from '../../shared/bridge.js';
import { COMMAND_NAMES, type LogSearchMatch, type LogSearchResult } from '../../shared/commands.js';
import type { Cleanups } from '../helpers/engine.js';
import { FakeIpcMain, FakeWindow } from '../helpers/fake-ipc.js';
import { startHost, type TestHost } from '../helpers/http-host.js';
import { fixture, killTracked } from '../helpers/processes.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait.js';

const cleanups: Cleanups = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0)) await c();
});

const node = process.execPath;
const web = { name: 'web', command: node, args: [fixture('well-behaved.mjs')] };

/** The logs folder of the host's data directory, as the engine makes it (0700). */
async function logsDir(host: TestHost): Promise<string> {
  const dir = path.join(host.dataDir, 'logs');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** A search request's path for agent `name`. */
const searchPath = (name: string, query: Record<string, string | number | boolean>) =>
  `/api/agents/${name}/logs/search?${new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)])).toString()}`;

/** The lines of an NDJSON answer, parsed. */
function ndjsonLines(text: string): Record<string, unknown>[] {
  assert.ok(text.endsWith('\n'), 'every line ends with a newline');
  return text.trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
}

test('JSON: a running agent\'s log and a rotated copy, newest first, paged by cursor without a repeat or a gap', async () => {
  const host = await startHost(cleanups, { agents: [web] });
  const dir = await logsDir(host);
  await writeFile(path.join(dir, 'web.out.log.1'), 'older tick a\nolder tick b\n', { mode: 0o600 });
  await utimes(path.join(dir, 'web.out.log.1'), 1000, 1000);
  assert.equal((await host.api('POST', '/api/agents/web/start')).status, 200);
  // the agent writes its own file; the search reads it from disk
  await waitFor(async () => (await host.api('GET', searchPath('web', { q: 'tick 5' }))).body.matches?.length >= 1, 10_000, 'tick 5 in the log file');

  const first = await host.api('GET', searchPath('web', { q: 'TICK', limit: 3 }));
  assert.equal(first.status, 200);
  const page = first.body as LogSearchResult;
  assert.equal(page.matches.length, 3);
  assert.equal(page.truncated, true);
  assert.ok(page.cursor);
  assert.ok(page.scannedBytes > 0);
  const newest = Number(/^tick (\d+)$/.exec(page.matches[0]!.text)?.[1]);
  assert.ok(newest >= 5);
  assert.deepEqual(page.matches[0], { ts: null, stream: 'stdout', text: `tick ${newest}`, file: 'web.out.log', line: newest + 1 }, 'line 1 is "ready pid=…"');

  // the agent keeps writing: later pages go on with older lines of the same search
  const all: LogSearchMatch[] = [...page.matches];
  let cursor: string | null = page.cursor;
  while (cursor) {
    const next = await host.api('GET', searchPath('web', { q: 'TICK', limit: 3, cursor }));
    assert.equal(next.status, 200, JSON.stringify(next.body));
    all.push(...(next.body as LogSearchResult).matches);
    cursor = (next.body as LogSearchResult).cursor;
  }
  const expected = [...Array.from({ length: newest }, (_, i) => `web.out.log tick ${newest - i}`), 'web.out.log.1 older tick b', 'web.out.log.1 older tick a'];
  assert.deepEqual(
    all.map((m) => `${m.file} ${m.text}`),
    expected,
  );

  const regex = await host.api('GET', searchPath('web', { q: '^tick [0-4]$', regex: true, caseSensitive: true }));
  assert.deepEqual(regex.body.matches.map((m: LogSearchMatch) => m.text), ['tick 4', 'tick 3', 'tick 2', 'tick 1']);
  const onlyStderr = await host.api('GET', searchPath('web', { q: 'tick', stream: 'stderr' }));
  assert.deepEqual(onlyStderr.body, { matches: [], cursor: null, scannedBytes: 0, truncated: false });
});

test('errors: a bad regex names the pattern and the parser\'s reason; no q, a bad limit, an unknown agent, a foreign cursor', async () => {
  const host = await startHost(cleanups, { agents: [web, { ...web, name: 'other' }] });
  const dir = await logsDir(host);
  await writeFile(path.join(dir, 'web.out.log'), 'one\ntwo\nthree\n', { mode: 0o600 });

  const bad = await host.api('GET', searchPath('web', { q: 'tick (\\d+', regex: true }));
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.code, 'bad-request');
  assert.match(bad.body.error.message, /The search pattern "tick \(\\\\d\+" is not a valid regular expression: .*Unterminated group/);
  assert.match(bad.body.error.hint, /without regex/);
  // the streaming form answers an error found before any match the same way
  const badStream = await host.api('GET', searchPath('web', { q: '[', regex: true }), undefined, { accept: 'application/x-ndjson' });
  assert.equal(badStream.status, 400);
  assert.equal(badStream.body.error.code, 'bad-request');

  const noQ = await host.api('GET', '/api/agents/web/logs/search');
  assert.equal(noQ.status, 400);
  assert.match(noQ.body.error.message, /Invalid request for searchLogs: q: /);
  const empty = await host.api('GET', searchPath('web', { q: '' }));
  assert.equal(empty.status, 400);
  assert.match(empty.body.error.message, /q: give the text to search for/);
  const tooMany = await host.api('GET', searchPath('web', { q: 'x', limit: 5000 }));
  assert.equal(tooMany.status, 400);
  assert.match(tooMany.body.error.message, /limit/);
  const nobody = await host.api('GET', searchPath('nobody', { q: 'x' }));
  assert.equal(nobody.status, 404);
  assert.equal(nobody.body.error.code, 'unknown-agent');

  const page = await host.api('GET', searchPath('web', { q: 'e', limit: 1 }));
  assert.deepEqual(page.body.matches.map((m: LogSearchMatch) => m.text), ['three']);
  const foreign = await host.api('GET', searchPath('other', { q: 'e', cursor: page.body.cursor }));
  assert.equal(foreign.status, 400);
  assert.match(foreign.body.error.message, /continues a search of agent "web"/);
});

test('NDJSON: one match per line as found, then done; the same matches as the JSON answer', async () => {
  const host = await startHost(cleanups, { agents: [web] });
  const dir = await logsDir(host);
  await writeFile(path.join(dir, 'web.out.log'), Array.from({ length: 50 }, (_, i) => `line ${i} ${i % 10 === 0 ? 'match' : 'miss'}\n`).join(''), { mode: 0o600 });
  await writeFile(path.join(dir, 'web.err.log'), 'warning: match on stderr\n', { mode: 0o600 });
  await utimes(path.join(dir, 'web.err.log'), 1000, 1000);

  const res = await fetch(`${host.url}${searchPath('web', { q: 'match', limit: 4 })}`, { headers: { authorization: `Bearer ${host.token}`, accept: 'application/x-ndjson' } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'application/x-ndjson; charset=utf-8');
  assert.equal(res.headers.get('cache-control'), 'no-store');
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  const lines = ndjsonLines(await res.text());
  const json = (await host.api('GET', searchPath('web', { q: 'match', limit: 4 }))).body as LogSearchResult;
  assert.deepEqual(lines.slice(0, -1), json.matches.map((match) => ({ match })));
  assert.deepEqual(json.matches.map((m) => `${m.file}:${m.line} ${m.text}`), ['web.out.log:41 line 40 match', 'web.out.log:31 line 30 match', 'web.out.log:21 line 20 match', 'web.out.log:11 line 10 match']);
  assert.deepEqual(lines.at(-1), { done: { cursor: json.cursor, scannedBytes: json.scannedBytes, truncated: true } });

  const next = searchPath('web', { q: 'match', cursor: json.cursor ?? '' });
  const rest = ndjsonLines(await (await fetch(`${host.url}${next}`, { headers: { authorization: `Bearer ${host.token}`, accept: 'application/json, application/x-ndjson' } })).text());
  const restJson = (await host.api('GET', next)).body as LogSearchResult;
  assert.deepEqual(rest, [
    { match: { ts: null, stream: 'stdout', text: 'line 0 match', file: 'web.out.log', line: 1 } },
    { match: { ts: null, stream: 'stderr', text: 'warning: match on stderr', file: 'web.err.log', line: 1 } },
    { done: { cursor: null, scannedBytes: restJson.scannedBytes, truncated: false } },
  ]);
});

test('NDJSON: a client that goes away after the first match stops the search from reading on', async () => {
  const searches: Promise<LogSearchResult>[] = [];
  const host = await startHost(cleanups, {
    agents: [web],
    // the host as it is, with a look at what each search returned in the end
    wrap: (app) => ({
      dispatch: ((name, input, context) => {
        const answer = app.dispatch(name, input, context);
        if (name === 'searchLogs') searches.push(answer as Promise<LogSearchResult>);
        return answer;
      }) as AppApi['dispatch'],
      subscribe: (listener) => app.subscribe(listener),
    }),
  });
  const file = path.join(await logsDir(host), 'web.out.log');
  const handle = await open(file, 'w', 0o600);
  const megabyte = `${'x'.repeat(99)}\n`.repeat(10_000);
  for (let i = 0; i < 48; i++) await handle.write(megabyte);
  await handle.write('the only match, at the end\n');
  await handle.close();

  // the whole search, for comparison: one match, and every byte read
  const whole = (await host.api('GET', searchPath('web', { q: 'only match' }))).body as LogSearchResult;
  assert.equal(whole.matches.length, 1);
  assert.equal(whole.scannedBytes, 48 * megabyte.length + 27);
  await searches.shift();

  const firstLine = await new Promise<string>((resolve, reject) => {
    const req = http.get(`${host.url}${searchPath('web', { q: 'only match' })}`, { headers: { authorization: `Bearer ${host.token}`, accept: 'application/x-ndjson' } }, (res) => {
      res.setEncoding('utf8');
      res.once('data', (chunk: string) => {
        req.destroy(); // gone, with the search under way
        resolve(chunk.split('\n')[0] ?? '');
      });
    });
    req.on('error', (err) => ((err as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(err)));
  });
  assert.equal((JSON.parse(firstLine) as { match: LogSearchMatch }).match.text, 'the only match, at the end');
  assert.equal(searches.length, 1);
  const cut = await searches[0]!;
  assert.equal(cut.matches.length, 1);
  assert.ok(cut.scannedBytes < whole.scannedBytes / 2, `read ${cut.scannedBytes} of ${whole.scannedBytes} bytes after the client left`);
  assert.equal(cut.truncated, true);

  // one that leaves before any match was sent (no status line yet) stops it too
  searches.length = 0;
  const req = http.get(`${host.url}${searchPath('web', { q: 'nowhere' })}`, { headers: { authorization: `Bearer ${host.token}`, accept: 'application/x-ndjson' } });
  req.on('error', () => {});
  await waitFor(() => searches.length === 1, 5000, 'the search to begin');
  req.destroy();
  const early = await searches[0]!;
  assert.deepEqual(early.matches, []);
  assert.ok(early.scannedBytes < whole.scannedBytes / 2, `read ${early.scannedBytes} of ${whole.scannedBytes} bytes`);
  assert.deepEqual(host.logged, []);
  assert.equal((await host.api('GET', searchPath('web', { q: 'only match' }))).status, 200, 'the host answers on');
});

test('IPC: the desktop app\'s bridge serves the plain command, paged by cursor; a bad pattern rejects in the API\'s words', async () => {
  const { dir, cleanup } = await tempDir();
  await writeFile(path.join(dir, 'agents.json'), JSON.stringify({ agents: [web] }));
  const app = await AgentTrayApp.open({ dataDir: dir, watch: false });
  cleanups.push(cleanup, () => app.close());
  await mkdir(path.join(dir, 'logs'), { mode: 0o700 });
  await writeFile(path.join(dir, 'logs', 'web.out.log'), 'a hit\nb\nc hit\n', { mode: 0o600 });
  const page = 'file:///app/dist/renderer/index.html';
  const ipcMain = new FakeIpcMain();
  const win = new FakeWindow(ipcMain, 3, page);
  cleanups.push(registerCommandHandlers(ipcMain, { dispatch: (name, input) => app.dispatch(name, input), trusted: { webContentsId: () => 3, pageUrl: page }, onReady: () => {}, log: () => {} }));
  const bridge = adoptPreloadBridge(createPreloadBridge(win.ipcRenderer, COMMAND_NAMES, '9.9.9') as unknown as AgentTrayBridge);

  const first = await bridge.searchLogs({ name: 'web', q: 'HIT', limit: 1 });
  assert.deepEqual(first.matches, [{ ts: null, stream: 'stdout', text: 'c hit', file: 'web.out.log', line: 3 }]);
  assert.ok(first.cursor);
  const second = await bridge.searchLogs({ name: 'web', q: 'HIT', limit: 1, cursor: first.cursor });
  assert.deepEqual(second.matches.map((m) => m.text), ['a hit']);
  assert.equal(second.cursor, null);
  await assert.rejects(bridge.searchLogs({ name: 'web', q: '(', regex: true }), (err: unknown) => err instanceof BridgeError && err.code === 'bad-request' && err.message.includes('"(" is not a valid regular expression'));
});
