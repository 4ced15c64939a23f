// ensure: "make sure this agent runs before my job does". Starts it unless it runs, answers once
// it is running and has stayed up through a short settling window (so an agent that dies at once
// is reported with its reason, not as running), or with the reason it could not be within the
// caller's timeout. Health checks join the condition when they exist.
import type { AgentStatus } from '../../shared/status.js';
import type { Engine } from '../core/engine.js';
import { AgentTrayError } from '../core/errors.js';

/** How long a freshly started agent must stay up before ensure trusts it (capped by the timeout). */
export const ENSURE_SETTLE_MS = 1_000;

/** Resolves with the running agent's status; rejects with `not-ready` or `timeout` saying why. */
export async function ensureRunning(engine: Engine, name: string, timeoutMs: number, settleMs = ENSURE_SETTLE_MS): Promise<AgentStatus> {
  engine.status(name); // unknown-agent first
  const deadline = Date.now() + timeoutMs;
  const notReady = (status: AgentStatus) =>
    new AgentTrayError('not-ready', `Agent "${name}" is ${status.state}${status.lastError ? `: ${status.lastError.message}` : ''}`, {
      hint: `See its output with: agent-tray logs ${name}`,
      details: { name, state: status.state },
    });

  // engine.start leaves a running agent alone, and queues behind a stop or restart under way
  const attempt = (async () => {
    const wasRunning = engine.status(name).state === 'running';
    try {
      await engine.start(name);
    } catch (err) {
      if (!(err instanceof AgentTrayError) || err.code === 'unknown-agent') throw err;
      throw new AgentTrayError('not-ready', `Agent "${name}" could not be started: ${err.message}`, { details: { name, cause: err.code }, cause: err });
    }
    if (engine.status(name).state !== 'running') throw notReady(engine.status(name));
    if (!wasRunning) await stayedUp(engine, name, Math.min(settleMs, Math.max(0, deadline - Date.now())));
    const status = engine.status(name);
    if (status.state !== 'running') throw notReady(status);
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

/** Resolves after `ms`, or as soon as the agent leaves `running`, whichever comes first. */
function stayedUp(engine: Engine, name: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      off();
      resolve();
    };
    const timer = setTimeout(done, ms);
    const off = engine.subscribe((e) => {
      if (e.type === 'state' && e.name === name && e.from === 'running') done();
    });
  });
}
