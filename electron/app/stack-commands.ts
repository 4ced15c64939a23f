// The commands of stacks: groups (list, start, stop), the dependency graph, and the stops that
// respect dependencies: stop-all and stop-group stop dependents before their dependencies, level
// by level (the agents of one level at once); a stop with its dependents stops them first. Starts
// need no order here: the engine starts each agent's dependencies first and waits for them.
import type { AgentDefinition } from '../../shared/agent.js';
import type { BulkResult } from '../../shared/commands.js';
import type { StopResult } from '../../shared/status.js';
import type { Engine } from '../core/engine.js';
import { AgentTrayError } from '../core/errors.js';
import { dependencyLevels, dependentsOf, groupsOf, stackGraph } from '../core/stack/graph.js';
import { inMotion } from '../core/state-machine.js';
import type { AgentTrayApp } from './application.js';
import { settleEach, statusAfter } from './bulk.js';
import type { Handlers } from './command-table.js';

type StackHandlers = Pick<Handlers, 'listGroups' | 'startGroup' | 'stopGroup' | 'getGraph' | 'stopAll' | 'stopAgent'>;

/** The definition each agent the engine knows runs with now (a running one: the one it started with; one removed while it runs included). */
function currentDefinitions(engine: Engine): AgentDefinition[] {
  return engine.list().map((s) => engine.effectiveDefinition(s.name));
}

/** The agents of a group; 404 naming the groups there are. */
function groupMembers(app: AgentTrayApp, group: string): string[] {
  const groups = groupsOf(app.store.list());
  const members = groups.get(group);
  if (members) return members;
  const known = groups.size ? `groups: ${[...groups.keys()].join(', ')}` : 'no agent has a group yet';
  throw new AgentTrayError('not-found', `No group named "${group}" (${known})`, {
    hint: 'A group is a name in the "groups" list of an agent in agents.json',
    details: { group },
  });
}

/** Stops `names` dependents first: the last level first, each level's agents at once; results in the order of `names`. */
async function stopInLevels(app: AgentTrayApp, names: readonly string[]): Promise<BulkResult> {
  const engine = app.engine;
  const byName = new Map<string, BulkResult['results'][number]>();
  for (const level of dependencyLevels(currentDefinitions(engine), names).reverse()) {
    const results = await settleEach(level, async (n) => {
      await engine.stop(n);
      return engine.status(n);
    });
    for (const r of results) byName.set(r.name, r);
  }
  return { results: names.map((n) => byName.get(n)).filter((r) => r !== undefined) };
}

/** Stops the agents that depend on `name` and run (or wait), dependents before their dependencies; each stop's result in order. */
async function stopDependents(engine: Engine, dependents: readonly string[]): Promise<StopResult[]> {
  const stops: StopResult[] = [];
  for (const level of dependencyLevels(currentDefinitions(engine), dependents).reverse()) stops.push(...(await Promise.all(level.map((n) => engine.stop(n)))));
  return stops;
}

/** The handlers of the stack commands, bound to one application. */
export function stackHandlers(app: AgentTrayApp): StackHandlers {
  const engine = app.engine;
  return {
    listGroups: async () => ({
      groups: [...groupsOf(app.store.list())].map(([name, agents]) => ({
        name,
        agents,
        running: agents.filter((n) => engine.status(n).state === 'running').length,
        total: agents.length,
      })),
    }),
    startGroup: async ({ group }) => ({ results: await settleEach(groupMembers(app, group), (n) => statusAfter(app, n, () => engine.start(n))) }),
    stopGroup: ({ group }) => stopInLevels(app, groupMembers(app, group)),
    // stop-all includes agents removed from agents.json that still run
    stopAll: () => stopInLevels(app, engine.list().map((s) => s.name)),
    getGraph: async () => stackGraph(currentDefinitions(engine), engine.list()),

    stopAgent: async ({ name, withDependents }) => {
      engine.status(name); // unknown-agent before anything is stopped
      const dependents = dependentsOf(currentDefinitions(engine), name).filter((n) => inMotion(engine.status(n).state));
      const stoppedFirst = withDependents ? await stopDependents(engine, dependents) : [];
      const stop = await engine.stop(name);
      const status = engine.status(name);
      if (withDependents) return { ...status, stop, dependents: stoppedFirst };
      return { ...status, stop, ...(dependents.length ? { dependentsRunning: dependents } : {}) };
    },
  };
}
