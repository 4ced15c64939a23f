// The agent definitions of agents.json, changed through commands: every change is validated,
// saved atomically (the previous file kept as .bak) and only then takes effect.
import type { AgentDefinition, AgentsFile } from '../../shared/agent.js';
import { AgentTrayError, unknownAgent } from '../core/errors.js';
import { loadAgentsFile, saveAgentsFile } from './agents-file.js';

export class AgentStore {
  private saving: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly file: string,
    private content: AgentsFile,
  ) {}

  /** Loads agents.json (missing: no agents). */
  static async load(file: string): Promise<AgentStore> {
    return new AgentStore(file, await loadAgentsFile(file));
  }

  /** Every definition, in file order. */
  list(): AgentDefinition[] {
    return [...this.content.agents];
  }

  /** One definition; throws unknown-agent. */
  get(name: string): AgentDefinition {
    const def = this.content.agents.find((a) => a.name === name);
    if (!def) throw unknownAgent(name, this.content.agents.map((a) => a.name));
    return def;
  }

  /** True when an agent of that name is defined. */
  has(name: string): boolean {
    return this.content.agents.some((a) => a.name === name);
  }

  /** Adds a definition and saves. */
  create(def: AgentDefinition): Promise<void> {
    return this.change((agents) => {
      if (agents.some((a) => a.name === def.name)) {
        throw new AgentTrayError('agent-exists', `An agent named "${def.name}" already exists`, { hint: 'Choose another name, or update the existing agent', details: { name: def.name } });
      }
      return [...agents, def];
    });
  }

  /** Replaces the definition named `name` (which may rename it) and saves. */
  update(name: string, def: AgentDefinition): Promise<void> {
    return this.change((agents) => {
      const index = agents.findIndex((a) => a.name === name);
      if (index === -1) throw unknownAgent(name, agents.map((a) => a.name));
      if (def.name !== name && agents.some((a) => a.name === def.name)) {
        throw new AgentTrayError('agent-exists', `Cannot rename "${name}" to "${def.name}": that name is taken`, { hint: 'Choose another name', details: { name: def.name } });
      }
      return agents.map((a, i) => (i === index ? def : a));
    });
  }

  /** Removes a definition and saves. */
  remove(name: string): Promise<void> {
    return this.change((agents) => {
      if (!agents.some((a) => a.name === name)) throw unknownAgent(name, agents.map((a) => a.name));
      return agents.filter((a) => a.name !== name);
    });
  }

  /** Applies `edit` to the current list, saves the result, and only then keeps it; one change at a time. */
  private change(edit: (agents: AgentDefinition[]) => AgentDefinition[]): Promise<void> {
    const run = this.saving.then(async () => {
      const next: AgentsFile = { ...this.content, agents: edit(this.content.agents) };
      await saveAgentsFile(this.file, next);
      this.content = next;
    });
    this.saving = run.catch(() => undefined);
    return run;
  }
}
