// The stack API on a real HTTP host with real processes and files: stop-all, stop-group and a stop
// with its dependents stop dependents before their dependencies, level by level, the agents of one
// level at once (asserted from the exit times the fixtures write); groups and the graph as routes
// and in the OpenAPI document; cycles, unknown names and `healthy` without a probe refused with a
// 400 that names them, from the API and in a hand-edited agents.json (the last good one stays).
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { AgentTrayApp } from '../../electron/app/application.js';
import type { AgentDefinitionInput } from '../../shared/agent.js';
import type { Cleanups } from '../helpers/engine.js';
import { startHost, type TestHost } from '../helpers/http-host.js';
import { fixture, killTracked, track } from '../helpers/processes.js';
import { rejectsWith } from '../helpers/rejections.js';
import { tempDir } from '../helpers/temp-dir.js';
import { assertBefore, readTimeline, render, when } from '../helpers/timeline.js';
import { waitFor } from '../helpers/wait.js';

const cleanups: Cleanups = [];
const timelines: string[] = [];
afterEach(async () => {
  for (const file of timelines.splice(0)) readTimeline(file); // tracks every pid the fixtures wrote
  killTracked();
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** How long the top level takes to exit after SIGTERM: long enough that stopping it one by one, or together with what it needs, shows. */
const TOP_STOP_MS = 1_000;

/** A fixture that writes `started`/`exited` to the timeline and exits `stopDelayMs` after SIGTERM. */
function agent(name: string, timeline: string, extra: Partial<AgentDefinitionInput> = {}, stopDelayMs = 0): AgentDefinitionInput {
  return { name, command: process.execPath, args: [fixture('ready-server.mjs')], env: { TIMELINE: timeline, READY_MS: '50', STOP_DELAY_MS: String(stopDelayMs) }, ...extra };
}

/**
 * base ← mid ← top1, top2 (group "web": mid, top1, top2), and "lone" alone in group "other":
 * levels [base, lone], [mid], [top1, top2].
 */
function chain(timeline: string): AgentDefinitionInput[] {
  return [
    agent('base', timeline),
    agent('mid', timeline, { dependsOn: { base: 'started' }, groups: ['web'] }),
    agent('top1', timeline, { dependsOn: { mid: 'started' }, groups: ['web'] }, TOP_STOP_MS),
    agent('top2', timeline, { dependsOn: { mid: 'ready' }, groups: ['web'] }, TOP_STOP_MS),
    agent('lone', timeline, { groups: ['other'] }),
  ];
}

const ALL = ['base', 'mid', 'top1', 'top2', 'lone'];

/** A host over the chain, every agent started and running. */
async function runningChain(): Promise<{ host: TestHost; timeline: string }> {
  const { dir, cleanup } = await tempDir('agent-tray-stack-api-');
  cleanups.push(cleanup);
  const timeline = path.join(dir, 'timeline.txt');
  timelines.push(timeline);
  const host = await startHost(cleanups, { agents: chain(timeline) });
  host.app.subscribe((e) => {
    if (e.type === 'state' && e.status.pid) track(e.status.pid);
  });
  const started = await host.api('POST', '/api/agents/start-all');
  assert.equal(started.status, 200, JSON.stringify(started.body));
  await waitFor(() => ALL.every((n) => host.app.engine.status(n).state === 'running'), 20_000, 'every agent of the chain running');
  await untilReady(timeline, ALL);
  return { host, timeline };
}

/** Waits until each agent's process has said `ready` in the timeline (its SIGTERM handler is in place by then). */
function untilReady(timeline: string, names: readonly string[]): Promise<void> {
  return waitFor(() => {
    const entries = readTimeline(timeline);
    return names.every((n) => entries.some((e) => e.event === 'ready' && e.name === n));
  }, 20_000, `${names.join(', ')} ready in the timeline`);
}

/** When an agent's process exited (from the timeline). */
const exitedAt = (timeline: string, name: string) => when(readTimeline(timeline), 'exited', name);

/** Asserts that two agents of one level were stopped together: their slow exits overlap instead of following each other. */
function assertTogether(timeline: string, a: string, b: string): void {
  const gap = Math.abs(exitedAt(timeline, a) - exitedAt(timeline, b));
  assert.ok(gap < TOP_STOP_MS * 0.7, `${a} and ${b} exited ${gap} ms apart: stopped one after the other, not together:\n${render(readTimeline(timeline))}`);
}

test('stop-all stops dependents before their dependencies, the agents of one level at once', async () => {
  const { host, timeline } = await runningChain();
  const res = await host.api('POST', '/api/agents/stop-all');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(
    res.body.results.map((r: { name: string; ok: boolean; status: { state: string } }) => [r.name, r.ok, r.status.state]),
    ALL.map((n) => [n, true, 'stopped']),
    'results in the order of the agents',
  );
  const entries = readTimeline(timeline);
  for (const top of ['top1', 'top2']) assertBefore(entries, ['exited', top], ['exited', 'mid']);
  assertBefore(entries, ['exited', 'mid'], ['exited', 'base']);
  assertTogether(timeline, 'top1', 'top2');
});

test('stop-group stops the group dependents first and leaves the other agents running; groups are listed with their counts', async () => {
  const { host, timeline } = await runningChain();
  const before = await host.api('GET', '/api/groups');
  assert.equal(before.status, 200);
  assert.deepEqual(before.body, {
    groups: [
      { name: 'web', agents: ['mid', 'top1', 'top2'], running: 3, total: 3 },
      { name: 'other', agents: ['lone'], running: 1, total: 1 },
    ],
  });

  const res = await host.api('POST', '/api/groups/web/stop');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body.results.map((r: { name: string; ok: boolean }) => [r.name, r.ok]), [
    ['mid', true],
    ['top1', true],
    ['top2', true],
  ]);
  const entries = readTimeline(timeline);
  assertBefore(entries, ['exited', 'top1'], ['exited', 'mid']);
  assertBefore(entries, ['exited', 'top2'], ['exited', 'mid']);
  assertTogether(timeline, 'top1', 'top2');
  assert.equal(host.app.engine.status('base').state, 'running', 'a dependency outside the group is left alone');
  assert.equal(host.app.engine.status('lone').state, 'running');
  assert.deepEqual((await host.api('GET', '/api/groups')).body.groups[0], { name: 'web', agents: ['mid', 'top1', 'top2'], running: 0, total: 3 });

  const unknown = await host.api('POST', '/api/groups/nope/stop');
  assert.equal(unknown.status, 404);
  assert.equal(unknown.body.error.code, 'not-found');
  assert.match(unknown.body.error.message, /No group named "nope" \(groups: web, other\)/);
  assert.equal((await host.api('POST', '/api/groups/bad%20name/start')).status, 400);
});

test('start-group starts every agent of the group and answers a result for each', async () => {
  const { host } = await runningChain();
  await host.api('POST', '/api/groups/web/stop');
  const res = await host.api('POST', '/api/groups/web/start');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(res.body.results.map((r: { name: string }) => r.name), ['mid', 'top1', 'top2']);
  await waitFor(() => ['mid', 'top1', 'top2'].every((n) => host.app.engine.status(n).state === 'running'), 20_000, 'the group running again');
});

test('stop with withDependents stops the running dependents first, dependents before dependencies; without it, names them', async () => {
  const { host, timeline } = await runningChain();
  const alone = await host.api('POST', '/api/agents/lone/stop');
  assert.equal(alone.status, 200);
  assert.equal(alone.body.dependentsRunning, undefined, 'nothing depends on lone');

  const plain = await host.api('POST', '/api/agents/mid/stop');
  assert.equal(plain.status, 200, JSON.stringify(plain.body));
  assert.equal(plain.body.state, 'stopped');
  assert.deepEqual(plain.body.dependentsRunning, ['top1', 'top2']);
  assert.equal(host.app.engine.status('top1').state, 'running', 'stopping one agent stops only it unless asked');

  const res = await host.api('POST', '/api/agents/base/stop?withDependents=true');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.stop.name, 'base');
  assert.deepEqual(res.body.dependents.map((s: { name: string }) => s.name).sort(), ['top1', 'top2'], 'mid is stopped already: only the running dependents');
  for (const n of ['top1', 'top2', 'base']) assert.equal(host.app.engine.status(n).state, 'stopped', n);
  const entries = readTimeline(timeline);
  assertBefore(entries, ['exited', 'top1'], ['exited', 'base']);
  assertBefore(entries, ['exited', 'top2'], ['exited', 'base']);
  assertTogether(timeline, 'top1', 'top2');
});

