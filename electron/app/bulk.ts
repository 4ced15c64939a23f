// Commands over many agents: each one's result beside the others', a failure kept as its error and
// status instead of failing the whole command; and a start whose failure carries the agent's status.
import type { BulkResult } from '../../shared/commands.js';
import type { AgentStatus } from '../../shared/status.js';
import { AgentTrayError } from '../core/errors.js';
import type { AgentTrayApp } from './application.js';

type BulkEntry = BulkResult['results'][number];

/** Runs a start or restart and answers the agent's status; a failed start stays an error (409: port-in-use, command-not-found, cwd-missing, spawn-failed, conflict) with the agent's status added as `details.status`. */
export async function statusAfter(app: AgentTrayApp, name: string, op: () => Promise<unknown>): Promise<AgentStatus> {
  try {
    await op();
  } catch (err) {
    if (err instanceof AgentTrayError && err.code !== 'unknown-agent') err.details.status = app.engine.status(name);
    throw err;
  }
  return app.engine.status(name);
}

/** Runs `op` for each name at once; each settles into one result (a failed one keeps its status beside the error). */
export async function settleEach(names: readonly string[], op: (name: string) => Promise<AgentStatus>): Promise<BulkEntry[]> {
  const settled = await Promise.allSettled(names.map((n) => op(n)));
  return settled.map((s, i) => {
    const name = names[i] as string;
    if (s.status === 'fulfilled') return { name, ok: s.value.state !== 'errored' && s.value.state !== 'crashed', status: s.value };
    const err = s.reason as AgentTrayError;
    const status = err.details?.status as AgentStatus | undefined;
    return { name, ok: false, ...(status ? { status } : {}), error: { code: err.code ?? 'internal', message: err.message } };
  });
}

/** Runs `op` for every defined agent (or `names`) at once and reports each result. */
export async function forAll(app: AgentTrayApp, op: (name: string) => Promise<AgentStatus>, names = app.store.list().map((a) => a.name)): Promise<BulkResult> {
  return { results: await settleEach(names, op) };
}
