// The actions the soak kills the host in the middle of: start-all, stop-all, a burst of saves
// through the API (create, update, delete agents), and a restart of one agent. A save's outcome
// is entered in the ledger before it is sent, and acknowledged when the host answers 2xx.
import { definitionOf } from './agents.mjs';
import { fingerprint } from './invariants.mjs';

// more than fit into the 300 ms before the kill, so that it lands inside a save
const MAX_SAVES = 200;
const MAX_CREATED = 5;

/** The names of the agents the soak created through the API (`x<iteration>-<k>`). @param {Map<string, unknown>} defs */
const createdNames = (defs) => [...defs.keys()].filter((n) => n.startsWith('x'));

/**
 * One save: create, update or delete, chosen at random; false when no answer came (the host is gone).
 * @param {{ host: any, rng: any, state: any, saves: { acked: number, unanswered: number, refused: number }, iteration: number }} ctx
 * @param {number} k the save's number in the burst
 */
async function oneSave(ctx, k) {
  const { host, rng, state, saves } = ctx;
  const created = createdNames(state.defs);
  const op = rng.weighted({ update: 5, create: created.length < MAX_CREATED ? 3 : 0, delete: created.length ? 2 : 0 });
  let name;
  let def;
  let request;
  if (op === 'create') {
    name = `x${ctx.iteration}-${k}`;
    def = { ...definitionOf('chatty', name, state.where), env: { INTERVAL_MS: '500', SOAK_REV: String(++state.rev) } };
    request = ['POST', '/api/agents', def];
  } else if (op === 'update') {
    name = rng.pick([...state.defs.keys()]);
    const old = state.defs.get(name);
    def = { ...old, env: { ...old.env, SOAK_REV: String(++state.rev) } };
    request = ['PUT', `/api/agents/${name}`, def];
  } else {
    name = rng.pick(created);
    def = undefined;
    request = ['DELETE', `/api/agents/${name}?stop=true`];
  }
  const fp = fingerprint(def);
  state.ledger.begin(name, fp);
  let answer;
  try {
    answer = await host.call(...request);
  } catch {
    saves.unanswered++;
    return false;
  }
  if (answer.status >= 200 && answer.status < 300) {
    saves.acked++;
    state.ledger.ack(name, fp);
    if (def) state.defs.set(name, def);
    else state.defs.delete(name);
  } else saves.refused++;
  return true;
}

/**
 * Runs one action against the host; resolves when it answered, rejects when the host went away.
 * @param {'start-all' | 'stop-all' | 'saves' | 'restart'} action
 * @param {{ host: any, rng: any, state: any, saves: any, killed: { now: boolean }, iteration: number }} ctx
 */
export async function runAction(action, ctx) {
  const { host, rng, state } = ctx;
  switch (action) {
    case 'start-all':
    case 'stop-all':
      await host.call('POST', `/api/agents/${action}`);
      return;
    case 'restart':
      await host.call('POST', `/api/agents/${rng.pick([...state.defs.keys()])}/restart`);
      return;
    case 'saves':
      for (let k = 0; k < MAX_SAVES && !ctx.killed.now; k++) if (!(await oneSave(ctx, k))) throw new Error('the host went away');
      return;
    default:
      throw new Error(`unknown action ${action}`);
  }
}
