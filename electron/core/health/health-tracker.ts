// The health state of one run of an agent, from the probe results recorded so far. Pure: the
// time comes with each result (`at`) and with the run's start.
import type { HealthState, ProbeResult } from '../../../shared/status.js';

/** The thresholds a tracker applies (a subset of ResolvedHealth). */
export interface HealthTrackerPolicy {
  startPeriodMs: number;
  failureThreshold: number;
  successThreshold: number;
}

/** A change of the health state. */
export interface HealthChange {
  from: HealthState;
  to: HealthState;
}

/** How many results a tracker keeps. */
const HISTORY = 100;

/**
 * The rules, as Docker's HEALTHCHECK has them:
 * - the state starts 'starting';
 * - `successThreshold` consecutive successes make it 'healthy' (from starting or unhealthy);
 * - `failureThreshold` consecutive failures make it 'unhealthy' (from starting or healthy);
 * - a failure during the start period (`at` < startedAt + startPeriodMs) does not count while the
 *   agent has not been healthy yet; once it has been, the grace is over and every failure counts.
 */
export class HealthTracker {
  #state: HealthState = 'starting';
  #failures = 0;
  #successes = 0;
  #everHealthy = false;
  readonly #results: ProbeResult[] = [];
  readonly #policy: HealthTrackerPolicy;
  readonly #graceEndsAt: number;

  constructor(policy: HealthTrackerPolicy, startedAt: number) {
    this.#policy = {
      startPeriodMs: Math.max(0, policy.startPeriodMs),
      failureThreshold: Math.max(1, policy.failureThreshold),
      successThreshold: Math.max(1, policy.successThreshold),
    };
    this.#graceEndsAt = startedAt + this.#policy.startPeriodMs;
  }

  /** The current health state. */
  get state(): HealthState {
    return this.#state;
  }

  /** Failures in a row that counted (failures in the start period do not). */
  get consecutiveFailures(): number {
    return this.#failures;
  }

  /** Successes in a row. */
  get consecutiveSuccesses(): number {
    return this.#successes;
  }

  /** Records one probe result; returns the state change it caused, or null. */
  record(result: ProbeResult): HealthChange | null {
    this.#results.push(result);
    if (this.#results.length > HISTORY) this.#results.shift();

    let next = this.#state;
    if (result.ok) {
      this.#failures = 0;
      this.#successes += 1;
      if (this.#successes >= this.#policy.successThreshold) next = 'healthy';
    } else {
      this.#successes = 0;
      const inGrace = result.at < this.#graceEndsAt && !this.#everHealthy;
      if (!inGrace) {
        this.#failures += 1;
        if (this.#failures >= this.#policy.failureThreshold) next = 'unhealthy';
      }
    }
    if (next === 'healthy') this.#everHealthy = true;
    if (next === this.#state) return null;
    const change = { from: this.#state, to: next };
    this.#state = next;
    return change;
  }

  /** The last `n` results, oldest first. */
  recent(n = 20): ProbeResult[] {
    return n <= 0 ? [] : this.#results.slice(-n);
  }
}
