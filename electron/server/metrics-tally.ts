// What the Prometheus counters count, from the host's event stream: automatic restarts and limit
// violations of each agent since this host started. The statuses cannot give them: their
// `restarts` and `violations` go back to 0 whenever a person starts the agent, and a counter must
// only ever grow. Plain maps, so nothing of prom-client is loaded before the first scrape.
import type { HostEvent } from '../../shared/events.js';
import type { AgentStatus, LIMIT_KINDS } from '../../shared/status.js';

export type LimitKind = (typeof LIMIT_KINDS)[number];

export class MetricsTally {
  /** The latest `restarts` of each agent's status: an increase on the way into `starting` is one automatic restart. */
  private readonly seenRestarts = new Map<string, number>();
  private readonly restartCounts = new Map<string, number>();
  private readonly violationCounts = new Map<string, Map<LimitKind, number>>();

  /** Looks at one event of the host's stream. */
  observe(event: HostEvent): void {
    switch (event.type) {
      case 'snapshot':
        for (const status of event.agents) this.seenRestarts.set(status.name, status.restarts);
        return;
      case 'state':
        this.noteStatus(event.status, event.to === 'starting');
        return;
      case 'agent-added':
      case 'agent-updated':
        this.noteStatus(event.status, false);
        return;
      case 'limit-violated': {
        const byKind = this.violationCounts.get(event.name) ?? new Map<LimitKind, number>();
        byKind.set(event.violation.kind, (byKind.get(event.violation.kind) ?? 0) + 1);
        this.violationCounts.set(event.name, byKind);
        return;
      }
      case 'agent-removed':
        this.seenRestarts.delete(event.name);
        this.restartCounts.delete(event.name);
        this.violationCounts.delete(event.name);
        return;
      default:
    }
  }

  /** Remembers a status's restart count; a start that raised it is an automatic restart (a person's start resets it to 0). */
  private noteStatus(status: AgentStatus, starting: boolean): void {
    const before = this.seenRestarts.get(status.name) ?? 0;
    if (starting && status.restarts > before) this.restartCounts.set(status.name, (this.restartCounts.get(status.name) ?? 0) + 1);
    this.seenRestarts.set(status.name, status.restarts);
  }

  /** Automatic restarts of `name` (restart policy, failed health check, breached limit) since this host started. */
  restarts(name: string): number {
    return this.restartCounts.get(name) ?? 0;
  }

  /** Limit violations of `name` of one kind since this host started. */
  violations(name: string, kind: LimitKind): number {
    return this.violationCounts.get(name)?.get(kind) ?? 0;
  }
}
