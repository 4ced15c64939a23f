// The main window: hidden until asked for, sandboxed, loading the built renderer from disk.
// Closing it hides it (the app lives in the tray); on macOS the Dock icon shows only while it is open.
import { app, BrowserWindow } from 'electron';
import { fileURLToPath, pathToFileURL } from 'node:url';

// Build layout: dist/electron/main/index.js (this file's sibling), dist/electron/preload/index.cjs,
// dist/renderer/index.html.
const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
const rendererIndexPath = fileURLToPath(new URL('../../renderer/index.html', import.meta.url));

/** The URL of the page the window shows (what the IPC sender check expects). */
export const RENDERER_PAGE_URL = pathToFileURL(rendererIndexPath).href;

/** Create the main window, hidden; `shouldClose()` says whether a close really closes (quitting) or hides. */
export function createMainWindow(shouldClose: () => boolean): BrowserWindow {
  const window = new BrowserWindow({
    show: false,
    width: 1100,
    height: 720,
    minWidth: 640,
    minHeight: 420,
    title: 'Agent Tray',
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  window.on('close', (event) => {
    if (shouldClose()) return;
    event.preventDefault();
    window.hide();
  });
  window.on('hide', () => app.dock?.hide());
  window.on('show', () => void app.dock?.show());
  void window.loadFile(rendererIndexPath);
  return window;
}

/** Bring a window to the front, restoring it if minimized. */
export function revealWindow(window: BrowserWindow): void {
  if (window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}
