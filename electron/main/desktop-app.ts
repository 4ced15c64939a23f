// The desktop app: the host (lock, agents, API) under a tray icon and a window. Everything with
// logic lives in tested modules (tray-model, ipc/, notifications/, login-item/, launch-options);
// this file connects them to Electron.
import { homedir } from 'node:os';
import { app, dialog, Notification, session, shell, type BrowserWindow } from 'electron';
import type { CommandName } from '../../shared/commands.js';
import { AgentTrayError } from '../core/errors.js';
import { isWebUrl } from '../core/url-detect.js';
import { startHost, type RunningHost } from '../server/host-runtime.js';
import { packageVersion, rendererDir } from '../server/install-layout.js';
import { serveWindow, type ServedWindow } from './ipc/electron-ipc.js';
import { stopAgentsOnQuit, trayApiOptions, type LaunchOptions } from './launch-options.js';
import { createLoginItem } from './login-item/login-item.js';
import { createNotifier } from './notifications/notifier.js';
import { denyAllPermissions } from './security.js';
import { createTray } from './tray/tray-glue.js';
import { trayCommand } from './tray/tray-command.js';
import type { TrayAction } from './tray/tray-menu.js';
import { TrayController } from './tray/tray-model.js';
import { keychainSecretStore } from './secret-storage.js';
import { createMainWindow, RENDERER_PAGE_URL, revealWindow } from './window.js';

const log = (line: string): void => console.error(line);

/** Tells the person about a failed tray action, next to where they clicked: a notification. */
function reportFailure(what: string, err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  log(`agent-tray: ${what} failed: ${message}`);
  if (Notification.isSupported()) new Notification({ title: `${what} failed`, body: message }).show();
}

export interface DesktopApp {
  showWindow(): void;
}

/** Starts the host, the window and the tray; resolves once agents marked autostart were started. */
export async function startDesktopApp(launch: LaunchOptions): Promise<DesktopApp | null> {
  denyAllPermissions(session.defaultSession);

  let host: RunningHost;
  try {
    host = await startHost({ dataDir: launch.dataDir, kind: 'tray', api: trayApiOptions, rendererDir: rendererDir(), version: packageVersion(), log, secrets: keychainSecretStore });
  } catch (err) {
    const locked = err instanceof AgentTrayError && err.code === 'host-locked';
    dialog.showErrorBox(locked ? 'Agent Tray is already supervising these agents' : 'Agent Tray could not start', err instanceof Error ? err.message : String(err));
    app.exit(1);
    return null;
  }

  let quitting = false;
  let closed = false;
  const window: BrowserWindow = createMainWindow(() => quitting);
  const served: ServedWindow = serveWindow(window, host.app, RENDERER_PAGE_URL, log);
  const showWindow = (): void => revealWindow(window);
  const openAt = (view: 'agent' | 'logs', name: string | null): void => {
    served.navigate(name ? view : 'alerts', name);
    showWindow();
  };

  const loginItem = createLoginItem({ platform: process.platform, app, env: process.env, homedir: homedir(), execPath: process.execPath, ...(app.isPackaged ? {} : { appArgs: [app.getAppPath()] }) });
  let startAtLogin = await loginItem.isEnabled().catch(() => false);

  const setStartAtLogin = async (enabled: boolean): Promise<boolean> => {
    await loginItem.setEnabled(enabled);
    startAtLogin = await loginItem.isEnabled();
    controller.refresh();
    return startAtLogin;
  };
  host.app.desktop = { getStartAtLogin: () => loginItem.isEnabled(), setStartAtLogin, showInFolder: (file) => shell.showItemInFolder(file) };

  const run = (command: CommandName, input: Record<string, unknown>, what: string): void => {
    host.app.dispatch(command, input).catch((err: unknown) => reportFailure(what, err));
  };
  const quit = (): void => {
    quitting = true;
    app.quit();
  };
  // an agent's URL opens in the default browser; only http(s), never a scheme that starts a program
  const openAgentUrl = (url: string): void => {
    if (isWebUrl(url)) shell.openExternal(url).catch((err: unknown) => reportFailure(`Open ${url}`, err));
  };
  const onAction = (action: TrayAction): void => {
    if ('command' in action) {
      const { command, input, what } = trayCommand(action);
      run(command, input, what);
    } else if ('open' in action) {
      if (action.open === 'logs') openAt('logs', action.name);
      else if (action.open === 'url') openAgentUrl(action.url);
      else showWindow();
    } else if ('toggle' in action) {
      setStartAtLogin(!startAtLogin).catch((err: unknown) => reportFailure('Start at login', err));
    } else {
      quit();
    }
  };

  const tray = createTray(onAction, showWindow);
  const controller = new TrayController({ render: (view) => tray.render(view), settings: () => ({ startAtLogin }) });
  const notifier = createNotifier(() => host.app.settings.notifications, (name) => openAt('agent', name));
  const unsubscribe = host.app.subscribe((event) => {
    controller.observe(event);
    if (event.type === 'alert') notifier.observe(event.alert);
  });

  app.on('second-instance', showWindow);
  app.on('activate', showWindow); // macOS: the app was launched again
  app.on('window-all-closed', () => {
    // the tray keeps the app alive; quitting is explicit
  });
  app.on('before-quit', (event) => {
    quitting = true;
    if (closed) return;
    event.preventDefault(); // let the agents be left or stopped first, then quit for real
    closed = true;
    unsubscribe();
    controller.dispose();
    served.dispose();
    host
      .close({ stopAgents: stopAgentsOnQuit(host.app.settings) })
      .then((still) => {
        if (still.length) log(`agent-tray: quit; still running (re-adopted next time): ${still.join(', ')}`);
      })
      .catch((err: unknown) => log(`agent-tray: shutting down failed: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        tray.destroy();
        app.quit();
      });
  });
  // `on`, never `once`: a moment without our listener lets signal-exit (loaded by write-file-atomic
  // during every atomic write) take itself for the last one and re-send the signal (see
  // electron/server/shutdown-signals.ts); app.quit() is idempotent
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, quit);

  if (!launch.hidden) window.once('ready-to-show', showWindow);
  if (host.url) log(`agent-tray: the local API listens on ${host.url} (token in ${launch.dataDir})`);
  const secretNote = host.app.engine.secrets?.info().note;
  if (secretNote) log(`agent-tray: ${secretNote}`);

  const autostart = await host.app.startAutostartAgents();
  for (const r of autostart.results) if (!r.ok) log(`agent-tray: autostart of ${r.name} failed: ${r.error?.message ?? r.status?.lastError?.message ?? r.status?.state}`);
  return { showWindow };
}
