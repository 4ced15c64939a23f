// Stacks from the statuses: each condition's truth now, what a waiting agent still waits for, what
// depends on an agent, groups, the graph in levels, and the cycle a new dependency would close.
import { describe, expect, it } from 'vitest';
import {
  componentOf,
  conditionMet,
  cycleThrough,
  dependencyRows,
  dependentRows,
  graphLevels,
  groupedAgents,
  groupSummaries,
  liveDependents,
  stackGraphOf,
  stateText,
  waitingText,
  withLiveState,
} from '../../../renderer/store/stacks.js';
import type { AgentStatus } from '../../../shared/status.js';
import { running, status } from '../helpers/fakes.js';

const byNameOf = (list: AgentStatus[]) => Object.fromEntries(list.map((s) => [s.name, s]));

describe('conditions', () => {
  const waiting = status('app', { state: 'waiting', since: 1000, waitingFor: [{ agent: 'setup', condition: 'completed' }] });

  it('started: the dependency runs', () => {
    expect(conditionMet(waiting, running('model', 1), 'started')).toBe(true);
    expect(conditionMet(waiting, status('model', { state: 'starting' }), 'started')).toBe(false);
    expect(conditionMet(waiting, undefined, 'started')).toBe(false);
  });

  it('healthy: it runs and its probe says healthy', () => {
    expect(conditionMet(waiting, running('model', 1, { health: 'healthy' }), 'healthy')).toBe(true);
    expect(conditionMet(waiting, running('model', 1, { health: 'starting' }), 'healthy')).toBe(false);
    expect(conditionMet(waiting, status('model', { health: 'healthy' }), 'healthy')).toBe(false);
  });

  it('ready: the ready flag of a running dependency (its fallback when the host sends none)', () => {
    expect(conditionMet(waiting, running('api', 1, { ready: true }), 'ready')).toBe(true);
    expect(conditionMet(waiting, running('api', 1, { ready: false, health: 'healthy' }), 'ready')).toBe(false);
    expect(conditionMet(waiting, running('api', 1, { health: 'healthy' }), 'ready')).toBe(true);
    expect(conditionMet(waiting, status('api', { ready: true }), 'ready')).toBe(false);
  });

  it('completed: it exited 0; while the dependent waits for it, only after the wait began', () => {
    expect(conditionMet(waiting, status('setup', { exitCode: 0, since: 2000 }), 'completed')).toBe(true);
    expect(conditionMet(waiting, status('setup', { exitCode: 0, since: 500 }), 'completed')).toBe(false);
    expect(conditionMet(waiting, status('setup', { exitCode: 1, since: 2000 }), 'completed')).toBe(false);
    expect(conditionMet(waiting, running('setup', 1500), 'completed')).toBe(false);
    expect(conditionMet(status('app'), status('setup', { exitCode: 0, since: 500 }), 'completed')).toBe(true);
  });
});

describe('waiting', () => {
  const server = status('server', {
    state: 'waiting',
    since: 1000,
    dependsOn: { model: 'healthy', setup: 'completed' },
    waitingFor: [
      { agent: 'model', condition: 'healthy' },
      { agent: 'setup', condition: 'completed' },
    ],
  });

  it('says what it still waits for, leaving out what holds by now', () => {
    expect(waitingText(server)).toBe('waiting for model (healthy), setup (completed)');
    const model = running('model', 1, { health: 'healthy' });
    expect(waitingText(server, byNameOf([model, status('setup'), server]))).toBe('waiting for setup (completed)');
    expect(stateText(server, byNameOf([model]))).toBe('waiting for setup (completed)');
    expect(stateText(running('x', 1))).toBe('running');
    expect(waitingText(status('x', { state: 'waiting' }))).toBe('waiting for its dependencies');
  });

  it('lists what an agent depends on and what depends on it, each with its truth now', () => {
    const model = running('model', 1, { health: 'healthy' });
    const list = [model, status('setup'), server, status('worker', { dependsOn: { server: 'ready' } })];
    expect(dependencyRows(server, byNameOf(list))).toEqual([
      { agent: 'model', condition: 'healthy', met: true, state: 'running' },
      { agent: 'setup', condition: 'completed', met: false, state: 'stopped' },
    ]);
    expect(dependencyRows(status('x', { dependsOn: { ghost: 'started' } }), {})).toEqual([{ agent: 'ghost', condition: 'started', met: false, state: null }]);
    expect(dependentRows('model', list)).toEqual([{ agent: 'server', condition: 'healthy', met: true, state: 'waiting' }]);
    expect(dependentRows('server', list)).toEqual([{ agent: 'worker', condition: 'ready', met: false, state: 'stopped' }]);
  });

  it('finds the dependents that run, through others', () => {
    const list = [running('model', 1), running('server', 1, { dependsOn: { model: 'healthy' } }), status('worker', { state: 'waiting', dependsOn: { server: 'ready' } }), status('idle', { dependsOn: { model: 'started' } })];
    expect(liveDependents('model', list)).toEqual(['server', 'worker']);
    expect(liveDependents('worker', list)).toEqual([]);
  });
});

