// Stacks in words and truths, for every client (the window, the tray): whether a dependency meets
// a condition now, what a waiting agent still waits for ("waiting for model (healthy)"), and which
// agents depend on one. Pure functions of statuses.
import type { DependencyCondition } from './agent.js';
import type { AgentState, AgentStatus } from './status.js';

export type StatusesByName = Readonly<Record<string, AgentStatus>>;

/** True when the dependency (`dep`) meets `condition` now for `dependent` (the agent that waits on it). */
export function conditionMet(dependent: AgentStatus, dep: AgentStatus | undefined, condition: DependencyCondition): boolean {
  if (!dep) return false;
  const running = dep.state === 'running';
  switch (condition) {
    case 'started':
      return running;
    case 'healthy':
      return running && dep.health === 'healthy';
    case 'ready':
      // ready: its readyLine matched; an agent without one reports what ready falls back to (healthy, else started)
      if (!running) return false;
      if (dep.ready !== undefined) return dep.ready;
      return dep.health === 'healthy' || dep.health === 'unknown';
    case 'completed': {
      // a one-shot that exited 0; while the dependent waits, only a run that ended after the wait began counts
      const done = dep.state === 'stopped' && dep.exitCode === 0;
      if (!done) return false;
      if (dependent.state !== 'waiting') return true;
      const listed = (dependent.waitingFor ?? []).some((w) => w.agent === dep.name && w.condition === 'completed');
      return !listed || dep.since >= dependent.since;
    }
  }
}

/** "model (healthy)". */
export function conditionText(agent: string, condition: DependencyCondition): string {
  return `${agent} (${condition})`;
}

/** The conditions a waiting agent still waits for: its waitingFor, less those that hold by now (all of them when the engine is about to move on). */
export function pendingConditions(status: AgentStatus, byName: StatusesByName): { agent: string; condition: DependencyCondition }[] {
  const listed = status.waitingFor ?? [];
  const open = listed.filter((w) => !conditionMet(status, byName[w.agent], w.condition));
  return open.length > 0 ? open : listed;
}

/** "waiting for model (healthy), setup (completed)", or null when the agent is not waiting. */
export function waitingText(status: AgentStatus, byName: StatusesByName = {}): string | null {
  if (status.state !== 'waiting') return null;
  const pending = pendingConditions(status, byName);
  if (pending.length === 0) return 'waiting for its dependencies';
  return `waiting for ${pending.map((w) => conditionText(w.agent, w.condition)).join(', ')}`;
}

/** The state as words for lists, badges and menus: "waiting for model (healthy)" while waiting, else the state. */
export function stateText(status: AgentStatus, byName: StatusesByName = {}): string {
  return waitingText(status, byName) ?? status.state;
}

/** Every agent that depends on `name`, directly or through others, nearest first. */
export function transitiveDependents(name: string, list: readonly AgentStatus[]): string[] {
  const seen = new Set<string>([name]);
  const out: string[] = [];
  let frontier = [name];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const s of list) {
      if (seen.has(s.name)) continue;
      if (frontier.some((f) => s.dependsOn?.[f] !== undefined)) {
        seen.add(s.name);
        out.push(s.name);
        next.push(s.name);
      }
    }
    frontier = next;
  }
  return out;
}

/** States in which an agent has (or is about to have) a process that a stop ends. */
export function isLive(state: AgentState): boolean {
  return state === 'running' || state === 'starting' || state === 'waiting' || state === 'backoff';
}

/** The dependents of `name` (transitive) that run or are on their way up: what a stop "with dependents" also stops. */
export function liveDependents(name: string, list: readonly AgentStatus[]): string[] {
  const byName = new Map(list.map((s) => [s.name, s]));
  return transitiveDependents(name, list).filter((n) => {
    const s = byName.get(n);
    return s !== undefined && isLive(s.state);
  });
}
