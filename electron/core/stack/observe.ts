// The engine's own reading of its event stream for stacks: a run's readiness (its readyLine in
// the lines it prints, its probe turning healthy, or simply running) with a `ready` event once per
// run, and the waits of dependents woken by what happens to their dependencies.
import type { EngineEvent } from '../../../shared/status.js';
import type { Runtime } from '../engine-types.js';
import { failureReason, hasFailed } from './conditions.js';
import { matchReadyLine, readinessMeasure } from './readiness.js';

/** What the observer needs of the engine. */
export interface StackHost {
  readonly runtimes: ReadonlyMap<string, Runtime>;
  emit(event: EngineEvent): void;
  /** Records the agent's state for a next host (its readiness is part of it). */
  persist(rt: Runtime): void;
}

/** Reacts to one engine event: the readiness of the agent it is about, then the waits that depend on that agent. */
export function observeStack(host: StackHost, event: EngineEvent): void {
  if (event.type === 'log' || event.type === 'state' || event.type === 'health-changed') trackReadiness(host, event);
  if (event.type === 'state' || event.type === 'health-changed' || event.type === 'ready') wakeWaits(host, event);
}

/** Marks the run ready when the event shows it, and announces it once the agent runs. */
function trackReadiness(host: StackHost, event: Extract<EngineEvent, { type: 'log' | 'state' | 'health-changed' }>): void {
  const rt = host.runtimes.get(event.name);
  if (!rt) return;
  const r = rt.readiness;
  const measure = readinessMeasure(rt.def, r, rt.outputCaptured);
  if (r.at === null) {
    if (event.type === 'log') {
      if (measure !== 'line' || (rt.state !== 'starting' && rt.state !== 'running')) return;
      const hit = matchReadyLine(r, event.lines);
      if (!hit) return;
      r.at = hit.at;
      r.line = hit.text;
      host.persist(rt);
    } else if (event.type === 'health-changed') {
      if (measure !== 'healthy' || event.to !== 'healthy' || rt.state !== 'running') return;
      r.at = event.at;
    } else {
      if (measure !== 'running' || event.to !== 'running') return;
      r.at = event.at;
    }
  }
  // a line printed before the `running` transition is announced with it
  if (r.at !== null && !r.announced && rt.state === 'running') {
    r.announced = true;
    host.emit({ type: 'ready', name: event.name, at: r.at, line: r.line });
  }
}

/** Looks again at every wait that depends on the agent the event is about. */
function wakeWaits(host: StackHost, event: Extract<EngineEvent, { type: 'state' | 'health-changed' | 'ready' }>): void {
  for (const rt of host.runtimes.values()) {
    const wait = rt.wait;
    if (!wait || wait.done || !wait.involves(event.name)) continue;
    if (event.type === 'state' && hasFailed(event.to)) wait.dependencyFailed(event.name, failureReason(event.name, event.to, event.status.lastError, event.reason.message));
    else wait.check();
  }
}
