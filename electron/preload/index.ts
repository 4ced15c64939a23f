// Preload for the sandboxed renderer: exposes a small named API, never ipcRenderer itself.
// Sandboxed preloads can require() only 'electron' and a few built-ins, so build/build.mjs
// bundles this file (and anything it imports from shared/) into one CommonJS file.
import { contextBridge } from 'electron';

// Replaced at bundle time with the version from package.json (see build/build.mjs).
declare const __AGENT_TRAY_VERSION__: string;

contextBridge.exposeInMainWorld('agentTray', {
  version: __AGENT_TRAY_VERSION__,
});
