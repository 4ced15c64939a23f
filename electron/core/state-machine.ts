// The agent lifecycle as data: which state may follow which (see DESIGN.md, "Agent lifecycle").
import type { AgentState } from '../../shared/status.js';

const NEXT: Record<AgentState, readonly AgentState[]> = {
  stopped: ['starting', 'waiting'],
  // for its dependencies' conditions: then starting; or a person's stop, a failed dependency, a timeout
  waiting: ['starting', 'stopped', 'errored'],
  starting: ['running', 'errored', 'stopping', 'stopped', 'crashed'],
  running: ['stopping', 'stopped', 'crashed', 'backoff'],
  stopping: ['stopped'],
  backoff: ['starting', 'waiting', 'stopped', 'crashed'],
  crashed: ['starting', 'waiting', 'stopped'],
  errored: ['starting', 'waiting', 'stopped'],
};

/** The states that may follow `from`. */
export function nextStates(from: AgentState): readonly AgentState[] {
  return NEXT[from];
}

/** True when the lifecycle allows going from `from` to `to`. */
export function canTransition(from: AgentState, to: AgentState): boolean {
  return NEXT[from].includes(to);
}

/** States in which the agent has (or is about to have) a live process. */
export function isActive(state: AgentState): boolean {
  return state === 'starting' || state === 'running' || state === 'stopping';
}

/** True for an agent that runs, is about to, or waits to (waiting for its dependencies, or to retry): a stop has something to end or cancel. */
export function inMotion(state: AgentState): boolean {
  return isActive(state) || state === 'waiting' || state === 'backoff';
}

/** The state an agent goes to when its process exits on its own (before any restart policy). */
export function stateAfterExit(exitCode: number | null, signal: string | null): AgentState {
  return exitCode === 0 && signal === null ? 'stopped' : 'crashed';
}
