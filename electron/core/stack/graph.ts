// Stacks as a graph of definitions: what is wrong with one (unknown names, cycles, `healthy` on an
// agent without a probe), in which order a set of agents starts and stops (levels), who depends
// on an agent, and the graph with each condition's current truth. Pure functions, no engine.
import type { AgentDefinition, DependencyCondition } from '../../../shared/agent.js';
import type { StackEdge, StackGraph, StackNode } from '../../../shared/stack.js';
import type { AgentStatus } from '../../../shared/status.js';

/** What the graph functions read of a definition. */
export type StackDefinition = Pick<AgentDefinition, 'name'> & Partial<Pick<AgentDefinition, 'dependsOn' | 'health' | 'readyLine' | 'groups'>>;

/** One problem of a stack: the dependent, the dependency it names, and the sentence for a person. */
export interface StackIssue {
  agent: string;
  dependency: string;
  message: string;
}

/** True when the definition has a health probe (http, tcp or command). */
export function hasHealthProbe(def: StackDefinition): boolean {
  const h = def.health;
  return Boolean(h && (h.http || h.tcp || h.command));
}

/** The dependencies of a definition, as [name, condition] pairs in the order written. */
function dependencies(def: StackDefinition | undefined): [string, DependencyCondition][] {
  return Object.entries(def?.dependsOn ?? {});
}

/** Every problem of the stack with the agent and the dependency it is about (for a place in a file). */
export function stackIssues(defs: readonly StackDefinition[], hasProbe: (def: StackDefinition) => boolean = hasHealthProbe): StackIssue[] {
  const byName = new Map(defs.map((d) => [d.name, d]));
  const issues: StackIssue[] = [];
  for (const def of defs) {
    for (const [dep, condition] of dependencies(def)) {
      const target = byName.get(dep);
      if (!target) {
        issues.push({ agent: def.name, dependency: dep, message: `agent "${def.name}" depends on "${dep}", which is not defined; define "${dep}" first, or remove it from the dependsOn of "${def.name}"` });
      } else if (condition === 'healthy' && !hasProbe(target)) {
        issues.push({
          agent: def.name,
          dependency: dep,
          message: `agent "${def.name}" depends on "${dep}" being healthy, but "${dep}" has no health probe; give "${dep}" one (health.http, health.tcp or health.command), or depend on it as "started" or "ready"`,
        });
      }
    }
  }
  for (const cycle of findCycles(defs, byName)) {
    issues.push({ agent: cycle[0] as string, dependency: cycle[1] as string, message: `the dependencies form a cycle (each depends on the next): ${cycle.join(' → ')}; remove one of these dependsOn entries` });
  }
  return issues;
}

/** Every problem of the stack, one sentence each: unknown names in dependsOn, cycles (`model → server → model`), `healthy` on an agent without a probe. */
export function stackProblems(defs: readonly StackDefinition[], hasProbe?: (def: StackDefinition) => boolean): string[] {
  return stackIssues(defs, hasProbe).map((i) => i.message);
}

/** Each distinct cycle once, as names from its first member (in definition order) back to it. */
function findCycles(defs: readonly StackDefinition[], byName: Map<string, StackDefinition>): string[][] {
  const order = new Map(defs.map((d, i) => [d.name, i]));
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const seen = new Set<string>();
  const cycles: string[][] = [];
  const visit = (name: string): void => {
    state.set(name, 'open');
    path.push(name);
    for (const [dep] of dependencies(byName.get(name))) {
      if (!byName.has(dep)) continue;
      if (state.get(dep) === 'open') {
        const members = path.slice(path.indexOf(dep));
        const first = members.reduce((a, b) => ((order.get(a) ?? 0) <= (order.get(b) ?? 0) ? a : b));
        const from = members.indexOf(first);
        const rotated = [...members.slice(from), ...members.slice(0, from)];
        const key = rotated.join('\0');
        if (!seen.has(key)) {
          seen.add(key);
          cycles.push([...rotated, first]);
        }
      } else if (!state.has(dep)) visit(dep);
    }
    path.pop();
    state.set(name, 'done');
  };
  for (const def of defs) if (!state.has(def.name)) visit(def.name);
  return cycles;
}

