// The tray's "Open" item: in an agent's submenu when its status has a URL, first, asking to open that URL (pure).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toMenuTemplate } from '../../../electron/main/tray/menu-template.js';
import { trayMenu, type TrayAction, type TrayMenuItem } from '../../../electron/main/tray/tray-menu.js';
import type { AgentStatus } from '../../../shared/status.js';

/** A stopped agent with `over` applied. */
function agent(name: string, over: Partial<AgentStatus> = {}): AgentStatus {
  return {
    name, state: 'stopped', since: 0, pid: null, startedAt: null, uptimeMs: null, exitCode: null, signal: null,
    restarts: 0, lastError: null, port: null, health: 'unknown', healthScore: 100, nextAttemptAt: null,
    violations: 0, stats: null, adopted: false, outputCaptured: true, conflict: null, ...over,
  };
}

/** The submenu of agent `name`. */
function submenuOf(menu: TrayMenuItem[], name: string): TrayMenuItem[] {
  const found = menu.find((i) => i.type === 'submenu' && i.label === name);
  assert.ok(found?.submenu, `no submenu for ${name}`);
  return found.submenu;
}

test('an agent with a URL has "Open" first in its submenu, asking to open that URL', () => {
  const menu = trayMenu([agent('web', { state: 'running', url: 'http://127.0.0.1:5173/', urlSource: 'output' })], { startAtLogin: false });
  const [open] = submenuOf(menu, 'web');
  assert.deepEqual(open, { label: 'Open', type: 'normal', toolTip: 'http://127.0.0.1:5173/', action: { open: 'url', name: 'web', url: 'http://127.0.0.1:5173/' } });

  const clicked: TrayAction[] = [];
  const electronItems = toMenuTemplate(menu, (a) => clicked.push(a));
  const sub = electronItems.find((i) => i.label === 'web' && i.type === 'submenu')?.submenu as { label?: string; click?: () => void }[];
  sub.find((i) => i.label === 'Open')?.click?.();
  assert.deepEqual(clicked, [{ open: 'url', name: 'web', url: 'http://127.0.0.1:5173/' }]);
});

test('an agent without a URL has no "Open"', () => {
  const sub = submenuOf(trayMenu([agent('batch', { url: null, urlSource: null }), agent('old')], { startAtLogin: false }), 'batch');
  assert.ok(!sub.some((i) => i.label === 'Open'), sub.map((i) => i.label).join(', '));
  assert.equal(sub[0]?.label, 'Restart');
});
