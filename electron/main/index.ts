// Electron host entry: process-wide security, single instance, the main window.
// The tray, IPC and login item arrive in later issues; the engine lives in electron/core.
import { app, session, type BrowserWindow } from 'electron';
import { denyAllPermissions, lockDownWebContents } from './security.js';
import { createMainWindow, revealWindow } from './window.js';

app.enableSandbox();

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  let mainWindow: BrowserWindow | undefined;

  app.on('web-contents-created', (_event, contents) => lockDownWebContents(contents));

  app.on('second-instance', () => {
    if (mainWindow && !mainWindow.isDestroyed()) revealWindow(mainWindow);
  });

  void app.whenReady().then(() => {
    denyAllPermissions(session.defaultSession);
    mainWindow = createMainWindow();
  });
}
