// The dependency conditions of a stack as pure functions over what the engine knows of a
// dependency now (its view): whether a condition holds, whether the dependency has failed (and
// why, in a person's words), and how a list of unmet conditions reads.
import type { DependencyCondition } from '../../../shared/agent.js';
import type { AgentState, HealthState, LastError } from '../../../shared/status.js';

/** What a wait reads of one dependency. */
export interface DependencyView {
  state: AgentState;
  health: HealthState;
  /** Ready in its current run (readyLine, else healthy with a probe, else running). */
  ready: boolean;
  /** When a run of it last ended on its own with exit code 0 (null: never under this engine). */
  completedAt: number | null;
  lastError: LastError | null;
}

/** One condition a waiting agent still waits for. */
export interface WaitingFor {
  agent: string;
  condition: DependencyCondition;
}

/** True when `view` meets `condition` for a start asked for at `requestedAt`. */
export function conditionMet(condition: DependencyCondition, view: DependencyView, requestedAt: number): boolean {
  switch (condition) {
    case 'started':
      return view.state === 'running';
    case 'healthy':
      return view.state === 'running' && view.health === 'healthy';
    case 'ready':
      return view.state === 'running' && view.ready;
    case 'completed':
      return view.completedAt !== null && view.completedAt >= requestedAt;
  }
}

/** True for the states in which a dependency has failed for good (a retry pending is not one). */
export function hasFailed(state: AgentState): boolean {
  return state === 'crashed' || state === 'errored';
}

/** "model crashed: CUDA out of memory": a failed dependency's state and its own last reason. */
export function failureReason(agent: string, state: AgentState, lastError: LastError | null, fallback?: string): string {
  const lastLine = lastError?.stderr.at(-1)?.trim();
  const own = lastError?.message.startsWith(`${agent} `) ? lastError.message.slice(agent.length + 1) : lastError?.message;
  const why = lastLine || own || fallback;
  return `${agent} ${state}${why ? `: ${why}` : ''}`;
}

/** "model (healthy), setup (completed)". */
export function describeWaitingFor(list: readonly WaitingFor[]): string {
  return list.map((w) => `${w.agent} (${w.condition})`).join(', ');
}

/** "600 s", "0.8 s": a wait's length as a person reads it. */
export function seconds(ms: number): string {
  const s = ms / 1000;
  return `${s >= 10 ? Math.round(s) : Number(s.toFixed(1))} s`;
}
