// Unit tests for stacks in the tray: a waiting agent's label says what it waits for, a submenu per
// group with Start group / Stop group and its agents, "Stop with dependents" while dependents run,
// the commands those items run, the busy icon while an agent waits, and ready events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trayCommand } from '../../../electron/main/tray/tray-command.js';
import { trayIconState } from '../../../electron/main/tray/tray-icon-state.js';
import { agentLabel, trayGroups, trayMenu, type TrayMenuItem } from '../../../electron/main/tray/tray-menu.js';
import { TrayAgents } from '../../../electron/main/tray/tray-model.js';
import type { AgentStatus } from '../../../shared/status.js';

/** A stopped agent with `over` applied. */
function agent(name: string, over: Partial<AgentStatus> = {}): AgentStatus {
  return {
    name, state: 'stopped', since: 0, pid: null, startedAt: null, uptimeMs: null, exitCode: null, signal: null,
    restarts: 0, lastError: null, port: null, health: 'unknown', healthScore: 100, nextAttemptAt: null,
    violations: 0, stats: null, adopted: false, outputCaptured: true, conflict: null, ...over,
  };
}

const OFF = { startAtLogin: false };

/** The item labelled `label`, failing if absent. */
function item(menu: readonly TrayMenuItem[], label: string): TrayMenuItem {
  const found = menu.find((i) => i.label === label);
  assert.ok(found, `no item "${label}" in ${menu.map((i) => i.label).join(', ')}`);
  return found;
}

const server = agent('server', {
  state: 'waiting',
  since: 1000,
  dependsOn: { model: 'healthy', setup: 'completed' },
  waitingFor: [{ agent: 'model', condition: 'healthy' }, { agent: 'setup', condition: 'completed' }],
  groups: ['research'],
});

test('a waiting agent says what it waits for; conditions that hold by now drop out of the label', () => {
  assert.equal(agentLabel(server), 'server — waiting for model (healthy), setup (completed)');
  const model = agent('model', { state: 'running', health: 'healthy' });
  const menu = trayMenu([model, agent('setup'), server], OFF);
  assert.equal(menu[2]?.label, 'server — waiting for setup (completed)');
  // every condition holds: the engine is about to move on, and the label keeps the whole list
  const setup = agent('setup', { exitCode: 0, since: 2000 });
  assert.equal(trayMenu([model, setup, server], OFF)[2]?.label, 'server — waiting for model (healthy), setup (completed)');
});

test('a waiting agent is unchecked and a click cancels the wait (stops it); it counts for Stop all, not Start all', () => {
  const menu = trayMenu([server], OFF);
  assert.equal(menu[0]?.type, 'checkbox');
  assert.equal(menu[0]?.checked, false);
  assert.deepEqual(menu[0]?.action, { command: 'stopAgent', name: 'server' });
  assert.equal(item(menu, 'Start all').enabled, false);
  assert.equal(item(menu, 'Stop all').enabled, true);
});

test('one submenu per group, sorted, with its count, Start group, Stop group and its agents; an agent of two groups is in both', () => {
  const agents = [
    agent('model', { state: 'running', groups: ['research', 'local'] }),
    agent('mcp', { groups: ['research'] }),
    agent('solo'),
  ];
  assert.deepEqual(trayGroups(agents).map((g) => [g.name, g.agents.map((a) => a.name)]), [['local', ['model']], ['research', ['model', 'mcp']]]);
  const menu = trayMenu(agents, OFF);
  const research = item(menu, 'research — 1 of 2 running');
  assert.equal(research.type, 'submenu');
  const sub = research.submenu ?? [];
  assert.deepEqual(item(sub, 'Start group'), { label: 'Start group', type: 'normal', enabled: true, action: { command: 'startGroup', group: 'research' } });
  assert.deepEqual(item(sub, 'Stop group'), { label: 'Stop group', type: 'normal', enabled: true, action: { command: 'stopGroup', group: 'research' } });
  assert.deepEqual(sub.slice(3).map((i) => [i.type, i.label, i.checked]), [['checkbox', 'model', true], ['checkbox', 'mcp', false]]);
  const local = item(menu, 'local — 1 of 1 running').submenu ?? [];
  assert.equal(item(local, 'Start group').enabled, false, 'nothing of it to start');
  assert.equal(menu.findIndex((i) => i.label.startsWith('local')) < menu.findIndex((i) => i.label.startsWith('research')), true);
});

