// The contract between the window and whichever host it runs against: one named function per
// command of the command table, and one event stream (a snapshot first, then every change). In
// Electron the preload implements it over IPC; in a browser the renderer implements it over HTTP
// and SSE against `agent-tray serve`. The renderer only ever sees this interface.
import type { CommandInput, CommandName, CommandResult } from './commands.js';
import type { HostEvent } from './events.js';

/** Where the window should go, asked by the host (a tray item, a clicked notification). */
export interface NavigateEvent {
  type: 'navigate';
  view: 'agents' | 'agent' | 'logs' | 'alerts' | 'orphans' | 'settings';
  /** The agent the view is about, for 'agent' and 'logs'. */
  name: string | null;
}

/** Everything a bridge's subscribers receive. */
export type BridgeEvent = HostEvent | NavigateEvent;

/** The arguments of a command's function: the input is optional when every field of it is. */
export type CommandArgsTuple<C extends CommandName> =
  Record<string, never> extends CommandInput<C> ? [input?: CommandInput<C>] : [input: CommandInput<C>];

/** One function per command: `startAgent({ name })`, `listAgents()`, … */
export type CommandFunctions = {
  [C in CommandName]: (...args: CommandArgsTuple<C>) => Promise<CommandResult<C>>;
};

export interface AgentTrayBridge extends CommandFunctions {
  /** Agent Tray's version. */
  readonly version: string;
  /** Which host the window talks to. */
  readonly host: 'electron' | 'http';
  /** Receive a snapshot of every agent, then every event; returns the function that ends it. */
  subscribe(listener: (event: BridgeEvent) => void): () => void;
}

/** A failed command as the bridge reports it: the API's code, message and hint. */
export interface BridgeErrorBody {
  code: string;
  message: string;
  hint?: string;
  details?: Record<string, unknown>;
}

/** What crosses IPC for one command: a result or the error body (Electron drops an Error's own fields). */
export type CommandReply<T = unknown> = { ok: true; result: T } | { ok: false; error: BridgeErrorBody };

/** The error a bridge's command function throws. */
export class BridgeError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(body: BridgeErrorBody) {
    super(body.message);
    this.name = 'BridgeError';
    this.code = body.code;
    this.hint = body.hint;
    this.details = body.details;
  }
}

/** The IPC channel names (Electron only). */
export const IPC_CHANNELS = {
  /** invoke: run a command; args `(name, input)`; reply `CommandReply`. */
  command: 'agent-tray:command',
  /** renderer → main: ready for events (the main process answers with a snapshot). */
  ready: 'agent-tray:ready',
  /** main → renderer: one `BridgeEvent`. */
  event: 'agent-tray:event',
} as const;

/** A BridgeError from whatever a command rejected with (a plain error body from the preload, an Error, anything). */
export function toBridgeError(reason: unknown): BridgeError {
  if (reason instanceof BridgeError) return reason;
  if (typeof reason === 'object' && reason !== null) {
    const r = reason as Partial<BridgeErrorBody>;
    if (typeof r.message === 'string') {
      return new BridgeError({
        code: typeof r.code === 'string' ? r.code : 'internal',
        message: r.message,
        ...(typeof r.hint === 'string' ? { hint: r.hint } : {}),
        ...(r.details && typeof r.details === 'object' ? { details: r.details } : {}),
      });
    }
  }
  return new BridgeError({ code: 'internal', message: String(reason) });
}

/**
 * The preload's `window.agentTray` as a full AgentTrayBridge: the same functions, but a rejected
 * command rejects with a BridgeError (across contextBridge it arrives as a plain object).
 */
export function adoptPreloadBridge(raw: AgentTrayBridge): AgentTrayBridge {
  const wrapped: Record<string, unknown> = {};
  for (const key of Object.keys(raw)) {
    const value = (raw as unknown as Record<string, unknown>)[key];
    if (typeof value === 'function' && key !== 'subscribe') {
      wrapped[key] = (...args: unknown[]) => (value as (...a: unknown[]) => Promise<unknown>)(...args).catch((reason: unknown) => Promise.reject(toBridgeError(reason)));
    } else {
      wrapped[key] = value;
    }
  }
  return wrapped as unknown as AgentTrayBridge;
}
