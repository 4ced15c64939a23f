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
  | { type: 'settings-changed'; settings: Settings };

export type HostEventType = HostEvent['type'];
