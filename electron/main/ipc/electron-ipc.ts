// The one place the main process touches Electron's ipcMain and a window's webContents: serve the
// command table to our window and feed it the host's events (see command-handler.ts and
// window-feed.ts for the logic, tested without Electron).
import { ipcMain, type BrowserWindow } from 'electron';
import type { AppApi } from '../../app/application.js';
import type { NavigateEvent } from '../../../shared/bridge.js';
import { registerCommandHandlers, type IpcMainLike } from './command-handler.js';
import { WindowEventChannel } from './event-channel.js';
import { WindowFeed } from './window-feed.js';

export interface ServedWindow {
  /** Ask the window to show a view (delivered once its page is ready). */
  navigate(view: NavigateEvent['view'], name?: string | null): void;
  dispose(): void;
}

/** Serves `app` to `window`, whose page is `pageUrl`. */
export function serveWindow(window: BrowserWindow, app: AppApi, pageUrl: string, log: (line: string) => void): ServedWindow {
  const contents = window.webContents;
  const feed = new WindowFeed(new WindowEventChannel(contents), (listener) => app.subscribe(listener));
  const off = registerCommandHandlers(ipcMain as unknown as IpcMainLike, {
    dispatch: (name, input) => app.dispatch(name, input),
    trusted: { webContentsId: () => (window.isDestroyed() ? null : contents.id), pageUrl },
    onReady: () => feed.ready(),
    log,
  });
  const pageGone = (): void => feed.pageGone();
  contents.on('did-start-navigation', (details) => {
    if (details.isMainFrame && !details.isSameDocument) pageGone();
  });
  contents.on('render-process-gone', pageGone);
  window.on('closed', () => feed.dispose());
  return {
    navigate: (view, name = null) => feed.navigate(view, name),
    dispose: () => {
      off();
      feed.dispose();
    },
  };
}
