// The supervisor: watches every running agent — one sampler for all of them, a health checker
// for each that has a probe, its limits on every sample — and acts through the engine: a failed
// health check or a breached limit restarts or stops the agent with its own reason.
import type { AgentDefinition, Limits } from '../../../shared/agent.js';
import type { EngineEvent, HealthState, ProbeResult, ProbeSummary, ResourceSample, TransitionReason, Violation } from '../../../shared/status.js';
import type { Engine, SupervisionStatus } from '../engine.js';
import { HealthChecker } from '../health/health-checker.js';
import { resolveHealth, type HealthPolicy, type ResolvedHealth } from '../health/health-defaults.js';
import { healthScore } from '../health/health-score.js';
import { probeSummary } from '../health/probe-summary.js';
import { evaluateLimits, newLimitTracker, type LimitTracker } from '../monitor/limits.js';
import { describeTrend, memoryTrend } from '../monitor/memory-trend.js';
import { Sampler } from '../monitor/sampler.js';
import { probeOnInternalPort } from '../on-demand/probe-port.js';

export interface SupervisorOptions {
  sampleIntervalMs?: number;
  /** Health timings for agents that do not set their own. */
  healthDefaults?: Partial<HealthPolicy>;
  /** Limits for agents that do not set their own (field by field). */
  limitsDefaults?: Limits;
  platform?: NodeJS.Platform;
  /** Warn when memory will reach its limit within this many minutes (default 10). */
  forecastMinutes?: number;
}

/** What the supervisor keeps per agent. */
interface Watch {
  checker: HealthChecker | null;
  health: HealthState;
  /** The health the checker last reported (what to go back to when a zombie is gone). */
  probed: HealthState;
  lastProbe: ProbeResult | null;
  limits: LimitTracker;
  runStartedAt: number;
  violations: Violation[];
  /** An action (restart, stop) is under way: no second one until the next run. */
  acting: boolean;
}

const WINDOW_MS = 10 * 60_000;

export class Supervisor {
  readonly sampler: Sampler;
  private readonly watches = new Map<string, Watch>();
  private readonly off: () => void;

  constructor(
    private readonly engine: Engine,
    private readonly opts: SupervisorOptions = {},
  ) {
    this.sampler = new Sampler({
      ...(opts.sampleIntervalMs ? { intervalMs: opts.sampleIntervalMs } : {}),
      ...(opts.platform ? { platform: opts.platform } : {}),
      onSample: (name, sample, extra) => this.onSample(name, sample, extra.zombiePids),
      onError: () => undefined, // a failed tick is retried on the next one
    });
    engine.setSupervisionStatus((name) => this.statusOf(name));
    this.off = engine.subscribe((e) => this.onEvent(e));
  }

  /** The resource history of an agent since `sinceMs`. */
  history(name: string, sinceMs = 0): ResourceSample[] {
    return this.sampler.history(name, sinceMs);
  }

  /** The limit breaches since a person last started the agent. */
  violations(name: string): Violation[] {
    return [...(this.watches.get(name)?.violations ?? [])];
  }

  /** Gives a stopped agent's resource history and violations to its new name (a rename); nothing happens while it runs. */
  rename(from: string, to: string): void {
    const w = this.watches.get(from);
    if (w?.checker) return;
    this.sampler.rename(from, to);
    if (!w) return;
    this.watches.delete(from);
    this.watches.set(to, w);
  }

  /** "researcher will reach its 2 GB limit in about 6 minutes", when that is soon. */
  memoryForecast(name: string): { message: string } | null {
    const limit = this.limitsOf(this.engine.effectiveDefinition(name)).maxMemoryMB;
    if (!limit) return null;
    const trend = memoryTrend(this.sampler.history(name), limit);
    if (trend.minutesToLimit === null || trend.minutesToLimit > (this.opts.forecastMinutes ?? 10)) return null;
    return { message: describeTrend(name, limit, trend.minutesToLimit) };
  }

  /** Changes how often resources are read. */
  setSampleInterval(ms: number): void {
    this.sampler.setIntervalMs(ms);
  }

  /** Stops every timer and checker; agents are left as they are. */
  close(): void {
    this.off();
    for (const w of this.watches.values()) w.checker?.stop();
    this.sampler.close();
  }

  private limitsOf(def: AgentDefinition): Limits {
    return { ...this.opts.limitsDefaults, ...def.limits };
  }

  private statusOf(name: string): SupervisionStatus {
    const w = this.watches.get(name);
    const status = { health: w?.health ?? ('unknown' as HealthState), violations: w?.violations.length ?? 0, stats: this.sampler.isWatching(name) ? this.sampler.latest(name) : null };
    const since = Date.now() - WINDOW_MS;
    const score = healthScore({
      state: status.health,
      recent: w?.checker?.tracker.recent() ?? [],
      restartsInWindow: this.restartsInWindow(name),
      violationsInWindow: w?.violations.filter((v) => v.at > since).length ?? 0,
    });
    return { ...status, healthScore: score, probe: this.probeOf(name), lastProbe: w?.lastProbe ?? null };
  }

