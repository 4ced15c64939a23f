// Security defaults for every web page the Electron host creates.
import { shell, type Session, type WebContents } from 'electron';
import { isSafeExternalUrl } from './external-links.js';

/** Refuse every permission a page asks for (camera, notifications, geolocation, …). */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}

/** Web links go to the system browser; nothing else leaves the app. */
function openOutside(url: string): void {
  if (isSafeExternalUrl(url)) void shell.openExternal(url);
}

/** Keep a page where it is: no new windows, no navigation away (links open in the browser), no <webview>. */
export function lockDownWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    openOutside(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    event.preventDefault();
    openOutside(url);
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
