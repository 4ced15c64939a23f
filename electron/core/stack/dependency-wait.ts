// One start waiting for its dependencies: which conditions still do not hold (asked afresh each
// time, so a status is never stale), and how the wait ended: every condition met, a dependency
// failed, the start timeout passed, or it was cancelled (a person's stop, the host closing).
import type { DependencyCondition } from '../../../shared/agent.js';
import { conditionMet, describeWaitingFor, seconds, type DependencyView, type WaitingFor } from './conditions.js';

export type WaitOutcome =
  | { kind: 'met'; conditions: WaitingFor[] }
  | { kind: 'failed'; message: string; timedOut: boolean; dependency: string | null }
  | { kind: 'cancelled' };

export interface DependencyWaitOptions {
  dependsOn: Readonly<Record<string, DependencyCondition>>;
  timeoutMs: number;
  /** What the engine knows of a dependency now; null when it is not defined. */
  view: (agent: string) => DependencyView | null;
}

export class DependencyWait {
  /** When the start was asked for: `completed` needs a run that ended after it. */
  readonly requestedAt = Date.now();
  readonly outcome: Promise<WaitOutcome>;
  /** A wait carried on from a previous host starts its dependencies only once discovery has taken back what still runs. */
  startsDeferred = false;
  private settled: WaitOutcome | null = null;
  private resolve!: (outcome: WaitOutcome) => void;
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly opts: DependencyWaitOptions) {
    this.outcome = new Promise((resolve) => (this.resolve = resolve));
    this.timer = setTimeout(() => this.expire(), opts.timeoutMs);
    this.timer.unref();
  }

  /** Every condition, in the order the definition gives them. */
  conditions(): WaitingFor[] {
    return Object.entries(this.opts.dependsOn).map(([agent, condition]) => ({ agent, condition }));
  }

  /** The conditions that do not hold now. */
  unmet(): WaitingFor[] {
    return this.conditions().filter((c) => {
      const view = this.opts.view(c.agent);
      return !view || !conditionMet(c.condition, view, this.requestedAt);
    });
  }

  /** True when `agent` is one of its dependencies. */
  involves(agent: string): boolean {
    return Object.hasOwn(this.opts.dependsOn, agent);
  }

  /** True once it has ended, whichever way. */
  get done(): boolean {
    return this.settled !== null;
  }

  /** Looks again (a dependency changed): ends the wait when every condition holds. */
  check(): void {
    if (!this.settled && this.unmet().length === 0) this.settle({ kind: 'met', conditions: this.conditions() });
  }

  /** A dependency failed (crashed, errored, could not be started): the wait ends with its reason. */
  dependencyFailed(agent: string, reason: string): void {
    if (this.involves(agent)) this.settle({ kind: 'failed', message: reason, timedOut: false, dependency: agent });
  }

  /** A person's stop, or the host closing: the wait ends and nothing is started. */
  cancel(): void {
    this.settle({ kind: 'cancelled' });
  }

  private expire(): void {
    const unmet = this.unmet();
    this.settle({ kind: 'failed', message: `waited ${seconds(this.opts.timeoutMs)} for ${describeWaitingFor(unmet.length ? unmet : this.conditions())}`, timedOut: true, dependency: unmet[0]?.agent ?? null });
  }

  private settle(outcome: WaitOutcome): void {
    if (this.settled) return;
    this.settled = outcome;
    clearTimeout(this.timer);
    this.resolve(outcome);
  }
}