/**
 * `names` in levels, dependencies first: an agent comes in a later level than every agent of
 * `names` it depends on, directly or through agents outside `names`. Starting level by level (or
 * stopping in reverse) respects every dependency; agents of one level are independent.
 */
export function dependencyLevels(defs: readonly StackDefinition[], names: readonly string[]): string[][] {
  const byName = new Map(defs.map((d) => [d.name, d]));
  const wanted = new Set(names);
  // below(x): how many agents of `names` lie under x on its longest chain of dependencies
  const below = new Map<string, number>();
  const visiting = new Set<string>();
  const depth = (name: string): number => {
    const known = below.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) return 0; // a cycle (refused on save): no order to keep
    visiting.add(name);
    let d = 0;
    for (const [dep] of dependencies(byName.get(name))) d = Math.max(d, depth(dep) + (wanted.has(dep) ? 1 : 0));
    visiting.delete(name);
    below.set(name, d);
    return d;
  };
  const levels: string[][] = [];
  for (const name of new Set(names)) (levels[depth(name)] ??= []).push(name);
  return levels.filter((l) => l !== undefined);
}

/** Every agent that depends on `name`, directly or through others, in definition order. */
export function dependentsOf(defs: readonly StackDefinition[], name: string): string[] {
  const found = new Set<string>([name]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const def of defs) {
      if (found.has(def.name)) continue;
      if (dependencies(def).some(([dep]) => found.has(dep))) {
        found.add(def.name);
        grew = true;
      }
    }
  }
  return defs.map((d) => d.name).filter((n) => n !== name && found.has(n));
}

/** Whether a dependency's status meets `condition` now (`completed`: it is stopped with exit code 0). */
export function conditionMet(condition: DependencyCondition, dep: AgentStatus | undefined, def: StackDefinition | undefined): boolean {
  if (!dep) return false;
  switch (condition) {
    case 'started':
      return dep.state === 'running';
    case 'healthy':
      return dep.state === 'running' && dep.health === 'healthy';
    case 'ready':
      return isReady(dep, def);
    case 'completed':
      return dep.state === 'stopped' && dep.exitCode === 0 && dep.signal === null;
  }
}

/** The `ready` condition: the engine's `ready` when it reports one, else what it falls back to (readyLine: not yet; a probe: healthy; else running). */
function isReady(status: AgentStatus, def: StackDefinition | undefined): boolean {
  if (status.state !== 'running') return false;
  if (status.ready !== undefined) return status.ready;
  if (def?.readyLine) return false;
  if (def && hasHealthProbe(def)) return status.health === 'healthy';
  return true;
}

/** The graph of the stack: one node per agent (of `statuses`), one edge per dependsOn entry, each with whether it holds now. */
export function stackGraph(defs: readonly StackDefinition[], statuses: readonly AgentStatus[]): StackGraph {
  const byName = new Map(defs.map((d) => [d.name, d]));
  const statusOf = new Map(statuses.map((s) => [s.name, s]));
  const nodes: StackNode[] = statuses.map((s) => ({
    name: s.name,
    state: s.state,
    groups: byName.get(s.name)?.groups ?? s.groups ?? [],
    ready: isReady(s, byName.get(s.name)),
    health: s.health,
  }));
  const edges: StackEdge[] = [];
  for (const def of defs) {
    const own = statusOf.get(def.name);
    for (const [to, condition] of dependencies(def)) {
      // while it waits, the engine knows best which conditions still hold it back
      const met = own?.state === 'waiting' && own.waitingFor ? !own.waitingFor.some((w) => w.agent === to) : conditionMet(condition, statusOf.get(to), byName.get(to));
      edges.push({ from: def.name, to, condition, met });
    }
  }
  return { nodes, edges };
}

/** The groups in order of first mention, each with its agents in definition order. */
export function groupsOf(defs: readonly StackDefinition[]): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const def of defs) {
    for (const g of new Set(def.groups ?? [])) {
      const members = groups.get(g) ?? [];
      members.push(def.name);
      groups.set(g, members);
    }
  }
  return groups;
}
