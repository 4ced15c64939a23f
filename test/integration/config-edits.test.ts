// Hand edits of agents.json and settings.json while a host runs, on real files, a real host and
// real agents: a valid edit is applied within 2 s with events; an invalid one is reported (alert,
// GET /api/config, summary) while the last good configuration stays in force and the file is
// left byte for byte; a save never overwrites a change it has not read (merged, or a 409).
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AgentTrayApp } from '../../electron/app/application.js';
import type { HostEvent } from '../../shared/events.js';
import type { Cleanups } from '../helpers/engine.js';
import { startHost } from '../helpers/http-host.js';
import { fixture, killTracked } from '../helpers/processes.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait.js';
import { rejection } from '../helpers/rejections.js';

const cleanups: Cleanups = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A hand edit must be applied within this time. */
const WITHIN_MS = 2_000;

const agent = (name: string, ...extra: string[]) => ({ name, command: process.execPath, args: [fixture('well-behaved.mjs'), ...extra] });

/** Every event the application publishes from now on. */
function record(app: AgentTrayApp): HostEvent[] {
  const events: HostEvent[] = [];
  const off = app.subscribe((e) => events.push(e));
  cleanups.push(() => void off());
  return events;
}

/** Waits until an event matching `match` was published. */
async function published(events: HostEvent[], match: (e: HostEvent) => boolean, what: string, timeoutMs = WITHIN_MS): Promise<HostEvent> {
  await waitFor(() => events.some(match), timeoutMs, what);
  return events.find(match) as HostEvent;
}

/** The command line of a live process (Linux). */
function cmdline(pid: number): string {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
}

/** An application over a fresh data directory that does not watch its files (so only a save can notice an edit). */
async function unwatchedApp(files: { agents?: unknown; settings?: unknown }): Promise<{ app: AgentTrayApp; dir: string }> {
  const { dir, cleanup } = await tempDir('agent-tray-merge-');
  if (files.agents) writeFileSync(path.join(dir, 'agents.json'), JSON.stringify(files.agents, null, 2));
  if (files.settings) writeFileSync(path.join(dir, 'settings.json'), JSON.stringify(files.settings, null, 2));
  const app = await AgentTrayApp.open({ dataDir: dir, watch: false });
  cleanups.push(cleanup, () => app.close());
  return { app, dir };
}

test('a hand edit of agents.json is applied within 2 s: added, changed, removed, and a removed running agent is dropped once stopped', { skip: process.platform !== 'linux' && 'reads /proc' }, async () => {
  const host = await startHost(cleanups, { agents: [agent('a'), agent('b'), agent('c')] });
  const events = record(host.app);
  const a1 = (await host.api('POST', '/api/agents/a/start')).body;
  const b1 = (await host.api('POST', '/api/agents/b/start')).body;
  assert.equal(b1.state, 'running');

  writeFileSync(path.join(host.dataDir, 'agents.json'), JSON.stringify({ agents: [agent('a', '--v2'), agent('d')] }, null, 2));
  const started = Date.now();
  await published(events, (e) => e.type === 'agent-added' && e.name === 'd', 'agent-added d');
  await published(events, (e) => e.type === 'agent-updated' && e.name === 'a', 'agent-updated a');
  await published(events, (e) => e.type === 'agent-removed' && e.name === 'c', 'agent-removed c');
  const b = await published(events, (e) => e.type === 'agent-updated' && e.name === 'b', 'agent-updated b');
  assert.ok(Date.now() - started < WITHIN_MS);
  assert.ok(b.type === 'agent-updated' && b.status.removed === true && b.status.state === 'running', 'the running removed agent says so');

  const list = (await host.api('GET', '/api/agents')).body.agents as { name: string; state: string; removed?: boolean }[];
  assert.deepEqual(list.map((s) => s.name).sort(), ['a', 'b', 'd']);
  assert.equal(list.find((s) => s.name === 'b')?.removed, true);
  assert.equal(list.find((s) => s.name === 'a')?.removed, undefined);

  // a running agent keeps the definition it started with until its next start
  assert.ok(!cmdline(a1.pid).includes('--v2'));
  const a2 = (await host.api('POST', '/api/agents/a/restart')).body;
  assert.ok(cmdline(a2.pid).includes('--v2'), cmdline(a2.pid));

  // the removed one runs until stopped, answers its stop, and is gone afterwards
  const stopped = await host.api('POST', '/api/agents/b/stop');
  assert.equal(stopped.status, 200, JSON.stringify(stopped.body));
  assert.equal(stopped.body.state, 'stopped');
  await published(events, (e) => e.type === 'agent-removed' && e.name === 'b', 'agent-removed b');
  assert.equal((await host.api('GET', '/api/agents/b')).status, 404);
  assert.deepEqual(((await host.api('GET', '/api/agents')).body.agents as { name: string }[]).map((s) => s.name).sort(), ['a', 'd']);
});

