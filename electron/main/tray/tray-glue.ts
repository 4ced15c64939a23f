// The real tray icon: icon files per state and platform, the menu from the template, the tooltip.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Menu, Tray, nativeImage, type NativeImage } from 'electron';
import { trayIconFile } from './tray-icon-files.js';
import type { TrayIconState } from './tray-icon-state.js';
import type { TrayAction } from './tray-menu.js';
import type { TrayView } from './tray-model.js';
import { toMenuTemplate } from './menu-template.js';

// dist/electron/main/tray/ → dist/icons/tray/
const ICONS_DIR = fileURLToPath(new URL('../../../icons/tray/', import.meta.url));

export interface TrayGlue {
  render(view: TrayView): void;
  destroy(): void;
}

export function createTray(onAction: (action: TrayAction) => void, onClick: () => void): TrayGlue {
  const images = new Map<TrayIconState, NativeImage>();
  const image = (state: TrayIconState): NativeImage => {
    let img = images.get(state);
    if (!img) {
      img = nativeImage.createFromPath(path.join(ICONS_DIR, trayIconFile(state, process.platform)));
      images.set(state, img);
    }
    return img;
  };
  const tray = new Tray(image('idle'));
  tray.setToolTip('Agent Tray');
  // Windows and Linux: a left click opens the window; the menu is on the right click (macOS: the menu on any click)
  if (process.platform !== 'darwin') tray.on('click', onClick);
  let lastIcon: TrayIconState = 'idle';
  return {
    render(view) {
      if (view.icon !== lastIcon) {
        tray.setImage(image(view.icon));
        lastIcon = view.icon;
      }
      tray.setToolTip(view.tooltip);
      tray.setContextMenu(Menu.buildFromTemplate(toMenuTemplate(view.template, onAction)));
    },
    destroy: () => tray.destroy(),
  };
}
