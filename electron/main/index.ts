// Electron host entry: process-wide security, the data directory, one instance, then the desktop
// app (desktop-app.ts). The engine lives in electron/core and knows nothing of Electron.
import { app } from 'electron';
import { launchOptions } from './launch-options.js';
import { lockDownWebContents } from './security.js';
import { startDesktopApp } from './desktop-app.js';

app.setName('Agent Tray'); // userData is "Agent Tray" as for `agent-tray serve`, packaged or not
app.enableSandbox();

const launch = launchOptions({ argv: process.argv, env: process.env, userData: app.getPath('userData'), cwd: process.cwd() });
// the single-instance lock is kept per userData folder: a test's own data directory is its own instance
if (launch.dataDirFromEnv) app.setPath('userData', launch.dataDir);
app.setPath('sessionData', launch.sessionDataDir);

if (!app.requestSingleInstanceLock()) {
  app.quit(); // the running instance shows its window (its 'second-instance' handler)
} else {
  app.on('web-contents-created', (_event, contents) => lockDownWebContents(contents));
  void app.whenReady().then(() => startDesktopApp(launch));
}
