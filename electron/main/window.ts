// The main window: hidden until asked for, sandboxed, loading the built renderer from disk.
import { BrowserWindow } from 'electron';
import { fileURLToPath } from 'node:url';

// Build layout: dist/electron/main/index.js (this file's sibling), dist/electron/preload/index.cjs,
// dist/renderer/index.html.
const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const rendererIndexPath = fileURLToPath(new URL('../../renderer/index.html', import.meta.url));

/** Create the main window, hidden; the caller decides when to show it. */
export function createMainWindow(): BrowserWindow {
  const window = new BrowserWindow({
    show: false,
    width: 960,
    height: 640,
    title: 'Agent Tray',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
    },
  });
  void window.loadFile(rendererIndexPath);
  return window;
}

/** Bring a window to the front, restoring it if minimized. */
export function revealWindow(window: BrowserWindow): void {
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
