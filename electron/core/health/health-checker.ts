// Runs an agent's health probe on its schedule (one probe at a time, the next intervalMs after
// the previous one finished), records each result in a HealthTracker and reports it.
import type { HealthState, ProbeResult } from '../../../shared/status.js';
import type { HealthProbe, ResolvedHealth } from './health-defaults.js';
import { HealthTracker, type HealthChange } from './health-tracker.js';
import { runProbe, type ProbeOptions } from './probes.js';

export interface HealthCheckerOptions {
  health: ResolvedHealth;
  /** The agent's working directory and environment, for a command probe. */
  cwd: string;
  env: Record<string, string>;
  /** When the agent's run started (on the clock of `now`): the start period counts from here. */
  startedAt: number;
  /** Called after every probe, with the state change it caused (or null); never after stop(). */
  onResult: (result: ProbeResult, change: HealthChange | null, tracker: HealthTracker) => void;
  /** The clock that stamps each result's `at` (when the probe began). Default Date.now. */
  now?: () => number;
  /** The probe runner (tests may give their own). Default runProbe. */
  runProbe?: (probe: HealthProbe, opts: ProbeOptions) => Promise<ProbeResult>;
}

/** One agent run's health checks. start() once; stop() ends it for good. */
export class HealthChecker {
  readonly tracker: HealthTracker;
  readonly #opts: HealthCheckerOptions;
  readonly #now: () => number;
  readonly #run: (probe: HealthProbe, opts: ProbeOptions) => Promise<ProbeResult>;
  #started = false;
  #stopped = false;
  #timer: NodeJS.Timeout | null = null;
  #inFlight: AbortController | null = null;

  constructor(opts: HealthCheckerOptions) {
    this.#opts = opts;
    this.#now = opts.now ?? Date.now;
    this.#run = opts.runProbe ?? runProbe;
    this.tracker = new HealthTracker(opts.health, opts.startedAt);
  }

  /** The current health state. */
  get state(): HealthState {
    return this.tracker.state;
  }

  /** Whether stop() has been called. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Runs the first probe at once, then one every intervalMs after the previous finished; a second call does nothing. */
  start(): void {
    if (this.#started || this.#stopped) return;
    this.#started = true;
    void this.#probe();
  }

  /** Stops the checks: no timer left, a probe in flight is abandoned and its result ignored, no callback after this. */
  stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#inFlight?.abort();
    this.#inFlight = null;
  }

  /** Runs one probe, reports it, and schedules the next. */
  async #probe(): Promise<void> {
    this.#timer = null;
    if (this.#stopped) return;
    const controller = new AbortController();
    this.#inFlight = controller;
    const at = this.#now();
    const { health, cwd, env } = this.#opts;
    let result: ProbeResult;
    try {
      result = await this.#run(health.probe, { timeoutMs: health.timeoutMs, cwd, env, signal: controller.signal });
    } catch (error) {
      // runProbe never rejects; an injected runner might
      result = { at, ok: false, durationMs: 0, detail: `probe failed: ${error instanceof Error ? error.message : String(error)}` };
    }
    if (this.#stopped || controller.signal.aborted) return;
    this.#inFlight = null;
    result = { ...result, at };
    const change = this.tracker.record(result);
    try {
      this.#opts.onResult(result, change, this.tracker);
    } finally {
      // a throwing callback does not end the checks (its error still surfaces as a rejection)
      if (!this.#stopped) {
        this.#timer = setTimeout(() => void this.#probe(), health.intervalMs);
        this.#timer.unref();
      }
    }
  }
}
