// ensure: "make sure this agent runs before my job does". Starts it unless it runs, answers once
// it is running and has stayed up through a short settling window (so an agent that dies at once
// is reported with its reason, not as running) and, when it has a health probe, once the probe
// says `healthy`; or with the reason it could not be within the caller's timeout.
import type { AgentStatus, EngineEvent } from '../../shared/status.js';
import type { Engine } from '../core/engine.js';
import { AgentTrayError } from '../core/errors.js';

/** How long a freshly started agent must stay up before ensure trusts it (capped by the timeout). */
export const ENSURE_SETTLE_MS = 1_000;

/** Resolves with the running (and, with a probe, healthy) agent's status; rejects with `not-ready` or `timeout` saying why. */
export async function ensureRunning(engine: Engine, name: string, timeoutMs: number, settleMs = ENSURE_SETTLE_MS): Promise<AgentStatus> {
  engine.status(name); // unknown-agent first
  const deadline = Date.now() + timeoutMs;

  // engine.start leaves a running agent alone, and queues behind a stop or restart under way
  const attempt = (async () => {
    const wasRunning = engine.status(name).state === 'running';
    try {
      await engine.start(name);
    } catch (err) {
      if (!(err instanceof AgentTrayError) || err.code === 'unknown-agent') throw err;
      throw new AgentTrayError('not-ready', `Agent "${name}" could not be started: ${err.message}`, { details: { name, cause: err.code }, cause: err });
    }
    if (engine.status(name).state !== 'running') throw notReady(name, engine.status(name));
    const settleUntil = wasRunning ? Date.now() : Math.min(Date.now() + settleMs, deadline);
    const outcome = await untilReady(engine, name, settleUntil, deadline);
    const status = engine.status(name);
    if (status.state !== 'running') throw notReady(name, status);
    if (outcome.unhealthy) throw unhealthy(name, status, outcome.unhealthy);
    if (outcome.expired) throw timedOut(name, status, timeoutMs);
    return status;
  })();

  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timedOut(name, engine.status(name), timeoutMs)), timeoutMs);
  });
  try {
    return await Promise.race([attempt, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The agent is not running: its state and last error. */
function notReady(name: string, status: AgentStatus): AgentTrayError {
  return new AgentTrayError('not-ready', `Agent "${name}" is ${status.state}${status.lastError ? `: ${status.lastError.message}` : ''}`, {
    hint: `See its output with: agent-tray logs ${name}`,
    details: { name, state: status.state, status },
  });
}

/** The agent runs, but its health probe failed past its start period. */
function unhealthy(name: string, status: AgentStatus, probeDetail: string): AgentTrayError {
  return new AgentTrayError('not-ready', `Agent "${name}" is running but unhealthy: its health probe says ${probeDetail}`, {
    hint: `Check its health settings and its output (agent-tray logs ${name}); a slow starter needs a longer health.startPeriodMs`,
    details: { name, state: status.state, health: status.health, status },
  });
}

/** Not running (or, with a probe, not healthy) within the caller's timeout. */
function timedOut(name: string, status: AgentStatus, timeoutMs: number): AgentTrayError {
  const waitingForHealth = status.state === 'running' && status.health !== 'unknown' && status.health !== 'healthy';
  const message = waitingForHealth
    ? `Agent "${name}" runs but was not healthy within ${timeoutMs} ms (its health is ${status.health})`
    : `Agent "${name}" was not running within ${timeoutMs} ms (it is ${status.state})`;
  return new AgentTrayError('timeout', message, {
    hint: 'Give it more time with a larger timeout, or look at its logs',
    details: { name, state: status.state, health: status.health, timeoutMs },
  });
}

/**
 * Resolves once the agent leaves `running` (the caller reports why), or once it is past
 * `settleUntil` and its health is decided: `unknown` (no probe) or `healthy` is ready, `unhealthy`
 * (which a probe only reports after its start period) is not, with the probe's last detail.
 * `starting` and `zombie` keep it waiting, until `deadline` (then `expired`).
 */
function untilReady(engine: Engine, name: string, settleUntil: number, deadline: number): Promise<{ unhealthy: string | null; expired: boolean }> {
  return new Promise((resolve) => {
    let lastProbe: string | null = null;
    const check = () => {
      const { state, health } = engine.status(name);
      if (state !== 'running') return done(null);
      if (health === 'unhealthy') return done(lastProbe ?? 'unhealthy');
      if (Date.now() >= deadline) return done(null, true);
      if (Date.now() < settleUntil) return;
      if (health === 'healthy' || health === 'unknown') done(null);
    };
    const done = (why: string | null, expired = false) => {
      clearTimeout(timer);
      clearTimeout(expiry);
      off();
      resolve({ unhealthy: why, expired });
    };
    const off = engine.subscribe((e: EngineEvent) => {
      if (e.name !== name) return;
      if (e.type === 'health-changed' && e.probe) lastProbe = e.probe.detail;
      if (e.type === 'state' || e.type === 'health-changed') check();
    });
    const timer = setTimeout(check, Math.max(0, settleUntil - Date.now()));
    const expiry = setTimeout(check, Math.max(0, deadline - Date.now()));
    check();
  });
}