describe('groups', () => {
  const list = [running('model', 1, { groups: ['research', 'local'] }), status('mcp', { groups: ['research'] }), status('solo')];

  it('sums each group, sorted by name', () => {
    expect(groupSummaries(list)).toEqual([
      { name: 'local', agents: ['model'], running: 1, total: 1 },
      { name: 'research', agents: ['model', 'mcp'], running: 1, total: 2 },
    ]);
  });

  it('splits the list by group, then the agents in none', () => {
    expect(groupedAgents(list).map((s) => [s.group?.name ?? null, s.agents.map((a) => a.name)])).toEqual([
      ['local', ['model']],
      ['research', ['model', 'mcp']],
      [null, ['solo']],
    ]);
  });
});

describe('graph', () => {
  const list = [
    status('worker', { dependsOn: { server: 'ready' } }),
    running('model', 1, { health: 'healthy' }),
    status('server', { dependsOn: { model: 'healthy', setup: 'completed' } }),
    status('setup', { exitCode: 0 }),
    status('other'),
  ];

  it('has a node per agent and an edge per dependency, from the dependent to its dependency', () => {
    const g = stackGraphOf(list);
    expect(g.nodes.map((n) => n.name)).toEqual(['worker', 'model', 'server', 'setup', 'other']);
    expect(g.edges).toEqual([
      { from: 'worker', to: 'server', condition: 'ready', met: false },
      { from: 'server', to: 'model', condition: 'healthy', met: true },
      { from: 'server', to: 'setup', condition: 'completed', met: true },
    ]);
  });

  it('lays the nodes out in levels, dependencies first, and survives a cycle', () => {
    expect(graphLevels(stackGraphOf(list))).toEqual([['model', 'setup', 'other'], ['server'], ['worker']]);
    const cyclic = stackGraphOf([status('a', { dependsOn: { b: 'started' } }), status('b', { dependsOn: { a: 'started' } })]);
    expect(graphLevels(cyclic).flat().sort()).toEqual(['a', 'b']);
  });

  it('keeps the part connected to one agent', () => {
    expect(componentOf(stackGraphOf(list), 'model').nodes.map((n) => n.name)).toEqual(['worker', 'model', 'server', 'setup']);
    expect(componentOf(stackGraphOf(list), 'other').edges).toEqual([]);
  });

  it('takes states and truths live from the statuses for a graph the host sent earlier', () => {
    const old = stackGraphOf(list);
    const now = list.map((s) => (s.name === 'server' ? running('server', 1, { ready: true, dependsOn: s.dependsOn }) : s));
    const live = withLiveState(old, now);
    expect(live.nodes.find((n) => n.name === 'server')?.state).toBe('running');
    expect(live.edges.find((e) => e.from === 'worker')?.met).toBe(true);
  });

  it('names the cycle a new dependency would close, and none when there is none', () => {
    const byName = byNameOf([status('model', { dependsOn: { server: 'started' } }), status('server')]);
    expect(cycleThrough('server', { model: 'healthy' }, byName)).toBe('server → model → server');
    expect(cycleThrough('server', { other: 'started' }, byName)).toBeNull();
    expect(cycleThrough('a', { a: 'started' }, {})).toBe('a → a');
  });
});
