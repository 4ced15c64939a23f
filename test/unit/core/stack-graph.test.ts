// Unit tests for stacks as a graph (electron/core/stack/graph.ts): problems of a stack, levels for
// start and stop order, dependents, and the graph with each condition's current truth.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dependencyLevels, dependentsOf, groupsOf, stackGraph, stackIssues, stackProblems, type StackDefinition } from '../../../electron/core/stack/graph.js';
import type { AgentStatus } from '../../../shared/status.js';
import { status } from '../../renderer/helpers/fakes.js';

const probe = { http: { url: 'http://127.0.0.1:1/health' } };

/** The stack of the issue: a model with a probe, a one-shot setup, a server that needs both, a worker that needs the server ready, an unrelated mcp. */
const STACK: StackDefinition[] = [
  { name: 'model', health: probe },
  { name: 'setup' },
  { name: 'server', dependsOn: { model: 'healthy', setup: 'completed' }, readyLine: 'listening', groups: ['research'] },
  { name: 'worker', dependsOn: { server: 'ready' }, groups: ['research', 'jobs'] },
  { name: 'mcp', groups: ['jobs'] },
];

test('a sound stack has no problems', () => {
  assert.deepEqual(stackProblems(STACK), []);
  assert.deepEqual(stackProblems([]), []);
});

test('a cycle is named from its first agent back to it', () => {
  const defs: StackDefinition[] = [
    { name: 'model', dependsOn: { server: 'started' } },
    { name: 'server', dependsOn: { model: 'started' } },
  ];
  const problems = stackProblems(defs);
  assert.equal(problems.length, 1, problems.join('\n'));
  assert.match(problems[0] as string, /model → server → model/);
  // the same cycle found from another start is reported once, still from its first agent
  const three = stackProblems([
    { name: 'a', dependsOn: { c: 'started' } },
    { name: 'b', dependsOn: { a: 'started' } },
    { name: 'c', dependsOn: { b: 'started' } },
    { name: 'd', dependsOn: { b: 'started' } },
  ]);
  assert.deepEqual(three.length, 1, three.join('\n'));
  assert.match(three[0] as string, /a → c → b → a/);
});

test('an agent depending on itself is a cycle of one', () => {
  const [problem] = stackProblems([{ name: 'loop', dependsOn: { loop: 'started' } }]);
  assert.match(problem as string, /loop → loop/);
});

test('two separate cycles are both named', () => {
  const problems = stackProblems([
    { name: 'a', dependsOn: { b: 'started' } },
    { name: 'b', dependsOn: { a: 'started' } },
    { name: 'x', dependsOn: { y: 'ready' } },
    { name: 'y', dependsOn: { x: 'ready' } },
  ]);
  assert.equal(problems.length, 2);
  assert.ok(problems.some((p) => p.includes('a → b → a')));
  assert.ok(problems.some((p) => p.includes('x → y → x')));
});

test('an unknown name in dependsOn names both agents and the fix', () => {
  const issues = stackIssues([{ name: 'server', dependsOn: { modle: 'started' } }]);
  assert.equal(issues.length, 1);
  assert.deepEqual({ agent: issues[0]?.agent, dependency: issues[0]?.dependency }, { agent: 'server', dependency: 'modle' });
  assert.match(issues[0]?.message as string, /"server" depends on "modle", which is not defined/);
});

test('healthy on an agent without a health probe is refused; with one, or as started/ready, it is fine', () => {
  const [problem] = stackProblems([{ name: 'model' }, { name: 'server', dependsOn: { model: 'healthy' } }]);
  assert.match(problem as string, /"model" has no health probe/);
  assert.deepEqual(stackProblems([{ name: 'model', health: { tcp: { port: 1 } } }, { name: 'server', dependsOn: { model: 'healthy' } }]), []);
  assert.deepEqual(stackProblems([{ name: 'model', health: { command: ['true'] } }, { name: 'server', dependsOn: { model: 'healthy' } }]), []);
  assert.deepEqual(stackProblems([{ name: 'model', health: { intervalMs: 500 } }, { name: 'server', dependsOn: { model: 'ready' } }]), []);
  assert.equal(stackProblems([{ name: 'model', health: { intervalMs: 500 } }, { name: 'server', dependsOn: { model: 'healthy' } }]).length, 1, 'timings alone are no probe');
  // the caller may say what a probe is (e.g. with defaults from elsewhere)
  assert.deepEqual(stackProblems([{ name: 'model' }, { name: 'server', dependsOn: { model: 'healthy' } }], () => true), []);
});

