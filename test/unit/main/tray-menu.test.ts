// Unit tests for the tray menu template: labels per state, toggle actions, submenus, last error, settings.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { trayMenu, agentLabel, firstLine, type TrayMenuItem } from '../../../electron/main/tray/tray-menu.js';
import type { AgentStatus } from '../../../shared/status.js';

/** A stopped, healthy agent with `over` applied. */
function agent(name: string, over: Partial<AgentStatus> = {}): AgentStatus {
  return {
    name, state: 'stopped', since: 0, pid: null, startedAt: null, uptimeMs: null, exitCode: null, signal: null,
    restarts: 0, lastError: null, port: null, health: 'unknown', healthScore: 100, nextAttemptAt: null,
    violations: 0, stats: null, adopted: false, outputCaptured: true, conflict: null, ...over,
  };
}

/** The item labelled `label` (the submenu when `type` says so), failing if absent. */
function item(menu: TrayMenuItem[], label: string, type?: TrayMenuItem['type']): TrayMenuItem {
  const found = menu.find((i) => i.label === label && (type === undefined || i.type === type));
  assert.ok(found, `no item "${label}" in ${menu.map((i) => i.label).join(', ')}`);
  return found;
}

const OFF = { startAtLogin: false };

test('labels show the state for every non-quiet state', () => {
  assert.equal(agentLabel(agent('a', { state: 'running' })), 'a');
  assert.equal(agentLabel(agent('a', { state: 'stopped' })), 'a');
  assert.equal(agentLabel(agent('a', { state: 'starting' })), 'a — starting…');
  assert.equal(agentLabel(agent('a', { state: 'stopping' })), 'a — stopping…');
  assert.equal(agentLabel(agent('a', { state: 'crashed' })), 'a — crashed');
  assert.equal(agentLabel(agent('a', { state: 'errored' })), 'a — errored');
});

test('backoff label counts down to nextAttemptAt when given now, and says so without it', () => {
  const a = agent('a', { state: 'backoff', nextAttemptAt: 10_000 });
  assert.equal(agentLabel(a, 5_500), 'a — retrying in 5 s');
  assert.equal(agentLabel(a, 20_000), 'a — retrying in 0 s');
  assert.equal(agentLabel(a), 'a — waiting to retry');
  assert.equal(agentLabel(agent('a', { state: 'backoff' }), 1), 'a — waiting to retry');
  assert.equal(trayMenu([a], OFF, 7_000)[0]?.label, 'a — retrying in 3 s');
});

test('unhealthy and zombie agents get an unhealthy suffix', () => {
  assert.equal(agentLabel(agent('a', { state: 'running', health: 'unhealthy' })), 'a — unhealthy');
  assert.equal(agentLabel(agent('a', { state: 'starting', health: 'zombie' })), 'a — starting… — unhealthy');
  assert.equal(agentLabel(agent('a', { state: 'running', health: 'healthy' })), 'a');
});

test('one checkbox per agent, checked while running or stopping', () => {
  const states = ['stopped', 'starting', 'running', 'stopping', 'backoff', 'crashed', 'errored'] as const;
  const menu = trayMenu(states.map((s) => agent(s, { state: s })), OFF);
  const boxes = menu.slice(0, states.length);
  assert.deepEqual(boxes.map((b) => b.type), states.map(() => 'checkbox'));
  assert.deepEqual(
    boxes.map((b) => [b.label.split(' ')[0], b.checked]),
    states.map((s) => [s, s === 'running' || s === 'stopping']),
  );
});

test('clicking an agent that runs or is on its way up stops it; a stopped or failed one starts; a stopping one is disabled', () => {
  const menu = trayMenu(
    [agent('r', { state: 'running' }), agent('s'), agent('c', { state: 'crashed' }), agent('b', { state: 'backoff' }), agent('u', { state: 'starting' }), agent('d', { state: 'stopping' })],
    OFF,
  );
  assert.deepEqual(menu[0]?.action, { command: 'stopAgent', name: 'r' });
  assert.deepEqual(menu[1]?.action, { command: 'startAgent', name: 's' });
  assert.deepEqual(menu[2]?.action, { command: 'startAgent', name: 'c' });
  assert.deepEqual(menu[3]?.action, { command: 'stopAgent', name: 'b' });
  assert.deepEqual(menu[4]?.action, { command: 'stopAgent', name: 'u' });
  assert.equal(menu[5]?.action, undefined);
  assert.equal(menu[5]?.enabled, false);
});

test('each agent has a submenu with Restart and Show logs', () => {
  const menu = trayMenu([agent('alpha', { state: 'running' }), agent('beta')], OFF);
  const subs = menu.filter((i) => i.type === 'submenu');
  assert.deepEqual(subs.map((s) => s.label), ['alpha', 'beta']);
  assert.deepEqual(subs[0]?.submenu, [
    { label: 'Restart', type: 'normal', action: { command: 'restartAgent', name: 'alpha' } },
    { label: 'Show logs', type: 'normal', action: { open: 'logs', name: 'alpha' } },
  ]);
  assert.equal(menu[2]?.type, 'separator', 'checkboxes and submenus are separated');
});