test('an invalid hand edit is reported with its line and column; the last good configuration stays and the file is untouched', async () => {
  const host = await startHost(cleanups, { agents: [agent('a')] });
  const events = record(host.app);
  const file = path.join(host.dataDir, 'agents.json');
  const broken = '{\n  "agents": [\n    { "name": "a", "command": "node", }\n  ]\n}\n';
  writeFileSync(file, broken);

  const alert = await published(events, (e) => e.type === 'alert' && e.alert.kind === 'config-invalid', 'a config-invalid alert');
  assert.ok(alert.type === 'alert' && alert.alert.severity === 'critical');
  assert.match(alert.type === 'alert' ? alert.alert.message : '', /agents\.json is not valid JSON at line 3, column 37: a trailing comma/);

  const config = await host.api('GET', '/api/config');
  assert.equal(config.status, 200);
  const entry = (config.body.files as { file: string; ok: boolean; error: { message: string; line: number; column: number } | null }[]).find((f) => f.file === file);
  assert.ok(entry && !entry.ok, JSON.stringify(config.body));
  assert.deepEqual({ line: entry.error?.line, column: entry.error?.column }, { line: 3, column: 37 });
  assert.equal((await host.api('GET', '/api/summary')).body.configErrors, 1);

  // the last good configuration is in force; the file is as the person left it
  assert.deepEqual((await host.api('GET', '/api/agents/a/definition')).body.args, [fixture('well-behaved.mjs')]);
  assert.equal(readFileSync(file, 'utf8'), broken);

  // a save through the API is refused: it would write over the person's edit
  const refused = await host.api('POST', '/api/agents', agent('z'));
  assert.equal(refused.status, 409, JSON.stringify(refused.body));
  assert.equal(refused.body.error.code, 'config-changed');
  assert.match(refused.body.error.message, new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} was changed on disk and does not load now \\(line 3, column 37\\)`));
  assert.match(refused.body.error.hint, /Fix agents\.json in an editor .* agents\.json\.bak/);
  assert.equal(readFileSync(file, 'utf8'), broken);
  assert.equal(existsSync(`${file}.bak`), false, 'nothing was saved, so no .bak either');

  // fixed by hand: applied, and the error is gone
  writeFileSync(file, JSON.stringify({ agents: [agent('a'), agent('e')] }));
  await published(events, (e) => e.type === 'agent-added' && e.name === 'e', 'agent-added e');
  const fixed = (await host.api('GET', '/api/config')).body.files as { file: string; ok: boolean; error: unknown }[];
  assert.deepEqual(fixed.map((f) => [f.ok, f.error]), [[true, null], [true, null]]);
  assert.equal((await host.api('GET', '/api/summary')).body.configErrors, 0);
});

test('a save after a hand edit it has not read keeps the edit (merged) and announces it; an invalid one is a 409 and the .bak stays the last good version', async () => {
  const { app, dir } = await unwatchedApp({ agents: { agents: [agent('a')] } });
  const file = path.join(dir, 'agents.json');
  const events = record(app);
  const handEdit = JSON.stringify({ agents: [agent('a'), agent('by-hand')] }, null, 2);
  writeFileSync(file, handEdit);

  await app.dispatch('createAgent', { definition: agent('by-api') });
  const saved = JSON.parse(readFileSync(file, 'utf8')) as { agents: { name: string }[] };
  assert.deepEqual(saved.agents.map((a) => a.name), ['a', 'by-hand', 'by-api']);
  assert.equal(readFileSync(`${file}.bak`, 'utf8'), handEdit, 'the .bak is the file as it was before this save: the hand edit');
  assert.ok(events.some((e) => e.type === 'agent-added' && e.name === 'by-hand'), 'the hand edit was announced');
  assert.deepEqual(app.engine.list().map((s) => s.name).sort(), ['a', 'by-api', 'by-hand']);

  // a hand edit that removed the agent the API changes: the change cannot apply, and says so
  writeFileSync(file, JSON.stringify({ agents: [agent('by-api')] }));
  assert.equal((await rejection(app.dispatch('updateAgent', { name: 'a', definition: agent('a', '--x') }))).code, 'unknown-agent');

  const lastGood = readFileSync(`${file}.bak`);
  const broken = '{ "agents": [ { "name": "a" "command": "node" } ] }';
  writeFileSync(file, broken);
  const err = await rejection(app.dispatch('removeAgent', { name: 'by-api' }));
  assert.equal(err.code, 'config-changed');
  assert.match(err.message, /line 1, column 29/);
  assert.match(err.message, /is a comma missing\?/);
  assert.equal(readFileSync(file, 'utf8'), broken);
  assert.ok(readFileSync(`${file}.bak`).equals(lastGood), 'the .bak is still the last good version');
  assert.equal(app.configStatus()[0]?.ok, false);
});

test('settings.json: a save merges an unread hand edit and applies it live; an invalid file is a 409 and is never written over', async () => {
  const { app, dir } = await unwatchedApp({ settings: { notifications: true } });
  const file = path.join(dir, 'settings.json');
  const events = record(app);
  writeFileSync(file, JSON.stringify({ notifications: false, maxConcurrent: 3 }, null, 2));

  await app.dispatch('updateSettings', { changes: { historyRetention: 50 } });
  const saved = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  assert.deepEqual({ n: saved.notifications, m: saved.maxConcurrent, h: saved.historyRetention }, { n: false, m: 3, h: 50 });
  assert.equal(app.engine.maxConcurrent, 3, 'the hand-edited limit is in force');
  assert.ok(events.some((e) => e.type === 'settings-changed' && e.settings.maxConcurrent === 3));

  const backup = readFileSync(`${file}.bak`);
  const broken = '{ "notifications": false, "maxConcurrent": 0 }';
  writeFileSync(file, broken);
  const err = await rejection(app.dispatch('updateSettings', { changes: { notifications: true } }));
  assert.equal(err.code, 'config-changed');
  assert.match(err.message, /maxConcurrent: .*\(line 1, column 44\)/);
  assert.equal(readFileSync(file, 'utf8'), broken);
  assert.ok(readFileSync(`${file}.bak`).equals(backup), 'the .bak is left as it was: the last good version');
  assert.equal(app.engine.maxConcurrent, 3, 'the last good settings stay in force');
});

test('a hand edit of settings.json is applied live within 2 s (limit, sandbox); the host\'s own saves are not reported back as edits', async () => {
  const host = await startHost(cleanups);
  const events = record(host.app);
  assert.equal((await host.api('POST', '/api/agents', agent('by-api'))).status, 200);

  writeFileSync(path.join(host.dataDir, 'settings.json'), JSON.stringify({ maxConcurrent: 2, sandbox: { allowedCommands: ['node'] } }));
  await published(events, (e) => e.type === 'settings-changed' && e.settings.maxConcurrent === 2, 'settings-changed');
  assert.equal(host.app.engine.maxConcurrent, 2);
  const refused = await host.api('POST', '/api/agents', { name: 'py', command: 'python3' });
  assert.equal(refused.status, 400);
  assert.equal(refused.body.error.code, 'sandbox-refused');

  // by now the watcher has looked at agents.json after the API's save: it saw no edit
  assert.equal(events.filter((e) => (e.type === 'agent-added' || e.type === 'agent-updated') && e.name === 'by-api').length, 1);
  assert.equal(events.filter((e) => e.type === 'settings-changed').length, 1);
});
