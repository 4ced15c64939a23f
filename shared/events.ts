// The one event stream every client subscribes to: a snapshot of every agent first, then every change.
import type { Settings } from './settings.js';
import type { AgentStatus, Alert, EngineEvent } from './status.js';

export type HostEvent =
  | { type: 'snapshot'; at: number; agents: AgentStatus[] }
  | EngineEvent
  | { type: 'agent-added'; name: string; status: AgentStatus }
  | { type: 'agent-updated'; name: string; status: AgentStatus }
  | { type: 'agent-removed'; name: string }
  | { type: 'alert'; alert: Alert }
  /** Alerts were marked read (by any window or client): exactly the ids whose flag changed. */
  | { type: 'alerts-read'; ids: number[] }
  /** Every kept alert was cleared (by any window or client). */
  | { type: 'alerts-cleared' }
  | { type: 'settings-changed'; settings: Settings };

export type HostEventType = HostEvent['type'];
