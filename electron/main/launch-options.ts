// How the desktop app was launched, decided from its arguments and environment (pure).
import path from 'node:path';
import type { Settings } from '../../shared/settings.js';
import type { HostApiOptions } from '../server/host-runtime.js';
import { HIDDEN_ARG } from './login-item/xdg-autostart.js';

export interface LaunchOptions {
  /** Where Agent Tray keeps its data (agents.json, logs, run/, settings.json). */
  dataDir: string;
  /** True when the data directory was chosen by AGENT_TRAY_DATA_DIR rather than by Electron. */
  dataDirFromEnv: boolean;
  /** Where Chromium keeps its own files (caches, local storage): a folder of their own inside the data directory. */
  sessionDataDir: string;
  /** Started at login (`--hidden`): stay in the tray, do not show the window. */
  hidden: boolean;
}

/**
 * The data directory is Electron's userData folder ("Agent Tray" under AppData, Application
 * Support or ~/.config: the same folder `agent-tray serve` uses by default), unless
 * AGENT_TRAY_DATA_DIR names another one, as it does for the CLI.
 */
export function launchOptions(input: { argv: readonly string[]; env: Record<string, string | undefined>; userData: string; cwd: string }): LaunchOptions {
  const fromEnv = input.env['AGENT_TRAY_DATA_DIR'];
  const dataDir = fromEnv ? path.resolve(input.cwd, fromEnv) : input.userData;
  return {
    dataDir,
    dataDirFromEnv: Boolean(fromEnv),
    sessionDataDir: path.join(dataDir, 'electron'),
    hidden: input.argv.includes(HIDDEN_ARG),
  };
}

/** Where the tray app serves the local API, from the settings: loopback only; another port when the one set is taken. */
export function trayApiOptions(settings: Settings): HostApiOptions | null {
  return settings.api.enabled ? { host: '127.0.0.1', port: settings.api.port, fallbackToAnyPort: true } : null;
}

/** Whether quitting stops the agents too (the `onQuit` setting). */
export function stopAgentsOnQuit(settings: Settings): boolean {
  return settings.onQuit === 'stop-all';
}
