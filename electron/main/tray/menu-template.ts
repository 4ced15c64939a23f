// The tray template's data items turned into Electron's menu item options: each `action` becomes a
// click handler. Pure (types only from Electron), so the mapping is tested without Electron.
import type { MenuItemConstructorOptions } from 'electron';
import type { TrayAction, TrayMenuItem } from './tray-menu.js';

/** Electron's menu item options for `items`, calling `onAction` with the item's action on click. */
export function toMenuTemplate(items: readonly TrayMenuItem[], onAction: (action: TrayAction) => void): MenuItemConstructorOptions[] {
  return items.map((item): MenuItemConstructorOptions => {
    if (item.type === 'separator') return { type: 'separator' };
    const action = item.action;
    return {
      label: item.label,
      type: item.type,
      ...(item.checked !== undefined ? { checked: item.checked } : {}),
      ...(item.enabled !== undefined ? { enabled: item.enabled } : {}),
      ...(item.toolTip !== undefined ? { toolTip: item.toolTip } : {}),
      ...(item.submenu ? { submenu: toMenuTemplate(item.submenu, onAction) } : {}),
      ...(action ? { click: () => onAction(action) } : {}),
    };
  });
}
