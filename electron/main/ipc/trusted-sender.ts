// Who may talk to the main process over IPC: our own window, showing our own page. A message from
// any other frame (an iframe, a page the window was navigated to, another window) is refused.

/** The parts of an IPC event the check reads (Electron's IpcMainEvent / IpcMainInvokeEvent have them). */
export interface IpcSenderInfo {
  sender: { id: number };
  senderFrame: { url: string; parent: unknown } | null;
}

/** What a trusted sender looks like: the window's webContents id and the page it loaded. */
export interface TrustedWindow {
  webContentsId(): number | null;
  /** The file:// URL of the renderer's index.html. */
  pageUrl: string;
}

/** The URL without query and fragment, so `index.html#/agents/x` matches `index.html`. */
function withoutSearchAndHash(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '';
  }
}

/** Why `event` is refused, or null when it comes from the main frame of our window on our page. */
export function untrustedReason(event: IpcSenderInfo, trusted: TrustedWindow): string | null {
  const id = trusted.webContentsId();
  if (id === null || event.sender.id !== id) return 'it does not come from the Agent Tray window';
  const frame = event.senderFrame;
  if (!frame) return 'its frame is gone';
  if (frame.parent) return 'it comes from a sub-frame';
  if (withoutSearchAndHash(frame.url) !== withoutSearchAndHash(trusted.pageUrl)) return `it comes from ${frame.url || 'an unknown page'}, not from the Agent Tray page`;
  return null;
}
