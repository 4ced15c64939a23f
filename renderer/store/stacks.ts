// Stacks as the window sees them, derived from the statuses alone (each carries its dependsOn and
// groups): whether a dependency's condition holds now, what a waiting agent still waits for, what
// depends on an agent, the groups, and the graph laid out in levels. Pure functions.
import type { DependencyCondition } from '../../shared/agent.js';
import { conditionMet, type StatusesByName } from '../../shared/stack-status.js';
import type { AgentState, AgentStatus, HealthState } from '../../shared/status.js';

export {
  conditionMet,
  conditionText,
  isLive,
  liveDependents,
  pendingConditions,
  stateText,
  transitiveDependents,
  waitingText,
  type StatusesByName,
} from '../../shared/stack-status.js';

/** One dependency edge and whether its condition holds now. */
export interface DependencyRow {
  /** The agent depended on. */
  agent: string;
  condition: DependencyCondition;
  met: boolean;
  /** The depended-on agent's state; null when no agent has that name. */
  state: AgentState | null;
}

/** One dependent: an agent whose dependsOn names this one. */
export interface DependentRow {
  /** The dependent agent. */
  agent: string;
  condition: DependencyCondition;
  /** Whether this agent meets the dependent's condition now. */
  met: boolean;
  state: AgentState;
}

/** The conditions of `status.dependsOn`, in the order written. */
export function dependencyEntries(status: AgentStatus): [string, DependencyCondition][] {
  return Object.entries(status.dependsOn ?? {});
}

/** What `status` depends on, each with whether it holds now. */
export function dependencyRows(status: AgentStatus, byName: StatusesByName): DependencyRow[] {
  return dependencyEntries(status).map(([agent, condition]) => {
    const dep = byName[agent];
    return { agent, condition, met: conditionMet(status, dep, condition), state: dep?.state ?? null };
  });
}

/** The agents that depend on `name` directly, in `list`'s order, each with whether `name` meets its condition now. */
export function dependentRows(name: string, list: readonly AgentStatus[]): DependentRow[] {
  const self = list.find((s) => s.name === name);
  const out: DependentRow[] = [];
  for (const s of list) {
    const condition = s.dependsOn?.[name];
    if (!condition) continue;
    out.push({ agent: s.name, condition, met: conditionMet(s, self, condition), state: s.state });
  }
  return out;
}

/** One group: a tag shared by agents. */
export interface GroupSummary {
  name: string;
  /** Its agents, in the host's order. */
  agents: string[];
  running: number;
  total: number;
}

/** Every group named by an agent, sorted by name. */
export function groupSummaries(list: readonly AgentStatus[]): GroupSummary[] {
  const groups = new Map<string, GroupSummary>();
  for (const s of list) {
    for (const g of new Set(s.groups ?? [])) {
      let group = groups.get(g);
      if (!group) {
        group = { name: g, agents: [], running: 0, total: 0 };
        groups.set(g, group);
      }
      group.agents.push(s.name);
      group.total++;
      if (s.state === 'running') group.running++;
    }
  }
  return [...groups.values()].sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
}

/** The list split by group: each group with its agents (an agent in two groups shows in both), then the agents in none. */
export function groupedAgents(list: readonly AgentStatus[]): { group: GroupSummary | null; agents: AgentStatus[] }[] {
  const byName = new Map(list.map((s) => [s.name, s]));
  const sections: { group: GroupSummary | null; agents: AgentStatus[] }[] = groupSummaries(list).map((group) => ({
    group,
    agents: group.agents.map((n) => byName.get(n)).filter((s): s is AgentStatus => s !== undefined),
  }));
  const loose = list.filter((s) => (s.groups ?? []).length === 0);
  if (loose.length > 0) sections.push({ group: null, agents: loose });
  return sections;
}

/** A node of the stack graph. */
export interface GraphNode {
  name: string;
  state: AgentState;
  groups: string[];
  ready: boolean;
  health: HealthState;
}

/** An edge of the stack graph: `from` depends on `to`. */
export interface GraphEdge {
  from: string;
  to: string;
  condition: DependencyCondition;
  met: boolean;
}

