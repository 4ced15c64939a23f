// The updateAgent command: save a changed definition, a rename included (see rename-agent.ts), and
// with `restart` stop an agent that runs, apply the change and start it again under its new name.
import type { AgentDefinition } from '../../shared/agent.js';
import type { AgentStatus } from '../../shared/status.js';
import { AgentTrayError } from '../core/errors.js';
import { inMotion } from '../core/state-machine.js';
import type { AgentTrayApp } from './application.js';
import { statusAfter } from './bulk.js';
import { checkRename, renameStoppedAgent } from './rename-agent.js';

export interface UpdateAgentInput {
  name: string;
  definition: AgentDefinition;
  restart: boolean;
}

/** Tells every subscriber that `from` is now `to` (a rename) or that `name` changed. */
function announce(app: AgentTrayApp, from: string, to: string): void {
  const status = app.engine.status(to);
  if (from === to) {
    app.publish({ type: 'agent-updated', name: to, status });
    return;
  }
  app.publish({ type: 'agent-removed', name: from });
  app.publish({ type: 'agent-added', name: to, status });
}

/** Saves a definition without a rename; the engine uses it from the agent's next start. */
async function save(app: AgentTrayApp, name: string, def: AgentDefinition): Promise<void> {
  await app.store.update(name, def);
  app.engine.setDefinitions(app.store.list());
}

/** Stops a renamed agent, renames it, starts it under its new name; a failed rename starts it again under its old name and reports why. */
async function stopRenameStart(app: AgentTrayApp, from: string, def: AgentDefinition): Promise<AgentStatus> {
  await app.engine.stop(from);
  try {
    await renameStoppedAgent(app, from, def);
  } catch (err) {
    await app.engine.start(from).catch(() => undefined); // back as it was, under its old name
    if (err instanceof AgentTrayError) err.details.restartedAs = from;
    throw err;
  }
  announce(app, from, def.name);
  return statusAfter(app, def.name, () => app.engine.start(def.name));
}

/** The updateAgent command (the definition's sandbox is checked by the caller). */
export async function updateAgent(app: AgentTrayApp, { name, definition, restart }: UpdateAgentInput): Promise<AgentStatus> {
  const engine = app.engine;
  const renamed = definition.name !== name;
  const state = engine.status(name).state;
  if (renamed) {
    if (inMotion(state) && !restart) {
      const doing = state === 'backoff' ? 'waiting to restart' : state === 'waiting' ? 'waiting for its dependencies' : state;
      throw new AgentTrayError('conflict', `Agent "${name}" is ${doing} and cannot be renamed to "${definition.name}"`, {
        hint: 'Stop it first, or save with restart=true (Stop, rename, start)',
        details: { name, state },
      });
    }
    await checkRename(app, name, definition); // every refusal before anything is stopped or moved
    if (inMotion(state)) return stopRenameStart(app, name, definition);
    await renameStoppedAgent(app, name, definition);
    announce(app, name, definition.name);
    return engine.status(definition.name);
  }
  await save(app, name, definition);
  announce(app, name, name);
  if (!restart || !inMotion(state)) return engine.status(name);
  return statusAfter(app, name, () => engine.restart(name));
}
