// The window's side of the IPC contract: one named function per command, and subscribe. Built from
// the command names in shared/, so a new command appears here without code. Pure: the real
// ipcRenderer is passed in by index.ts, a fake by the tests. It never hands ipcRenderer itself to
// the page.
//
// A rejected command rejects with a plain BridgeErrorBody object ({ code, message, hint? }):
// contextBridge copies an Error without its own fields, but copies plain objects whole. The
// renderer turns it back into a BridgeError (shared/bridge.ts: adoptPreloadBridge).
import { IPC_CHANNELS, type BridgeEvent, type CommandReply } from '../../shared/bridge.js';
import type { CommandName } from '../../shared/commands.js';

/** The part of Electron's ipcRenderer the bridge uses. */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  send(channel: string, ...args: unknown[]): void;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

/** The object the preload exposes as `window.agentTray`. */
export type PreloadBridge = Record<CommandName, (input?: unknown) => Promise<unknown>> & {
  readonly version: string;
  readonly host: 'electron';
  subscribe(listener: (event: BridgeEvent) => void): () => void;
};

function isReply(value: unknown): value is CommandReply {
  return typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';
}

/** Builds the bridge for `commandNames` over `ipc`. */
export function createPreloadBridge(ipc: IpcRendererLike, commandNames: readonly CommandName[], version: string): PreloadBridge {
  const listeners = new Set<(event: BridgeEvent) => void>();
  let listening = false;

  const deliver = (_event: unknown, payload: unknown): void => {
    for (const listener of [...listeners]) {
      try {
        listener(payload as BridgeEvent);
      } catch (err) {
        console.error('agent-tray: an event listener failed', err);
      }
    }
  };

  const commands = Object.fromEntries(
    commandNames.map((name) => [
      name,
      async (input?: unknown): Promise<unknown> => {
        const reply = await ipc.invoke(IPC_CHANNELS.command, name, input ?? {});
        if (!isReply(reply)) throw { code: 'internal', message: `The main process sent no answer to ${name}` };
        if (!reply.ok) throw { ...reply.error };
        return reply.result;
      },
    ]),
  ) as Record<CommandName, (input?: unknown) => Promise<unknown>>;

  return {
    ...commands,
    version,
    host: 'electron',
    subscribe(listener) {
      listeners.add(listener);
      if (!listening) {
        listening = true;
        ipc.on(IPC_CHANNELS.event, deliver);
      }
      // every (re)subscription asks for a fresh snapshot: a snapshot replaces state, so earlier
      // listeners lose nothing by receiving it again
      ipc.send(IPC_CHANNELS.ready);
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && listening) {
          listening = false;
          ipc.removeListener(IPC_CHANNELS.event, deliver);
        }
      };
    },
  };
}
