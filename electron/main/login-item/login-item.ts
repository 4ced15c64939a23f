// Start at login, per platform: Windows and macOS through Electron's login item settings,
// Linux (and anything else) through an XDG autostart entry. Electron's `app` is passed in as
// the small LoginItemApp interface, so this module never imports `electron` and runs in tests.
import {
  HIDDEN_ARG,
  autostartFilePath,
  desktopEntry,
  disableXdgAutostart,
  enableXdgAutostart,
  isXdgAutostartEnabled,
} from './xdg-autostart.js';

/** The part of Electron's `app` that the login item uses. */
export interface LoginItemApp {
  setLoginItemSettings(settings: { openAtLogin: boolean; openAsHidden?: boolean; args?: string[] }): void;
  getLoginItemSettings(opts?: { args?: string[] }): { openAtLogin: boolean };
}

export interface LoginItemOptions {
  platform: NodeJS.Platform;
  app: LoginItemApp;
  env: Record<string, string | undefined>;
  homedir: string;
  /** Electron's `process.execPath`. */
  execPath: string;
  /** Arguments before `--hidden` on Linux: the app's folder when not packaged (`electron <dir>`). */
  appArgs?: string[];
}

export interface LoginItem {
  isEnabled(): Promise<boolean>;
  setEnabled(on: boolean): Promise<void>;
}

export function createLoginItem(opts: LoginItemOptions): LoginItem {
  const { platform, app } = opts;
  if (platform === 'win32' || platform === 'darwin') {
    // Windows matches the registry entry by path and args, so ask with the same args we set.
    const args = [HIDDEN_ARG];
    return {
      isEnabled: async () => app.getLoginItemSettings({ args }).openAtLogin,
      setEnabled: async (on) => {
        app.setLoginItemSettings(
          platform === 'darwin' ? { openAtLogin: on, openAsHidden: true, args } : { openAtLogin: on, args },
        );
      },
    };
  }
  const file = autostartFilePath(opts.env, opts.homedir);
  return {
    isEnabled: () => isXdgAutostartEnabled(file),
    setEnabled: (on) =>
      on
        ? enableXdgAutostart(file, desktopEntry({ execPath: opts.execPath, appImage: opts.env['APPIMAGE'], ...(opts.appArgs ? { args: opts.appArgs } : {}) }))
        : disableXdgAutostart(file),
  };
}
