// The agent definitions of agents.json, changed through commands and by hand: every change is
// validated, saved atomically (the previous file kept as .bak) and only then takes effect; a save
// re-reads the file and applies its change on top of any hand edit (see config-file.ts).
import type { AgentDefinition, AgentsFile } from '../../shared/agent.js';
import { AgentTrayError, unknownAgent } from '../core/errors.js';
import { agentsFileText, parseAgentsFile } from './agents-file.js';
import { AGENTS_SCHEMA_LINK } from './agents-schema-file.js';
import { ConfigFile } from './config-file.js';
import { refuseCaseCollision } from './name-collision.js';
import { refuseStackProblems } from './stack-check.js';

/** The agents whose dependsOn names `name`, in file order. */
export function directDependents(agents: readonly AgentDefinition[], name: string): string[] {
  return agents.filter((a) => a.dependsOn && Object.hasOwn(a.dependsOn, name)).map((a) => a.name);
}

/** Refuses (409) to remove or rename an agent that others depend on, naming them. */
export function refuseIfDependedOn(agents: readonly AgentDefinition[], name: string, what: string): void {
  const dependents = directDependents(agents, name);
  if (dependents.length === 0) return;
  throw new AgentTrayError('conflict', `Agent "${name}" was not ${what}: ${dependents.map((d) => `"${d}"`).join(', ')} ${dependents.length === 1 ? 'depends' : 'depend'} on it`, {
    hint: `Remove "${name}" from the dependsOn of ${dependents.map((d) => `"${d}"`).join(', ')} first`,
    details: { name, dependents },
  });
}

export class AgentStore {
  private constructor(readonly config: ConfigFile<AgentsFile>) {}

  /** Loads agents.json (missing: no agents, and a first save writes the `$schema` link to the schema beside it). */
  static async load(file: string): Promise<AgentStore> {
    return new AgentStore(await ConfigFile.load({ file, parse: (text) => parseAgentsFile(text, file), missing: { $schema: AGENTS_SCHEMA_LINK, agents: [] } }));
  }

  get file(): string {
    return this.config.file;
  }

  /** Every definition, in file order. */
  list(): AgentDefinition[] {
    return [...this.config.value.agents];
  }

  /** One definition; throws unknown-agent. */
  get(name: string): AgentDefinition {
    const agents = this.config.value.agents;
    const def = agents.find((a) => a.name === name);
    if (!def) throw unknownAgent(name, agents.map((a) => a.name));
    return def;
  }

  /** True when an agent of that name is defined. */
  has(name: string): boolean {
    return this.config.value.agents.some((a) => a.name === name);
  }

  /** Looks at agents.json again (a hand edit); see ConfigFile.refresh. */
  refresh(): Promise<void> {
    return this.config.refresh();
  }

  /** Adds a definition and saves. */
  async create(def: AgentDefinition): Promise<void> {
    await this.change((agents) => {
      if (agents.some((a) => a.name === def.name)) {
        throw new AgentTrayError('agent-exists', `An agent named "${def.name}" already exists`, { hint: 'Choose another name, or update the existing agent', details: { name: def.name } });
      }
      refuseCaseCollision(def.name, agents.map((a) => a.name));
      return [...agents, def];
    });
  }

  /** Replaces the definition named `name` (which may rename it) and saves. */
  async update(name: string, def: AgentDefinition): Promise<void> {
    await this.change((agents) => {
      const index = agents.findIndex((a) => a.name === name);
      if (index === -1) throw unknownAgent(name, agents.map((a) => a.name));
      if (def.name !== name && agents.some((a) => a.name === def.name)) {
        throw new AgentTrayError('agent-exists', `Cannot rename "${name}" to "${def.name}": that name is taken`, { hint: 'Choose another name', details: { name: def.name } });
      }
      refuseCaseCollision(def.name, agents.map((a) => a.name), name);
      if (def.name !== name) refuseIfDependedOn(agents, name, `renamed to "${def.name}"`);
      return agents.map((a, i) => (i === index ? def : a));
    });
  }

  /** Removes a definition and saves. */
  async remove(name: string): Promise<void> {
    await this.change((agents) => {
      if (!agents.some((a) => a.name === name)) throw unknownAgent(name, agents.map((a) => a.name));
      refuseIfDependedOn(agents, name, 'removed');
      return agents.filter((a) => a.name !== name);
    });
  }

  /** Applies `edit` to the agents as they are in the file now, checks the stack they make, saves the result, and only then keeps it; one change at a time. */
  private change(edit: (agents: AgentDefinition[]) => AgentDefinition[]): Promise<AgentsFile> {
    return this.config.write((current) => {
      const next: AgentsFile = { ...current, agents: edit(current.agents) };
      refuseStackProblems(next.agents);
      return { text: agentsFileText(this.file, next), value: next };
    });
  }
}
