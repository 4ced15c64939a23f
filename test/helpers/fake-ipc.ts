// An in-memory stand-in for Electron's IPC between one window and the main process: ipcMain,
// the window's webContents and its ipcRenderer. Electron cannot run on this machine; this is the
// place where a fake is right. Payloads are structured-cloned, as Electron does, so anything that
// would not survive real IPC fails here too.
import type { IpcMainLike } from '../../electron/main/ipc/command-handler.js';
import type { IpcSenderInfo } from '../../electron/main/ipc/trusted-sender.js';
import type { IpcRendererLike } from '../../electron/preload/bridge.js';

type MainListener = (event: IpcSenderInfo, ...args: unknown[]) => unknown;
type RendererListener = (event: unknown, ...args: unknown[]) => void;

export class FakeIpcMain implements IpcMainLike {
  readonly handlers = new Map<string, MainListener>();
  readonly listeners = new Map<string, Set<MainListener>>();

  handle(channel: string, listener: MainListener): void {
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  on(channel: string, listener: MainListener): this {
    if (!this.listeners.has(channel)) this.listeners.set(channel, new Set());
    this.listeners.get(channel)!.add(listener);
    return this;
  }
  removeListener(channel: string, listener: (...args: never[]) => void): this {
    this.listeners.get(channel)?.delete(listener as unknown as MainListener);
    return this;
  }
}

/** One window: its webContents (for the main process) and its ipcRenderer (for the preload). */
export class FakeWindow {
  destroyed = false;
  readonly sent: { channel: string; payload: unknown }[] = [];
  private readonly rendererListeners = new Map<string, Set<RendererListener>>();

  constructor(
    private readonly main: FakeIpcMain,
    readonly id: number,
    /** The page the window shows; change it to play a navigation away. */
    public url: string,
    /** True to play messages from a sub-frame. */
    public fromSubFrame = false,
  ) {}

  private eventInfo(): IpcSenderInfo {
    return { sender: { id: this.id }, senderFrame: { url: this.url, parent: this.fromSubFrame ? {} : null } };
  }

  /** The main process's view: webContents. */
  readonly webContents = {
    isDestroyed: () => this.destroyed,
    send: (channel: string, payload: unknown) => {
      if (this.destroyed) throw new Error('Object has been destroyed');
      const copy = structuredClone(payload);
      this.sent.push({ channel, payload: copy });
      for (const l of this.rendererListeners.get(channel) ?? []) l({}, copy);
    },
  };

  /** The preload's view: ipcRenderer. */
  readonly ipcRenderer: IpcRendererLike = {
    invoke: async (channel, ...args) => {
      const handler = this.main.handlers.get(channel);
      if (!handler) throw new Error(`Error invoking remote method '${channel}': No handler registered for '${channel}'`);
      return structuredClone(await handler(this.eventInfo(), ...structuredClone(args)));
    },
    send: (channel, ...args) => {
      for (const l of this.main.listeners.get(channel) ?? []) l(this.eventInfo(), ...structuredClone(args));
    },
    on: (channel, listener) => {
      if (!this.rendererListeners.has(channel)) this.rendererListeners.set(channel, new Set());
      this.rendererListeners.get(channel)!.add(listener);
      return this.ipcRenderer;
    },
    removeListener: (channel, listener) => {
      this.rendererListeners.get(channel)?.delete(listener);
      return this.ipcRenderer;
    },
  };

  /** How many listeners the page has on `channel`. */
  listenerCount(channel: string): number {
    return this.rendererListeners.get(channel)?.size ?? 0;
  }
}
