// Preload for the sandboxed renderer: exposes the bridge contract of shared/bridge.ts as
// `window.agentTray` (one function per command, subscribe), never ipcRenderer itself.
// Sandboxed preloads can require() only 'electron' and a few built-ins, so build/build.mjs
// bundles this file (and anything it imports from shared/) into one CommonJS file.
import { contextBridge, ipcRenderer } from 'electron';
import { COMMAND_NAMES } from '../../shared/commands.js';
import { createPreloadBridge } from './bridge.js';

// Replaced at bundle time with the version from package.json (see build/build.mjs).
declare const __AGENT_TRAY_VERSION__: string;

contextBridge.exposeInMainWorld('agentTray', createPreloadBridge(ipcRenderer, COMMAND_NAMES, __AGENT_TRAY_VERSION__));