test('the graph: a node per agent, an edge per dependency with its condition and whether it holds', async () => {
  const { host } = await runningChain();
  await host.api('POST', '/api/agents/lone/stop');
  const res = await host.api('GET', '/api/graph');
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.deepEqual(
    res.body.nodes.map((n: { name: string; state: string; groups: string[] }) => [n.name, n.state, n.groups]),
    [
      ['base', 'running', []],
      ['mid', 'running', ['web']],
      ['top1', 'running', ['web']],
      ['top2', 'running', ['web']],
      ['lone', 'stopped', ['other']],
    ],
  );
  assert.deepEqual(res.body.edges, [
    { from: 'mid', to: 'base', condition: 'started', met: true },
    { from: 'top1', to: 'mid', condition: 'started', met: true },
    { from: 'top2', to: 'mid', condition: 'ready', met: true },
  ]);
  await host.api('POST', '/api/agents/base/stop');
  const after = await host.api('GET', '/api/graph');
  assert.deepEqual(after.body.edges[0], { from: 'mid', to: 'base', condition: 'started', met: false });
});

test('the OpenAPI document has the group and graph routes and the withDependents flag', async () => {
  const { dir, cleanup } = await tempDir();
  cleanups.push(cleanup);
  const host = await startHost(cleanups, { agents: chain(path.join(dir, 'timeline.txt')) });
  const doc = (await host.api('GET', '/api/openapi.json')).body;
  assert.equal(doc.paths['/api/groups'].get.operationId, 'listGroups');
  assert.equal(doc.paths['/api/groups/{group}/start'].post.operationId, 'startGroup');
  assert.equal(doc.paths['/api/groups/{group}/stop'].post.operationId, 'stopGroup');
  assert.equal(doc.paths['/api/graph'].get.operationId, 'getGraph');
  const stopParams = doc.paths['/api/agents/{name}/stop'].post.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`);
  assert.deepEqual(stopParams, ['path:name', 'query:withDependents']);
  const edge = doc.paths['/api/graph'].get.responses['200'].content['application/json'].schema.properties.edges.items;
  assert.deepEqual(Object.keys(edge.properties), ['from', 'to', 'condition', 'met']);
});

test('the API refuses a cycle, an unknown name and healthy without a probe with a 400 that names them; agents.json stays as it was', async () => {
  const { dir, cleanup } = await tempDir();
  cleanups.push(cleanup);
  const timeline = path.join(dir, 'timeline.txt');
  const host = await startHost(cleanups, { agents: chain(timeline) });
  const file = path.join(host.dataDir, 'agents.json');
  const before = readFileSync(file, 'utf8');

  const cycle = await host.api('PUT', '/api/agents/base', agent('base', timeline, { dependsOn: { top1: 'started' } }));
  assert.equal(cycle.status, 400, JSON.stringify(cycle.body));
  assert.equal(cycle.body.error.code, 'invalid-definition');
  assert.match(cycle.body.error.message, /cycle \(each depends on the next\): base → top1 → mid → base/);

  const self = await host.api('PUT', '/api/agents/base', agent('base', timeline, { dependsOn: { base: 'started' } }));
  assert.equal(self.status, 400);
  assert.match(self.body.error.message, /base → base/);

  const unknown = await host.api('POST', '/api/agents', agent('extra', timeline, { dependsOn: { modle: 'healthy' } }));
  assert.equal(unknown.status, 400);
  assert.equal(unknown.body.error.code, 'invalid-definition');
  assert.match(unknown.body.error.message, /"extra" depends on "modle", which is not defined/);

  const noProbe = await host.api('POST', '/api/agents', agent('extra', timeline, { dependsOn: { base: 'healthy' } }));
  assert.equal(noProbe.status, 400);
  assert.match(noProbe.body.error.message, /"base" has no health probe/);

  const badRegex = await host.api('POST', '/api/agents', agent('extra', timeline, { readyLine: 'ready (' }));
  assert.equal(badRegex.status, 400);
  assert.match(badRegex.body.error.message, /readyLine: not a valid regular expression/);

  assert.equal(readFileSync(file, 'utf8'), before, 'nothing was written');
  assert.deepEqual((await host.api('GET', '/api/agents')).body.agents.map((a: { name: string }) => a.name), ALL);

  // with a probe, healthy is fine; and so is a new agent on top of the stack
  const probed = await host.api('POST', '/api/agents', agent('extra', timeline, { dependsOn: { top2: 'ready', lone: 'started' } }));
  assert.equal(probed.status, 200, JSON.stringify(probed.body));
});

test('an agent others depend on is not removed (not even stopped first) nor renamed; the refusal names them', async () => {
  const { host, timeline } = await runningChain();
  const file = path.join(host.dataDir, 'agents.json');
  const before = readFileSync(file, 'utf8');
  const removal = await host.api('DELETE', '/api/agents/mid?stop=true');
  assert.equal(removal.status, 409, JSON.stringify(removal.body));
  assert.match(removal.body.error.message, /Agent "mid" was not removed: "top1", "top2" depend on it/);
  assert.equal(host.app.engine.status('mid').state, 'running', 'the refusal stopped nothing');
  await host.api('POST', '/api/agents/base/stop'); // a running agent is not renamed anyway
  const rename = await host.api('PUT', '/api/agents/base', agent('basis', timeline));
  assert.equal(rename.status, 409, JSON.stringify(rename.body));
  assert.match(rename.body.error.message, /Agent "base" was not renamed to "basis": "mid" depends on it/);
  assert.equal(readFileSync(file, 'utf8'), before);
});

test('a hand edit of agents.json with a cycle is reported like an invalid file, naming the cycle and the line; the last good configuration stays', async () => {
  const { dir, cleanup } = await tempDir();
  cleanups.push(cleanup);
  const timeline = path.join(dir, 'timeline.txt');
  const host = await startHost(cleanups, { agents: chain(timeline) });
  const file = path.join(host.dataDir, 'agents.json');
  const edited = chain(timeline).map((a) => (a.name === 'base' ? { ...a, dependsOn: { top2: 'ready' } } : a));
  const text = JSON.stringify({ agents: edited }, null, 2);
  writeFileSync(file, text);

  let config: { file: string; ok: boolean; error: { message: string; line: number | null } | null } | undefined;
  await waitFor(
    async () => {
      config = (await host.api('GET', '/api/config')).body.files.find((f: { file: string }) => f.file === file);
      return config?.ok === false;
    },
    5_000,
    'GET /api/config to report agents.json',
  );
  assert.match(config?.error?.message ?? '', /cycle \(each depends on the next\): base → top2 → mid → base/);
  assert.match(config?.error?.message ?? '', new RegExp(file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  const expectedLine = text.split('\n').findIndex((l) => l.includes('"top2": "ready"')) + 1;
  assert.equal(config?.error?.line, expectedLine, 'the line of the dependsOn entry that closes the cycle');
  const alerts = (await host.api('GET', '/api/alerts')).body.alerts;
  assert.ok(alerts.some((a: { kind: string; message: string }) => a.kind === 'config-invalid' && a.message.includes('base → top2 → mid → base')));
  assert.equal((await host.api('GET', '/api/agents/base/definition')).body.dependsOn, undefined, 'the configuration in force is the last good one');
  assert.equal(readFileSync(file, 'utf8'), text, 'the file is left as the person wrote it');
});

test('a host does not open an agents.json with a cycle: the error names the file, the cycle and the line', async () => {
  const { dir, cleanup } = await tempDir();
  cleanups.push(cleanup);
  const file = path.join(dir, 'agents.json');
  writeFileSync(file, JSON.stringify({ agents: [agent('model', 'x', { dependsOn: { server: 'started' } }), agent('server', 'x', { dependsOn: { model: 'ready' } })] }, null, 2));
  const err = await rejectsWith(AgentTrayApp.open({ dataDir: dir, watch: false }), 'invalid-config');
  assert.match(err.message, new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} has a problem: agent "model" \\(agents\\[0\\]\\)\\.dependsOn: .*model → server → model.*\\(line \\d+, column \\d+\\)`));
});

test('ensure of an agent with a readyLine answers once the line was printed, not when the process merely runs', async () => {
  const { dir, cleanup } = await tempDir();
  cleanups.push(cleanup);
  const timeline = path.join(dir, 'timeline.txt');
  timelines.push(timeline);
  const slow = { ...agent('slow', timeline, { readyLine: '^ready pid=\\d+$' }), env: { TIMELINE: timeline, READY_MS: '1500' } };
  const host = await startHost(cleanups, { agents: [slow] });
  const res = await host.api('POST', '/api/agents/slow/ensure', { timeoutMs: 15_000 });
  const answeredAt = Date.now();
  assert.equal(res.status, 200, JSON.stringify(res.body));
  assert.equal(res.body.ready, true);
  const entries = readTimeline(timeline);
  assert.ok(when(entries, 'ready', 'slow') <= answeredAt, `ensure answered before the ready line:\n${render(entries)}`);
  assert.ok(when(entries, 'ready', 'slow') - when(entries, 'started', 'slow') >= 1_400);
});