test('levels put dependencies first; agents of one level are independent', () => {
  const names = STACK.map((d) => d.name);
  assert.deepEqual(dependencyLevels(STACK, names), [['model', 'setup', 'mcp'], ['server'], ['worker']]);
  // a chain through an agent outside the set still orders the set
  assert.deepEqual(dependencyLevels(STACK, ['worker', 'model']), [['model'], ['worker']]);
  assert.deepEqual(dependencyLevels(STACK, ['worker', 'mcp']), [['worker', 'mcp']]);
  // an agent no definition knows (removed while it runs) has no dependencies
  assert.deepEqual(dependencyLevels(STACK, ['gone', 'server']), [['gone', 'server']]);
  assert.deepEqual(dependencyLevels(STACK, []), []);
});

test('levels follow the longest chain, not the shortest', () => {
  const defs: StackDefinition[] = [
    { name: 'top', dependsOn: { mid: 'started', base: 'started' } },
    { name: 'mid', dependsOn: { base: 'started' } },
    { name: 'base' },
  ];
  assert.deepEqual(dependencyLevels(defs, ['top', 'mid', 'base']), [['base'], ['mid'], ['top']]);
});

test('levels of a cycle (a file that slipped through) still end', () => {
  const levels = dependencyLevels([{ name: 'a', dependsOn: { b: 'started' } }, { name: 'b', dependsOn: { a: 'started' } }], ['a', 'b']);
  assert.deepEqual(levels.flat().sort(), ['a', 'b']);
});

test('dependents are found through chains, in definition order, without the agent itself', () => {
  assert.deepEqual(dependentsOf(STACK, 'model'), ['server', 'worker']);
  assert.deepEqual(dependentsOf(STACK, 'server'), ['worker']);
  assert.deepEqual(dependentsOf(STACK, 'worker'), []);
  assert.deepEqual(dependentsOf(STACK, 'mcp'), []);
});

test('groups come in order of first mention with their agents', () => {
  assert.deepEqual([...groupsOf(STACK)], [
    ['research', ['server', 'worker']],
    ['jobs', ['worker', 'mcp']],
  ]);
});

test('the graph says which conditions hold now', () => {
  const statuses = [
    status('model', { state: 'running', health: 'healthy' }),
    status('setup', { exitCode: 0 }),
    status('server', { state: 'running', ready: false }),
    status('worker', { state: 'waiting', waitingFor: [{ agent: 'server', condition: 'ready' }] }),
    status('mcp'),
  ];
  const graph = stackGraph(STACK, statuses);
  assert.deepEqual(
    graph.nodes.map((n) => [n.name, n.state, n.ready, n.groups]),
    [
      ['model', 'running', true, []],
      ['setup', 'stopped', false, []],
      ['server', 'running', false, ['research']],
      ['worker', 'waiting', false, ['research', 'jobs']],
      ['mcp', 'stopped', false, ['jobs']],
    ],
  );
  assert.deepEqual(graph.edges, [
    { from: 'server', to: 'model', condition: 'healthy', met: true },
    { from: 'server', to: 'setup', condition: 'completed', met: true },
    { from: 'worker', to: 'server', condition: 'ready', met: false },
  ]);
});

test('ready falls back as the issue says: readyLine not matched yet, a probe healthy, else running', () => {
  const defs: StackDefinition[] = [{ name: 'line', readyLine: 'up' }, { name: 'probed', health: probe }, { name: 'plain' }, { name: 'w', dependsOn: { line: 'ready', probed: 'ready', plain: 'ready' } }];
  const graph = stackGraph(defs, [
    status('line', { state: 'running' }),
    status('probed', { state: 'running', health: 'starting' }),
    status('plain', { state: 'running' }),
    status('w'),
  ]);
  assert.deepEqual(graph.edges.map((e) => [e.to, e.met]), [
    ['line', false],
    ['probed', false],
    ['plain', true],
  ]);
  const later = stackGraph(defs, [status('line', { state: 'running', ready: true }), status('probed', { state: 'running', health: 'healthy' }), status('plain', { state: 'crashed' }), status('w')]);
  assert.deepEqual(later.edges.map((e) => [e.to, e.met]), [
    ['line', true],
    ['probed', true],
    ['plain', false],
  ]);
});

test('completed needs a clean exit: not a crash, not a signal, not a run that never happened', () => {
  const defs: StackDefinition[] = [{ name: 'setup' }, { name: 'app', dependsOn: { setup: 'completed' } }];
  const met = (s: AgentStatus) => stackGraph(defs, [s, status('app')]).edges[0]?.met;
  assert.equal(met(status('setup', { exitCode: 0 })), true);
  assert.equal(met(status('setup')), false);
  assert.equal(met(status('setup', { state: 'crashed', exitCode: 1 })), false);
  assert.equal(met(status('setup', { exitCode: null, signal: 'SIGTERM' })), false);
});
