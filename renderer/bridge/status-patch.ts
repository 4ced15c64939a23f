// What an event says about an agent's status, as one pure function: the store's agents slice and
// the HTTP bridge's snapshot for late subscribers both apply events through it.
import type { HostEvent } from '../../shared/events.js';
import type { AgentStatus } from '../../shared/status.js';

/** The status after `event`, or the same object when the event does not change it. */
export function patchStatus(status: AgentStatus, event: HostEvent): AgentStatus {
  switch (event.type) {
    case 'state':
    case 'agent-added':
    case 'agent-updated':
      return event.status;
    case 'stats':
      return { ...status, stats: event.sample };
    case 'health-changed':
      return status.health === event.to && status.healthScore === event.score ? status : { ...status, health: event.to, healthScore: event.score };
    case 'limit-violated':
      return { ...status, violations: status.violations + 1 };
    case 'probe':
      return { ...status, lastProbe: event.probe };
    case 'ready':
      return status.ready === true && status.readyAt === event.at ? status : { ...status, ready: true, readyAt: event.at };
    default:
      return status;
  }
}

/** Applies one event to a map of statuses by name (snapshot: replaced; removal: deleted). */
export function applyToStatusMap(statuses: Map<string, AgentStatus>, event: HostEvent): void {
  switch (event.type) {
    case 'snapshot':
      statuses.clear();
      for (const s of event.agents) statuses.set(s.name, s);
      return;
    case 'agent-removed':
      statuses.delete(event.name);
      return;
    case 'state':
    case 'agent-added':
    case 'agent-updated':
      statuses.set(event.name, event.status);
      return;
    case 'log':
    case 'stats':
    case 'health-changed':
    case 'probe':
    case 'limit-violated':
    case 'ready': {
      const current = statuses.get(event.name);
      if (current) statuses.set(event.name, patchStatus(current, event));
      return;
    }
    default:
      return; // events about no agent's status
  }
}
