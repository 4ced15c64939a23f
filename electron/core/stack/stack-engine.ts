// The engine's part of stacks: a start that waits for its dependencies (`waiting`), starting them
// first, and what ends the wait: every condition met (then the agent starts), a dependency that
// failed or the start timeout (then `errored` naming the dependency and its reason), a person's
// stop (nothing more is started). The conditions and the wait itself are in conditions.ts and
// dependency-wait.ts; the engine (engine.ts) calls these from its start, stop and resume.
import { DEFAULT_START_TIMEOUT_MS } from '../../../shared/agent.js';
import type { AgentStatus, TransitionReason } from '../../../shared/status.js';
import { EngineState } from '../engine-state.js';
import type { Runtime, StartMode } from '../engine-types.js';
import { AgentTrayError } from '../errors.js';
import { EMPTY_HISTORY } from '../supervision/restart-policy.js';
import { describeWaitingFor, failureReason, hasFailed } from './conditions.js';
import { DependencyWait } from './dependency-wait.js';

export abstract class StackEngine extends EngineState {
  /** Starts an agent, its dependencies first. */
  abstract start(name: string): Promise<AgentStatus>;

  /** Starts the agent's process now (its dependencies are met, or it has none). */
  protected abstract doStart(rt: Runtime, mode: StartMode, reason?: TransitionReason): Promise<AgentStatus>;

  /** Puts the agent in `waiting` and starts its dependencies (`deferStarts`: later, see startResumedWaits); null when nothing is to wait for. */
  protected beginWait(rt: Runtime, mode: StartMode, reason?: TransitionReason, deferStarts = false): DependencyWait | null {
    const def = this.definitions.get(rt.def.name);
    const dependsOn = def?.dependsOn ?? {};
    if (!def || this.closed || rt.state === 'running' || Object.keys(dependsOn).length === 0) return null; // doStart answers
    if (mode.automatic && rt.state !== 'backoff' && rt.state !== 'stopped') return null; // a person acted meanwhile
    const wait = new DependencyWait({ dependsOn, timeoutMs: def.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS, view: (agent) => this.dependencyView(agent) });
    if (!deferStarts && wait.unmet().length === 0) {
      wait.cancel(); // every condition holds already: straight to starting
      return null;
    }
    this.clearBackoff(rt);
    if (!mode.automatic && !mode.keepBudget) {
      rt.restarts = 0;
      rt.crashes = EMPTY_HISTORY;
    }
    rt.wait = wait;
    wait.startsDeferred = deferStarts;
    this.transition(rt, 'waiting', reason ?? mode.reason ?? { kind: 'user', message: `start requested; waiting for ${describeWaitingFor(wait.unmet())}` });
    if (!deferStarts) this.startDependencies(wait, !mode.automatic);
    return wait;
  }

  /** Starts each dependency not under way; one that crashed or errored is started again for a person, and fails a restart by policy. */
  private startDependencies(wait: DependencyWait, restartFailed: boolean): void {
    for (const { agent } of wait.conditions()) {
      const view = this.dependencyView(agent);
      if (!view) wait.dependencyFailed(agent, `${agent} is not defined`);
      else if (view.state === 'stopped' || (restartFailed && hasFailed(view.state))) this.start(agent).catch((err: Error) => wait.dependencyFailed(agent, `${agent} could not be started: ${err.message}`));
      else if (hasFailed(view.state)) wait.dependencyFailed(agent, failureReason(agent, view.state, view.lastError));
    }
  }

  /** Carries on the waits a previous host left: starts their dependencies that discovery did not find running (so nothing starts twice). */
  startResumedWaits(): void {
    for (const rt of this.runtimes.values()) {
      if (!rt.wait?.startsDeferred) continue;
      rt.wait.startsDeferred = false;
      this.startDependencies(rt.wait, true);
      rt.wait.check();
    }
  }

  /** When the wait ends: starts the agent (every condition holds), or `errored` naming the dependency and its reason. */
  protected async afterWait(rt: Runtime, wait: DependencyWait, mode: StartMode): Promise<AgentStatus> {
    const outcome = await wait.outcome;
    return this.serial(rt, async () => {
      const current = rt.wait === wait && rt.state === 'waiting'; // else a stop (or another start that joined this wait) dealt with it
      if (rt.wait === wait) rt.wait = null;
      if (outcome.kind === 'cancelled' || (outcome.kind === 'met' && !current)) return this.toStatus(rt);
      if (outcome.kind === 'met') return this.doStart(rt, mode, { kind: 'policy', message: `its dependencies are met: ${describeWaitingFor(outcome.conditions)}` });
      const name = rt.def.name;
      const dep = outcome.dependency ?? 'its dependencies';
      const err = new AgentTrayError(outcome.timedOut ? 'timeout' : 'not-ready', `Agent "${name}" was not started: ${outcome.message}`, {
        hint: outcome.timedOut ? `See why ${dep} is not there yet (agent-tray logs ${dep}), or raise startTimeoutMs of ${name} (default ${DEFAULT_START_TIMEOUT_MS} ms)` : `See why ${dep} failed (agent-tray logs ${dep}), then start ${name} again`,
        details: { name, dependency: outcome.dependency },
      });
      if (current) {
        rt.lastError = { message: outcome.message, at: Date.now(), exitCode: null, signal: null, stderr: [] };
        this.transition(rt, 'errored', { kind: 'policy', message: `${name} was not started: ${outcome.message}` });
      }
      throw err;
    });
  }

  /** A person's stop (or kill) of a waiting agent: the wait ends, nothing more is started (the dependencies started so far keep running). */
  protected stopWaiting(rt: Runtime, immediate: boolean, reason?: TransitionReason): void {
    const waitedFor = describeWaitingFor(rt.wait?.unmet() ?? []);
    rt.wait?.cancel();
    rt.wait = null;
    this.transition(rt, 'stopped', reason ?? { kind: 'user', message: `${immediate ? 'kill' : 'stop'} requested while it waited for ${waitedFor || 'its dependencies'}` }, 'stopped');
  }
}