test('without groups the menu has no group section', () => {
  const menu = trayMenu([agent('a'), agent('b', { state: 'running' })], OFF);
  assert.equal(menu.some((i) => i.label.includes(' running') && i.type === 'submenu'), false);
  assert.deepEqual(menu.filter((i) => i.type === 'submenu').map((i) => i.label), ['a', 'b']);
});

test('an agent whose dependents run offers Stop with dependents, naming them; without running dependents it does not', () => {
  const model = agent('model', { state: 'running' });
  const api = agent('api', { state: 'running', dependsOn: { model: 'healthy' } });
  const worker = agent('worker', { state: 'waiting', dependsOn: { api: 'ready' } });
  const idle = agent('idle', { dependsOn: { model: 'started' } });
  const sub = item(trayMenu([model, api, worker, idle], OFF).filter((i) => i.type === 'submenu'), 'model').submenu ?? [];
  assert.deepEqual(item(sub, 'Stop with dependents (api, worker)').action, { command: 'stopAgent', name: 'model', withDependents: true });
  const alone = item(trayMenu([model, idle], OFF).filter((i) => i.type === 'submenu'), 'model').submenu ?? [];
  assert.deepEqual(alone.map((i) => i.label), ['Restart', 'Show logs']);
});

test('tray items run the matching commands with their inputs', () => {
  assert.deepEqual(trayCommand({ command: 'startGroup', group: 'research' }), { command: 'startGroup', input: { group: 'research' }, what: 'Start group research' });
  assert.deepEqual(trayCommand({ command: 'stopGroup', group: 'research' }), { command: 'stopGroup', input: { group: 'research' }, what: 'Stop group research' });
  assert.deepEqual(trayCommand({ command: 'stopAgent', name: 'model', withDependents: true }), { command: 'stopAgent', input: { name: 'model', withDependents: true }, what: 'Stop model with dependents' });
  assert.deepEqual(trayCommand({ command: 'stopAgent', name: 'model' }), { command: 'stopAgent', input: { name: 'model' }, what: 'Stop model' });
  assert.deepEqual(trayCommand({ command: 'startAll' }), { command: 'startAll', input: {}, what: 'Start all' });
  assert.deepEqual(trayCommand({ command: 'restartAgent', name: 'a' }).input, { name: 'a' });
});

test('an agent waiting for its dependencies makes the icon busy', () => {
  assert.equal(trayIconState([agent('a', { state: 'waiting' })]), 'busy');
  assert.equal(trayIconState([agent('a', { state: 'waiting' }), agent('b', { state: 'running' })]), 'busy');
});

test('a ready event marks the agent ready, so a waiting label drops the condition it met', () => {
  const agents = new TrayAgents();
  const api = agent('api', { state: 'running', ready: false });
  const worker = agent('worker', { state: 'waiting', waitingFor: [{ agent: 'api', condition: 'ready' }, { agent: 'mcp', condition: 'started' }] });
  agents.apply({ type: 'snapshot', at: 0, agents: [api, worker, agent('mcp')] });
  assert.equal(trayMenu(agents.list(), OFF)[1]?.label, 'worker — waiting for api (ready), mcp (started)');
  assert.equal(agents.apply({ type: 'ready', name: 'api', at: 5, line: 'listening' }), true);
  assert.equal(agents.list()[0]?.readyAt, 5);
  assert.equal(trayMenu(agents.list(), OFF)[1]?.label, 'worker — waiting for mcp (started)');
  assert.equal(agents.apply({ type: 'ready', name: 'nobody', at: 5, line: null }), false);
});
