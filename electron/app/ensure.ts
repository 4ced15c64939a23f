// ensure: "make sure this agent runs before my job does". Starts it unless it runs, answers once
// it is running, or with the reason it could not be within the caller's timeout.
import type { AgentStatus } from '../../shared/status.js';
import type { Engine } from '../core/engine.js';
import { AgentTrayError } from '../core/errors.js';

/** Resolves with the running agent's status; rejects with `not-ready` or `timeout` saying why. */
export async function ensureRunning(engine: Engine, name: string, timeoutMs: number): Promise<AgentStatus> {
  engine.status(name); // unknown-agent first
  // engine.start leaves a running agent alone, and queues behind a stop or restart under way
  const attempt = (async () => {
    try {
      await engine.start(name);
    } catch (err) {
      if (!(err instanceof AgentTrayError) || err.code === 'unknown-agent') throw err;
      throw new AgentTrayError('not-ready', `Agent "${name}" could not be started: ${err.message}`, { details: { name, cause: err.code }, cause: err });
    }
    const status = engine.status(name);
    if (status.state !== 'running') {
      throw new AgentTrayError('not-ready', `Agent "${name}" is ${status.state}${status.lastError ? `: ${status.lastError.message}` : ''}`, {
        hint: `See its output with: agent-tray logs ${name}`,
        details: { name, state: status.state },
      });
    }
    return status;
  })();

  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const state = engine.status(name).state;
      reject(new AgentTrayError('timeout', `Agent "${name}" was not running within ${timeoutMs} ms (it is ${state})`, { hint: 'Give it more time with a larger timeout, or look at its logs', details: { name, state, timeoutMs } }));
    }, timeoutMs);
  });
  try {
    return await Promise.race([attempt, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
