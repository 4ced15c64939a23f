// Readiness of one run of an agent: its readyLine matched against the lines it prints (the first
// match counts, reset on each new run); without a readyLine (or when its output is not ours to
// read) its health probe passing; without a probe, running is ready.
import type { AgentDefinition } from '../../../shared/agent.js';
import type { AgentState, HealthState, LogLine } from '../../../shared/status.js';

/** What one run remembers of its readiness. */
export interface RunReadiness {
  /** The compiled readyLine (null: the agent has none). */
  regex: RegExp | null;
  /** When it became ready in this run (null: not yet). */
  at: number | null;
  /** The line that matched. */
  line: string | null;
  /** Its `ready` event was sent. */
  announced: boolean;
}

/** How an agent's readiness is measured. */
export type ReadinessMeasure = 'line' | 'healthy' | 'running';

/** True when the definition has a health probe (http, tcp or command). */
export function hasProbe(def: Pick<AgentDefinition, 'health'>): boolean {
  const h = def.health;
  return Boolean(h && (h.http || h.tcp || h.command));
}

/** A fresh readiness for a new run of `def`. */
export function newReadiness(def: Pick<AgentDefinition, 'readyLine'>): RunReadiness {
  let regex: RegExp | null;
  try {
    regex = def.readyLine ? new RegExp(def.readyLine) : null;
  } catch {
    regex = null; // validated when saved; a definition that slipped through falls back to the probe
  }
  return { regex, at: null, line: null, announced: false };
}

/** Its readyLine when it has one and its output is read; else its probe; else running. */
export function readinessMeasure(def: Pick<AgentDefinition, 'health'>, readiness: RunReadiness, outputCaptured: boolean): ReadinessMeasure {
  if (readiness.regex && outputCaptured) return 'line';
  return hasProbe(def) ? 'healthy' : 'running';
}

/** The first line of `lines` its readyLine matches, or null. */
export function matchReadyLine(readiness: RunReadiness, lines: readonly LogLine[]): LogLine | null {
  const regex = readiness.regex;
  if (!regex) return null;
  return lines.find((l) => regex.test(l.text)) ?? null;
}

/** `ready` and `readyAt` as a status shows them: only a running agent is ready. */
export function readyFields(measure: ReadinessMeasure, state: AgentState, health: HealthState, readiness: RunReadiness): { ready: boolean; readyAt: number | null } {
  if (state !== 'running') return { ready: false, readyAt: null };
  const ready = measure === 'line' ? readiness.at !== null : measure === 'healthy' ? health === 'healthy' : true;
  return { ready, readyAt: ready ? readiness.at : null };
}
