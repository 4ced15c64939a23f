// Picks the window's bridge: the preload's `window.agentTray` inside Electron, else the HTTP
// bridge to the host that served the page, with the token from the URL `agent-tray serve`
// printed. The token is kept in sessionStorage (a reload still works) and taken out of the
// address bar, so that it does not linger in the history, a bookmark or a screenshot.
import { adoptPreloadBridge, type AgentTrayBridge } from '../../shared/bridge.js';
import { createHttpBridge } from './http-bridge.js';
import type { EventSourceConstructor } from './types.js';

/** Where the token is kept for the tab's lifetime. */
export const TOKEN_STORAGE_KEY = 'agent-tray:token';

/** Why there is no bridge, in words the window shows as they are. */
export interface ConnectProblem {
  code: 'no-token';
  title: string;
  message: string;
  hint: string;
}

export type Connection = { ok: true; bridge: AgentTrayBridge } | { ok: false; problem: ConnectProblem };

/** What connecting reads and changes of the page; the browser's by default, injectable for tests. */
export interface PageEnvironment {
  /** The preload's bridge, if the page runs inside Electron. */
  agentTray?: unknown;
  location: { href: string; origin: string };
  sessionStorage?: Pick<Storage, 'getItem' | 'setItem'> | undefined;
  history?: Pick<History, 'replaceState' | 'state'> | undefined;
  fetch?: typeof fetch;
  EventSource?: EventSourceConstructor;
}

/** The page this code runs in. */
export function browserEnvironment(): PageEnvironment {
  const w = globalThis as unknown as Window & { agentTray?: unknown };
  let storage: Storage | undefined;
  try {
    storage = w.sessionStorage; // throws where storage is disabled
  } catch {
    storage = undefined;
  }
  return { agentTray: w.agentTray, location: w.location, sessionStorage: storage, history: w.history };
}

/** True for an object that has the bridge's shape (its subscribe function and its commands). */
function looksLikeBridge(value: unknown): value is AgentTrayBridge {
  if (!value || typeof value !== 'object') return false;
  const b = value as Partial<AgentTrayBridge>;
  return typeof b.subscribe === 'function' && typeof b.listAgents === 'function';
}

/** Reads the token from the URL (which wins) or sessionStorage, remembers it, and removes it from the address bar. */
export function takeToken(env: PageEnvironment): string | null {
  const url = new URL(env.location.href);
  const fromUrl = url.searchParams.get('token');
  let stored: string | null;
  try {
    stored = env.sessionStorage?.getItem(TOKEN_STORAGE_KEY) ?? null;
  } catch {
    stored = null; // storage disabled
  }
  const token = fromUrl?.trim() || stored;
  if (fromUrl !== null) {
    try {
      if (token) env.sessionStorage?.setItem(TOKEN_STORAGE_KEY, token);
    } catch {
      // storage full or disabled: the token still works until the page is reloaded
    }
    url.searchParams.delete('token');
    env.history?.replaceState(env.history.state, '', url.pathname + url.search + url.hash);
  }
  return token || null;
}

/** The problem shown when the page was opened without its token. */
export const NO_TOKEN_PROBLEM: ConnectProblem = {
  code: 'no-token',
  title: 'This page needs the host\'s token',
  message: 'Open the URL that `agent-tray serve` printed, with ?token=… at its end.',
  hint: 'The token is also in the file `api-token` of the data directory (`agent-tray paths` shows where that is).',
};

/** The bridge for this page, or the problem that prevents one. */
export function connectBridge(env: PageEnvironment = browserEnvironment()): Connection {
  if (looksLikeBridge(env.agentTray)) return { ok: true, bridge: adoptPreloadBridge(env.agentTray) };
  const token = takeToken(env);
  if (!token) return { ok: false, problem: NO_TOKEN_PROBLEM };
  return {
    ok: true,
    bridge: createHttpBridge({
      baseUrl: env.location.origin,
      token,
      ...(env.fetch ? { fetch: env.fetch } : {}),
      ...(env.EventSource ? { EventSource: env.EventSource } : {}),
    }),
  };
}
