// ensure: "make sure this agent runs before my job does". Starts it unless it runs (the engine
// starts its dependencies first and waits for them), answers once it is running and has stayed up
// through a short settling window (so an agent that dies at once is reported with its reason, not
// as running) and is ready by its own measure: its readyLine matched when it has one, else its
// health probe says `healthy` when it has one, else running is enough. Or it answers with the
// reason it could not be within the caller's timeout.
import type { AgentDefinition } from '../../shared/agent.js';
import type { AgentStatus, EngineEvent } from '../../shared/status.js';
import type { Engine } from '../core/engine.js';
import { AgentTrayError } from '../core/errors.js';
import { hasHealthProbe } from '../core/stack/graph.js';

/** How long a freshly started agent must stay up before ensure trusts it (capped by the timeout). */
export const ENSURE_SETTLE_MS = 1_000;

/** What ensure waits for once the agent runs: its readyLine, else its probe, else running (a run whose output is not ours cannot show a line: its probe or running then). */
function readinessOf(def: AgentDefinition, status: AgentStatus): 'ready-line' | 'healthy' | 'running' {
  if (def.readyLine && status.outputCaptured) return 'ready-line';
  return hasHealthProbe(def) ? 'healthy' : 'running';
}

/** States in which the agent is on its way to running: ensure keeps waiting. */
function onTheWay(state: AgentStatus['state']): boolean {
  return state === 'waiting' || state === 'starting';
}

/** Resolves with the running (and ready) agent's status; rejects with `not-ready` or `timeout` saying why. */
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
    const after = engine.status(name);
    if (after.state !== 'running' && !onTheWay(after.state)) throw notReady(name, after);
    const settleUntil = wasRunning ? Date.now() : Math.min(Date.now() + settleMs, deadline);
    const outcome = await untilReady(engine, name, settleUntil, deadline);
    const status = engine.status(name);
    if (status.state !== 'running') throw notReady(name, status);
    if (outcome.unhealthy) throw unhealthy(name, status, outcome.unhealthy);
    if (outcome.expired) throw timedOut(engine, name, status, timeoutMs);
    return status;
  })();

  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timedOut(engine, name, engine.status(name), timeoutMs)), timeoutMs);
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

/** "model (healthy), setup (completed)": what a waiting agent still waits for. */
function waitingForText(status: AgentStatus): string {
  return (status.waitingFor ?? []).map((w) => `${w.agent} (${w.condition})`).join(', ');
}

/** Not running (or not ready by its own measure) within the caller's timeout. */
function timedOut(engine: Engine, name: string, status: AgentStatus, timeoutMs: number): AgentTrayError {
  let message: string;
  if (status.state === 'running' && readinessOf(engine.effectiveDefinition(name), status) === 'ready-line' && status.ready !== true) {
    message = `Agent "${name}" runs but its readyLine /${engine.effectiveDefinition(name).readyLine}/ did not match any line it printed within ${timeoutMs} ms`;
  } else if (status.state === 'running' && status.health !== 'unknown' && status.health !== 'healthy') {
    message = `Agent "${name}" runs but was not healthy within ${timeoutMs} ms (its health is ${status.health})`;
  } else if (status.state === 'waiting' && status.waitingFor?.length) {
    message = `Agent "${name}" was still waiting for ${waitingForText(status)} after ${timeoutMs} ms`;
  } else {
    message = `Agent "${name}" was not running within ${timeoutMs} ms (it is ${status.state})`;
  }
  return new AgentTrayError('timeout', message, {
    hint: 'Give it more time with a larger timeout, or look at its logs',
    details: { name, state: status.state, health: status.health, timeoutMs, ...(status.waitingFor ? { waitingFor: status.waitingFor } : {}) },
  });
}

/**
 * Resolves once the agent leaves `running` (or, while it waits for its dependencies or starts,
 * leaves those for anything but `running`: the caller reports why), or once it is past
 * `settleUntil` and ready by its own measure: its readyLine matched (status `ready`), or its health
 * `healthy` (a probe) — `unhealthy`, which a probe only reports after its start period, is not,
 * with the probe's last detail — or simply running. Until `deadline` (then `expired`).
 */
function untilReady(engine: Engine, name: string, settleUntil: number, deadline: number): Promise<{ unhealthy: string | null; expired: boolean }> {
  return new Promise((resolve) => {
    let lastProbe: string | null = null;
    let lineSeen = false;
    let runStartedAt: number | null = engine.status(name).startedAt;
    const check = () => {
      const status = engine.status(name);
      const { state, health } = status;
      if (onTheWay(state)) {
        if (Date.now() >= deadline) done(null, true);
        return;
      }
      if (state !== 'running') return done(null);
      if (status.startedAt !== runStartedAt) {
        runStartedAt = status.startedAt; // a new run: a line of the one before does not count
        lineSeen = false;
      }
      if (health === 'unhealthy') return done(lastProbe ?? 'unhealthy');
      if (Date.now() >= deadline) return done(null, true);
      if (Date.now() < settleUntil) return;
      const readiness = readinessOf(engine.effectiveDefinition(name), status);
      // `unknown` health: no probe, or nothing probes it (an engine without a supervisor)
      if (readiness === 'ready-line' ? status.ready === true || lineSeen : health === 'healthy' || health === 'unknown') done(null);
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
      if (e.type === 'ready') lineSeen = true;
      if (e.type === 'state' || e.type === 'health-changed' || e.type === 'ready') check();
    });
    const timer = setTimeout(check, Math.max(0, settleUntil - Date.now()));
    const expiry = setTimeout(check, Math.max(0, deadline - Date.now()));
    check();
  });
}
