// Unit tests for turning the tray's data template into Electron menu options with click handlers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toMenuTemplate } from '../../../electron/main/tray/menu-template.js';
import { trayMenu, type TrayAction } from '../../../electron/main/tray/tray-menu.js';
import type { AgentStatus } from '../../../shared/status.js';

const agent = (name: string, state: AgentStatus['state']): AgentStatus => ({
  name, state, since: 0, pid: null, startedAt: null, uptimeMs: null, exitCode: null, signal: null, restarts: 0,
  lastError: null, port: null, health: 'unknown', healthScore: 100, nextAttemptAt: null, violations: 0, stats: null,
  adopted: false, outputCaptured: true, conflict: null,
});

test('every item keeps its label, type, state and submenu; separators stay bare', () => {
  const data = trayMenu([agent('alpha', 'running'), agent('beta', 'stopped')], { startAtLogin: true });
  const menu = toMenuTemplate(data, () => {});
  assert.equal(menu.length, data.length);
  data.forEach((item, i) => {
    const out = menu[i]!;
    if (item.type === 'separator') return assert.deepEqual(out, { type: 'separator' });
    assert.equal(out.label, item.label);
    assert.equal(out.type, item.type);
    assert.equal(out.checked, item.checked);
    assert.equal(out.enabled, item.enabled);
    assert.equal(Array.isArray(out.submenu), Boolean(item.submenu));
    assert.equal(typeof out.click, item.action ? 'function' : 'undefined');
  });
});

test('a click calls back with the item\'s action, also inside submenus', () => {
  const seen: TrayAction[] = [];
  const menu = toMenuTemplate(trayMenu([agent('alpha', 'running')], { startAtLogin: false }), (a) => seen.push(a));
  const click = (label: string, items = menu): void => {
    const item = items.find((i) => i.label === label);
    assert.ok(item?.click, `no clickable "${label}"`);
    (item.click as () => void)();
  };
  click('alpha');
  const sub = menu.find((i) => i.label === 'alpha' && i.type === 'submenu')?.submenu as typeof menu;
  click('Restart', sub);
  click('Quit');
  assert.deepEqual(seen, [{ command: 'stopAgent', name: 'alpha' }, { command: 'restartAgent', name: 'alpha' }, { quit: true }]);
});