export interface StackGraph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

/** The stack graph of every agent (the shape GET /api/graph answers), from the statuses. */
export function stackGraphOf(list: readonly AgentStatus[]): StackGraph {
  const byName: Record<string, AgentStatus> = Object.fromEntries(list.map((s) => [s.name, s]));
  const nodes = list.map((s) => ({ name: s.name, state: s.state, groups: s.groups ?? [], ready: s.ready ?? false, health: s.health }));
  const edges: GraphEdge[] = [];
  for (const s of list) for (const [to, condition] of dependencyEntries(s)) edges.push({ from: s.name, to, condition, met: conditionMet(s, byName[to], condition) });
  return { nodes, edges };
}

/** The graph with each node's live state and each edge's truth taken from the statuses (for a graph the host sent earlier). */
export function withLiveState(graph: StackGraph, list: readonly AgentStatus[]): StackGraph {
  const byName: Record<string, AgentStatus> = Object.fromEntries(list.map((s) => [s.name, s]));
  return {
    nodes: graph.nodes.map((n) => {
      const s = byName[n.name];
      return s ? { name: n.name, state: s.state, groups: s.groups ?? n.groups, ready: s.ready ?? false, health: s.health } : n;
    }),
    edges: graph.edges.map((e) => {
      const from = byName[e.from];
      return from ? { ...e, met: conditionMet(from, byName[e.to], e.condition) } : e;
    }),
  };
}

/** The part of the graph connected to `name` (its dependencies and dependents, transitively, in both directions). */
export function componentOf(graph: StackGraph, name: string): StackGraph {
  const keep = new Set<string>([name]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const e of graph.edges) {
      if (keep.has(e.from) !== keep.has(e.to)) {
        keep.add(e.from);
        keep.add(e.to);
        grew = true;
      }
    }
  }
  return { nodes: graph.nodes.filter((n) => keep.has(n.name)), edges: graph.edges.filter((e) => keep.has(e.from) && keep.has(e.to)) };
}

/** The nodes in levels, dependencies first: a node's level is one more than its deepest dependency's (a cycle is cut where it closes). */
export function graphLevels(graph: StackGraph): string[][] {
  const deps = new Map<string, string[]>(graph.nodes.map((n) => [n.name, []]));
  for (const e of graph.edges) if (deps.has(e.to)) deps.get(e.from)?.push(e.to);
  const level = new Map<string, number>();
  const visiting = new Set<string>();
  const levelOf = (name: string): number => {
    const known = level.get(name);
    if (known !== undefined) return known;
    if (visiting.has(name)) return -1; // a cycle: the host refuses it; drawn without looping here
    visiting.add(name);
    let l = 0;
    for (const d of deps.get(name) ?? []) l = Math.max(l, levelOf(d) + 1);
    visiting.delete(name);
    level.set(name, l);
    return l;
  };
  const levels: string[][] = [];
  for (const n of graph.nodes) {
    const l = levelOf(n.name);
    (levels[l] ??= []).push(n.name);
  }
  return levels.filter((l) => l !== undefined);
}

/**
 * The cycle that `name` depending on `dependsOn` would close through the other agents' dependsOn,
 * as "model → server → model", or null when there is none.
 */
export function cycleThrough(name: string, dependsOn: Readonly<Record<string, DependencyCondition>>, byName: StatusesByName): string | null {
  const depsOf = (n: string): string[] => Object.keys(n === name ? dependsOn : (byName[n]?.dependsOn ?? {}));
  const path: string[] = [name];
  const onPath = new Set<string>([name]);
  const done = new Set<string>();
  const walk = (n: string): string[] | null => {
    for (const d of depsOf(n)) {
      if (d === name) return [...path, name];
      if (onPath.has(d) || done.has(d)) continue;
      path.push(d);
      onPath.add(d);
      const found = walk(d);
      if (found) return found;
      path.pop();
      onPath.delete(d);
      done.add(d);
    }
    return null;
  };
  const cycle = walk(name);
  return cycle ? cycle.join(' → ') : null;
}
