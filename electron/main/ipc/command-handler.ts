// The command table over IPC: one `invoke` channel for every command, answering with a
// CommandReply (Electron keeps only an Error's message across IPC, so errors travel as data with
// their code and hint), and one `ready` channel on which the window asks for its events.
// Messages from anything but our own window are refused.
import { IPC_CHANNELS, type CommandReply } from '../../../shared/bridge.js';
import { COMMANDS, type CommandName } from '../../../shared/commands.js';
import { errorReply } from '../../server/error-reply.js';
import { untrustedReason, type IpcSenderInfo, type TrustedWindow } from './trusted-sender.js';

/** The part of Electron's ipcMain the wrappers use. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcSenderInfo, ...args: unknown[]) => unknown): void;
  removeHandler(channel: string): void;
  on(channel: string, listener: (event: IpcSenderInfo, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (...args: never[]) => void): unknown;
}

export interface CommandHandlerDeps {
  dispatch(name: CommandName, input: unknown): Promise<unknown>;
  trusted: TrustedWindow;
  /** The window's renderer is ready for events. */
  onReady(): void;
  /** Refused messages and unexpected errors, for the log. */
  log(line: string): void;
}

function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(COMMANDS, name);
}

/** Runs one command for an IPC caller and says how it went, never throwing. */
export async function replyToCommand(deps: CommandHandlerDeps, event: IpcSenderInfo, name: unknown, input: unknown): Promise<CommandReply> {
  const refused = untrustedReason(event, deps.trusted);
  if (refused) {
    deps.log(`agent-tray: refused the IPC command ${String(name)}: ${refused}`);
    return { ok: false, error: { code: 'forbidden-origin', message: `Agent Tray refused the command because ${refused}` } };
  }
  if (!isCommandName(name)) {
    const known = Object.keys(COMMANDS).join(', ');
    return { ok: false, error: { code: 'not-found', message: `Unknown command "${String(name)}"`, hint: `Use one of: ${known}` } };
  }
  try {
    return { ok: true, result: await deps.dispatch(name, input) };
  } catch (err) {
    const reply = errorReply(err, { method: 'IPC', path: name });
    if (reply.unexpected) deps.log(`agent-tray: command ${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return { ok: false, error: reply.body.error };
  }
}

/** Serves the command table and the ready signal on `ipc`; returns the function that removes both. */
export function registerCommandHandlers(ipc: IpcMainLike, deps: CommandHandlerDeps): () => void {
  ipc.handle(IPC_CHANNELS.command, (event, name, input) => replyToCommand(deps, event, name, input));
  const onReady = (event: IpcSenderInfo): void => {
    const refused = untrustedReason(event, deps.trusted);
    if (refused) {
      deps.log(`agent-tray: ignored a ready signal: ${refused}`);
      return;
    }
    deps.onReady();
  };
  ipc.on(IPC_CHANNELS.ready, onReady);
  return () => {
    ipc.removeHandler(IPC_CHANNELS.command);
    ipc.removeListener(IPC_CHANNELS.ready, onReady);
  };
}