test('a crashed or errored agent shows the first line of its last error, disabled and cut to 80 chars', () => {
  const long = `${'x'.repeat(100)}\nsecond line`;
  const lastError = { message: long, at: 1, exitCode: 1, signal: null, stderr: [] };
  for (const state of ['crashed', 'errored'] as const) {
    const sub = item(trayMenu([agent('a', { state, lastError })], OFF), 'a', 'submenu').submenu ?? [];
    const err = sub.at(-1);
    assert.equal(err?.enabled, false);
    assert.equal(err?.label.length, 80);
    assert.ok(err?.label.endsWith('…'));
    assert.equal(err?.toolTip, 'x'.repeat(100));
    assert.equal(err?.action, undefined);
  }
  const short = { ...lastError, message: 'spawn python3 ENOENT\n  at foo' };
  const sub = item(trayMenu([agent('a', { state: 'crashed', lastError: short })], OFF), 'a', 'submenu').submenu ?? [];
  assert.equal(sub.at(-1)?.label, 'spawn python3 ENOENT');
});

test('a running agent with a stale last error shows no error line', () => {
  const lastError = { message: 'old', at: 1, exitCode: 1, signal: null, stderr: [] };
  const sub = item(trayMenu([agent('a', { state: 'running', lastError })], OFF), 'a', 'submenu').submenu ?? [];
  assert.deepEqual(sub.map((i) => i.label), ['Restart', 'Show logs']);
});

test('firstLine keeps short lines whole and trims', () => {
  assert.equal(firstLine('  hello  \r\nworld'), 'hello');
  assert.equal(firstLine('y'.repeat(80)), 'y'.repeat(80));
  assert.equal(firstLine('y'.repeat(81)), `${'y'.repeat(79)}…`);
});

test('the fixed tail: Start all, Stop all, Open Agent Tray, Start at login, Quit, with separators', () => {
  const menu = trayMenu([agent('a', { state: 'running' })], OFF);
  assert.deepEqual(menu.slice(-8).map((i) => i.type === 'separator' ? '---' : i.label), [
    '---', 'Start all', 'Stop all', '---', 'Open Agent Tray', 'Start at login', '---', 'Quit',
  ]);
  assert.deepEqual(item(menu, 'Start all').action, { command: 'startAll' });
  assert.deepEqual(item(menu, 'Stop all').action, { command: 'stopAll' });
  assert.deepEqual(item(menu, 'Open Agent Tray').action, { open: 'window' });
  assert.deepEqual(item(menu, 'Quit').action, { quit: true });
});

test('Start at login is a checkbox that mirrors the setting and toggles it', () => {
  for (const startAtLogin of [true, false]) {
    const login = item(trayMenu([], { startAtLogin }), 'Start at login');
    assert.equal(login.type, 'checkbox');
    assert.equal(login.checked, startAtLogin);
    assert.deepEqual(login.action, { toggle: 'startAtLogin' });
  }
});

test('Start all and Stop all are enabled only when they would do something', () => {
  const enabled = (agents: AgentStatus[]): [boolean | undefined, boolean | undefined] => {
    const menu = trayMenu(agents, OFF);
    return [item(menu, 'Start all').enabled, item(menu, 'Stop all').enabled];
  };
  assert.deepEqual(enabled([agent('a', { state: 'running' })]), [false, true]);
  assert.deepEqual(enabled([agent('a'), agent('b', { state: 'crashed' })]), [true, false]);
  assert.deepEqual(enabled([agent('a'), agent('b', { state: 'running' })]), [true, true]);
  assert.deepEqual(enabled([agent('a', { state: 'backoff' })]), [true, true]);
});

test('with no agents, one disabled hint and the fixed tail', () => {
  const menu = trayMenu([], OFF);
  assert.deepEqual(menu[0], { label: 'No agents yet — add one in the window', type: 'normal', enabled: false });
  assert.equal(menu.filter((i) => i.type === 'checkbox' || i.type === 'submenu').length, 1, 'only Start at login');
  assert.equal(item(menu, 'Start all').enabled, false);
  assert.equal(item(menu, 'Stop all').enabled, false);
  assert.equal(menu.length, 9);
});

test('the template is plain data: it survives a JSON round trip', () => {
  const lastError = { message: 'boom', at: 1, exitCode: 1, signal: null, stderr: [] };
  const menu = trayMenu([agent('a', { state: 'crashed', lastError }), agent('b', { state: 'running' })], { startAtLogin: true });
  assert.deepEqual(JSON.parse(JSON.stringify(menu)), menu);
});