  /** The agent's probe as its status shows it; null when it has none (or is no longer known). */
  private probeOf(name: string): ProbeSummary | null {
    try {
      return probeSummary(this.engine.effectiveDefinition(name), this.opts.healthDefaults);
    } catch {
      return null; // an agent removed while it ran, whose last health change comes after it was forgotten
    }
  }

  private restartsInWindow(name: string): number {
    // the engine counts automatic restarts since the person's last start; that is the window we have
    try {
      return this.engine.restartCount(name); // not status(): that asks this supervisor again, in a loop
    } catch {
      return 0;
    }
  }

  private onEvent(e: EngineEvent): void {
    if (e.type !== 'state') return;
    if (e.to === 'running') this.begin(e.name, e.status.pid, e.status.startedAt ?? Date.now(), e.lifecycle === 'started');
    else if (e.from === 'running') this.end(e.name);
  }

  /** A run began: sample it, probe it, start its limits afresh. */
  private begin(name: string, pid: number | null, startedAt: number, byPerson: boolean): void {
    const previous = this.watches.get(name);
    previous?.checker?.stop();
    const def = this.engine.effectiveDefinition(name);
    const health = this.healthOf(name, def);
    const w: Watch = {
      checker: null,
      health: health ? 'starting' : 'unknown',
      probed: health ? 'starting' : 'unknown',
      lastProbe: null,
      limits: newLimitTracker(),
      runStartedAt: startedAt,
      violations: byPerson ? [] : (previous?.violations ?? []),
      acting: false,
    };
    this.watches.set(name, w);
    if (pid !== null) this.sampler.watch(name, pid);
    if (health) {
      const { cwd, env } = this.engine.runContext(name);
      w.checker = new HealthChecker({
        health,
        cwd,
        env,
        startedAt: Date.now(),
        onResult: (result, change) => this.onProbe(name, w, result, change, health.restartOnFailure),
      });
      w.checker.start();
    }
  }

  /** The agent's health check for this run; an on-demand agent's probe aims at its internal port, not at the relay. */
  private healthOf(name: string, def: AgentDefinition): ResolvedHealth | null {
    const health = def.health ? resolveHealth(def.health, this.opts.healthDefaults) : null;
    const internal = this.engine.internalPort(name);
    if (!health || !def.onDemand || def.port === undefined || internal === null) return health;
    return { ...health, probe: probeOnInternalPort(health.probe, def.port, internal) };
  }

  /** A run ended: stop watching it; its history and violations stay readable. */
  private end(name: string): void {
    const w = this.watches.get(name);
    this.sampler.unwatch(name);
    if (!w) return;
    w.checker?.stop();
    w.checker = null;
    this.setHealth(name, w, 'unknown', null);
  }

  private setHealth(name: string, w: Watch, to: HealthState, probe: ProbeResult | null): void {
    const from = w.health;
    if (from === to) return;
    w.health = to;
    this.engine.publish({ type: 'health-changed', name, from, to, score: this.statusOf(name).healthScore, probe, at: Date.now() });
  }

  private onProbe(name: string, w: Watch, result: ProbeResult, change: { from: HealthState; to: HealthState } | null, restartOnFailure: boolean): void {
    if (this.watches.get(name) !== w) return; // a probe of an earlier run
    w.lastProbe = result;
    this.engine.publish({ type: 'probe', name, probe: result });
    if (!change) return;
    w.probed = change.to;
    if (w.health !== 'zombie') this.setHealth(name, w, change.to, result);
    if (change.to === 'unhealthy' && restartOnFailure) this.act(name, w, 'restart', { kind: 'health', message: `${name} is unhealthy (${result.detail}); restarting it` });
  }

  private onSample(name: string, sample: ResourceSample, zombiePids: number[]): void {
    const w = this.watches.get(name);
    if (!w) return;
    this.engine.publish({ type: 'stats', name, sample });
    if (zombiePids.length > 0) this.setHealth(name, w, 'zombie', null);
    else if (w.health === 'zombie') this.setHealth(name, w, w.probed, w.lastProbe);

    const limits = this.limitsOf(this.engine.effectiveDefinition(name));
    const { violations, tracker } = evaluateLimits(limits, sample, w.runStartedAt, w.limits);
    w.limits = tracker;
    for (const violation of violations) {
      w.violations.push(violation);
      this.engine.publish({ type: 'limit-violated', name, violation });
      if (violation.action !== 'warn') this.act(name, w, violation.action, { kind: 'limit', message: `${name}: ${violation.message}; ${violation.action === 'restart' ? 'restarting' : 'stopping'} it` });
    }
  }

  /** Restarts or stops the agent once for this run. */
  private act(name: string, w: Watch, action: 'restart' | 'stop', reason: TransitionReason): void {
    if (w.acting) return;
    w.acting = true;
    const done = action === 'restart' ? this.engine.restartFor(name, reason) : this.engine.stopFor(name, reason);
    done.catch(() => undefined); // the engine reports failures as state changes
  }
}
