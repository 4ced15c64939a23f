// Hash routing: the window's place (view and agent) lives in the address's hash, `#/agents`,
// `#/agents/NAME`, `#/agents/NAME/logs`, `#/alerts`, `#/orphans`, `#/settings`, so reload, Back/Forward and links
// work in a browser and in Electron alike. The store's ui slice follows the hash, the hash follows
// the store; an address this window does not know falls back to the agents list.
import type { TrayStore } from './store.js';
import type { UiSlice, View } from './types.js';

/** A place in the window. `name` is the agent for 'agent' and 'logs', null otherwise. */
export interface Route {
  view: View;
  name: string | null;
}

/** What parseHash found: the route, and whether the address named it as this window writes it. */
export interface ParsedHash {
  route: Route;
  /** False for an unknown or misspelled address (it was replaced by the list's). */
  known: boolean;
}

const LIST: Route = { view: 'agents', name: null };

/** A path segment decoded, or null when its percent-encoding is broken. */
function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/** The route an address's hash names (`#/agents/web/logs`); unknown addresses give the agents list. */
export function parseHash(hash: string): ParsedHash {
  const path = hash.replace(/^#/, '').replace(/^\/+/, '').replace(/\/+$/, '');
  if (path === '') return { route: LIST, known: true };
  const parts = path.split('/');
  const [first, second, third] = parts;
  if (first === 'alerts' && parts.length === 1) return { route: { view: 'alerts', name: null }, known: true };
  if (first === 'orphans' && parts.length === 1) return { route: { view: 'orphans', name: null }, known: true };
  if (first === 'settings' && parts.length === 1) return { route: { view: 'settings', name: null }, known: true };
  if (first !== 'agents') return { route: LIST, known: false };
  if (parts.length === 1) return { route: LIST, known: true };
  const name = second === undefined ? null : decodeSegment(second);
  if (name === null || name === '') return { route: LIST, known: false };
  if (parts.length === 2) return { route: { view: 'agent', name }, known: true };
  if (parts.length === 3 && third === 'logs') return { route: { view: 'logs', name }, known: true };
  return { route: LIST, known: false };
}

/** The hash for a route (`#/agents/web%20ui/logs`). */
export function formatHash(route: Route): string {
  switch (route.view) {
    case 'agent':
      return route.name === null ? '#/agents' : `#/agents/${encodeURIComponent(route.name)}`;
    case 'logs':
      return route.name === null ? '#/agents' : `#/agents/${encodeURIComponent(route.name)}/logs`;
    case 'alerts':
      return '#/alerts';
    case 'orphans':
      return '#/orphans';
    case 'settings':
      return '#/settings';
    default:
      return '#/agents';
  }
}

/** The route the ui slice shows (an agent view without an agent is the list). */
export function routeOf(ui: Pick<UiSlice, 'view' | 'selected'>): Route {
  if (ui.view === 'agent' || ui.view === 'logs') return ui.selected === null ? LIST : { view: ui.view, name: ui.selected };
  return { view: ui.view, name: null };
}

/** The part of `window` routing uses (the real one, or jsdom's in tests). */
export interface RoutingWindow {
  location: { hash: string };
  history: { pushState(data: unknown, unused: string, url?: string): void; replaceState(data: unknown, unused: string, url?: string): void };
  addEventListener(type: 'hashchange' | 'popstate', listener: () => void): void;
  removeEventListener(type: 'hashchange' | 'popstate', listener: () => void): void;
}

/** Points the store at the address's route now. */
function applyHash(store: TrayStore, win: RoutingWindow): void {
  const { route, known } = parseHash(win.location.hash);
  if (!known) win.history.replaceState(null, '', formatHash(route));
  const ui = store.getState().ui;
  if (formatHash(routeOf(ui)) === formatHash(route)) return;
  // the selection stays when leaving an agent for alerts or settings (the store's own navigate does the same)
  store.getState().actions.navigate(route.view, route.view === 'agent' || route.view === 'logs' || route.view === 'agents' ? route.name : undefined);
}

/** Writes the store's route into the hash: replacing the current entry, or as a new one that Back returns from. */
function writeHash(store: TrayStore, win: RoutingWindow, mode: 'push' | 'replace'): void {
  const hash = formatHash(routeOf(store.getState().ui));
  if (hash === win.location.hash) return;
  if (mode === 'replace') win.history.replaceState(null, '', hash);
  else win.history.pushState(null, '', hash);
}

/** Keeps the store's place and the address's hash in step, both ways; returns the function that ends it. */
export function bindRouting(store: TrayStore, win: RoutingWindow): () => void {
  applyHash(store, win);
  // the address the window opened with becomes its canonical form (`/` is `#/agents`) without a new history entry
  writeHash(store, win, 'replace');
  // Back/Forward fire popstate and (where the fragment changed) hashchange; a typed or clicked link fires hashchange
  const onAddress = () => applyHash(store, win);
  win.addEventListener('hashchange', onAddress);
  win.addEventListener('popstate', onAddress);
  const unsubscribe = store.subscribe((state, previous) => {
    if (state.ui.view !== previous.ui.view || state.ui.selected !== previous.ui.selected) writeHash(store, win, 'push');
  });
  return () => {
    unsubscribe();
    win.removeEventListener('hashchange', onAddress);
    win.removeEventListener('popstate', onAddress);
  };
}
