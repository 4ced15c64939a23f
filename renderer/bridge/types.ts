// What the renderer's bridges offer beyond the shared AgentTrayBridge contract.
import type { AgentTrayBridge } from '../../shared/bridge.js';

/** How the event stream's connection stands. */
export type ConnectionStatus =
  /** Opening the stream; no snapshot yet. */
  | 'connecting'
  /** The stream is open. */
  | 'open'
  /** The stream broke; the bridge is opening it again (a fresh snapshot follows). */
  | 'reconnecting'
  /** Nobody is subscribed. */
  | 'idle';

export interface ConnectionState {
  status: ConnectionStatus;
  /** Why the stream is not open, in words for the window (the host's own message when it gave one). */
  message: string | null;
  hint: string | null;
}

/** A bridge that can tell whether its event stream is connected (the HTTP bridge; IPC is always connected). */
export interface ConnectionAware {
  /** Calls `listener` with the current state at once, then on every change; returns the function that ends it. */
  onConnection(listener: (state: ConnectionState) => void): () => void;
}

/** True when the bridge reports its connection. */
export function isConnectionAware(bridge: AgentTrayBridge): bridge is AgentTrayBridge & ConnectionAware {
  return typeof (bridge as Partial<ConnectionAware>).onConnection === 'function';
}

/** The part of the EventSource API the HTTP bridge uses; the browser's EventSource fits it. */
export interface EventSourceLike {
  readonly readyState: number;
  /** Message events (`MessageEvent`) for event types, plain events for 'open' and 'error'. */
  addEventListener(type: string, listener: (event: Event) => void): void;
  close(): void;
}

/** The EventSource constructor (the browser's, or a polyfill). */
export type EventSourceConstructor = new (url: string) => EventSourceLike;
