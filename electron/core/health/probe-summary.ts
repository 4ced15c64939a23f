// An agent's health probe as its status shows it: the kind, what it probes and how often.
import type { AgentDefinition } from '../../../shared/agent.js';
import type { ProbeSummary } from '../../../shared/status.js';
import { resolveHealth, type HealthPolicy } from './health-defaults.js';

/** The probe `def` configures (with `defaults` for the interval), or null when it has none. */
export function probeSummary(def: AgentDefinition, defaults: Partial<HealthPolicy> = {}): ProbeSummary | null {
  const health = def.health ? resolveHealth(def.health, defaults) : null;
  if (!health) return null;
  const { probe, intervalMs } = health;
  switch (probe.kind) {
    case 'http':
      return { kind: 'http', target: probe.url, intervalMs };
    case 'tcp':
      return { kind: 'tcp', target: `${probe.host}:${probe.port}`, intervalMs };
    case 'command':
      return { kind: 'command', target: probe.argv.join(' '), intervalMs };
  }
}
