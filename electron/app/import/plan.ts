// What an import does with each agent it read: its name here (valid, prefixed, unique), its
// dependencies under those names, and whether it is created or skipped and why: a definition the
// schema refuses, one the sandbox refuses, a name an existing agent has (never overwritten), a
// dependency that is skipped, or a stack problem.
import { AgentDefinitionSchema, type AgentDefinition, type AgentDefinitionInput } from '../../../shared/agent.js';
import type { ImportedAgent } from '../../../shared/import.js';
import { formatIssues } from '../../../shared/issues.js';
import { stackIssues } from '../../core/stack/graph.js';
import { caseCollision } from '../name-collision.js';
import { assignNames } from './names.js';
import type { ParsedAgent } from './types.js';

export interface PlanOptions {
  prefix?: string | undefined;
  /** The definitions the host has now. */
  existing: readonly AgentDefinition[];
  /** Throws when the sandbox refuses a definition (electron/app/sandbox.ts). */
  sandbox: (def: AgentDefinition) => void;
}

export interface Plan {
  agents: ImportedAgent[];
  /** The validated definitions of the agents to create, in file order. */
  create: AgentDefinition[];
}

interface Entry {
  out: ImportedAgent;
  valid: AgentDefinition | null;
}

/** The dependencies of `def` under the names the agents get (a dependency on replicated process: on each copy). */
function renamedDependsOn(def: AgentDefinitionInput, names: Map<string, string>, copies: Map<string, string[]>): AgentDefinitionInput['dependsOn'] {
  if (!def.dependsOn) return undefined;
  const result: NonNullable<AgentDefinitionInput['dependsOn']> = {};
  for (const [dep, condition] of Object.entries(def.dependsOn)) {
    for (const name of names.has(dep) ? [names.get(dep) as string] : (copies.get(dep) ?? [dep])) result[name] = condition;
  }
  return result;
}

/** Marks `entry` skipped for `reason` (the first reason stays). */
function skip(entry: Entry, reason: string): void {
  if (entry.out.status === 'skip') return;
  entry.out.status = 'skip';
  entry.out.reason = reason;
}

/** Decides, for each parsed agent, its name and whether it is created or skipped (and why). */
export function planImport(parsed: readonly ParsedAgent[], opts: PlanOptions): Plan {
  const assigned = assignNames(parsed.map((a) => a.source), opts.prefix);
  const names = new Map(parsed.map((a, i) => [a.source, assigned[i]!.name]));
  const copies = new Map<string, string[]>();
  parsed.forEach((a, i) => a.replicaOf && copies.set(a.replicaOf, [...(copies.get(a.replicaOf) ?? []), assigned[i]!.name]));

  const entries: Entry[] = parsed.map((agent, i) => {
    const { name, notes } = assigned[i]!;
    const dependsOn = renamedDependsOn(agent.definition, names, copies);
    const definition = { ...agent.definition, name, ...(dependsOn ? { dependsOn } : {}) };
    const out: ImportedAgent = { name, source: agent.source, definition: { ...definition, args: definition.args ?? [] }, status: 'create', reason: null, notCarried: [...notes, ...agent.notCarried] };
    const entry: Entry = { out, valid: null };
    const parsedDef = AgentDefinitionSchema.safeParse(definition);
    if (!parsedDef.success) {
      skip(entry, `the definition is not valid here: ${formatIssues(parsedDef.error).join('; ')}`);
      return entry;
    }
    entry.valid = parsedDef.data;
    out.definition = parsedDef.data;
    try {
      opts.sandbox(parsedDef.data);
    } catch (err) {
      skip(entry, (err as Error).message);
    }
    return entry;
  });

  const existingNames = opts.existing.map((a) => a.name);
  for (const entry of entries) {
    const { name } = entry.out;
    if (existingNames.includes(name)) skip(entry, `an agent named "${name}" already exists and was left as it is; import with a prefix to add this one beside it`);
    const other = caseCollision(name, existingNames);
    if (other) skip(entry, `the agent "${other}" differs from "${name}" only in case, and on Windows and macOS they would share log and PID files; import with a prefix`);
  }
  skipBrokenStacks(entries, opts.existing);
  return { agents: entries.map((e) => e.out), create: entries.filter((e) => e.out.status === 'create').map((e) => e.valid as AgentDefinition) };
}

/** Skips, until nothing changes, agents whose dependency is skipped, and those with a stack problem among the existing and created agents. */
function skipBrokenStacks(entries: Entry[], existing: readonly AgentDefinition[]): void {
  const byName = new Map(entries.map((e) => [e.out.name, e]));
  for (let changed = true; changed; ) {
    changed = false;
    for (const entry of entries) {
      if (entry.out.status === 'skip' || !entry.valid) continue;
      const skippedDep = Object.keys(entry.valid.dependsOn ?? {}).find((dep) => byName.get(dep)?.out.status === 'skip');
      if (skippedDep) {
        skip(entry, `it depends on "${skippedDep}", which is not imported (${byName.get(skippedDep)!.out.reason})`);
        changed = true;
      }
    }
    const creating = entries.filter((e) => e.out.status === 'create' && e.valid).map((e) => e.valid as AgentDefinition);
    for (const issue of stackIssues([...existing, ...creating])) {
      const entry = byName.get(issue.agent);
      if (entry && entry.out.status === 'create') {
        skip(entry, issue.message);
        changed = true;
      }
    }
  }
}
