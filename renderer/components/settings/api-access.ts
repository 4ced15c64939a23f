// How a person reaches the local API from elsewhere: the URL with the token (in a browser, whose
// tab holds the token) or the file that holds it (in the desktop app, whose page never sees it).
import { TOKEN_STORAGE_KEY } from '../../bridge/connect.js';

export type HostKind = 'electron' | 'http';

/** The host this page runs against: the desktop app's preload bridge, or `agent-tray serve` over HTTP. */
export function detectHost(): HostKind {
  const bridge = (globalThis as { agentTray?: unknown }).agentTray;
  return typeof bridge === 'object' && bridge !== null ? 'electron' : 'http';
}

/** The page's URL that carries the token: opening it elsewhere connects to the same host. */
export function apiUrlWithToken(origin: string, token: string): string {
  return `${origin}/?token=${encodeURIComponent(token)}`;
}

/** The token this tab connected with, or null. */
export function storedToken(): string | null {
  try {
    return globalThis.sessionStorage?.getItem(TOKEN_STORAGE_KEY) ?? null;
  } catch {
    return null; // storage disabled
  }
}

/** The file named `name` in the folder of `file`, with `file`'s own separator (Windows or POSIX). */
export function siblingFile(file: string, name: string): string {
  const at = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  if (at < 0) return name;
  return `${file.slice(0, at + 1)}${name}`;
}
