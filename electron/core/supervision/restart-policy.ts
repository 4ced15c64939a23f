// The restart policy as a pure decision: after an agent's process exits on its own, restart it
// (after a backoff that grows with each crash, with jitter), give up (more than maxRestarts inside
// windowMs, as an OTP supervisor does), or leave it stopped.
import type { RestartSettings } from '../../../shared/agent.js';

export interface ResolvedRestart {
  policy: 'no' | 'on-failure' | 'always';
  maxRestarts: number;
  windowMs: number;
  stableMs: number;
  backoff: { initialMs: number; factor: number; maxMs: number };
}

export const RESTART_DEFAULTS: ResolvedRestart = {
  policy: 'on-failure',
  maxRestarts: 5,
  windowMs: 60_000,
  stableMs: 30_000,
  backoff: { initialMs: 1_000, factor: 2, maxMs: 30_000 },
};

/** An agent's restart settings over the defaults (the settings' defaults over the built-in ones). */
export function resolveRestart(settings: RestartSettings | undefined, defaults: RestartSettings | undefined = undefined): ResolvedRestart {
  const base = RESTART_DEFAULTS;
  const pick = <K extends keyof RestartSettings>(k: K) => settings?.[k] ?? defaults?.[k];
  return {
    policy: pick('policy') ?? base.policy,
    maxRestarts: pick('maxRestarts') ?? base.maxRestarts,
    windowMs: pick('windowMs') ?? base.windowMs,
    stableMs: pick('stableMs') ?? base.stableMs,
    backoff: {
      initialMs: settings?.backoff?.initialMs ?? defaults?.backoff?.initialMs ?? base.backoff.initialMs,
      factor: settings?.backoff?.factor ?? defaults?.backoff?.factor ?? base.backoff.factor,
      maxMs: settings?.backoff?.maxMs ?? defaults?.backoff?.maxMs ?? base.backoff.maxMs,
    },
  };
}

/** What the policy remembers between crashes of one agent (reset when a person starts it). */
export interface CrashHistory {
  /** When each automatic restart after a crash happened (epoch ms). */
  restartTimes: number[];
  /** Crash restarts since the agent last ran stableMs without crashing: the backoff exponent. */
  attempt: number;
}

export const EMPTY_HISTORY: CrashHistory = { restartTimes: [], attempt: 0 };

export type ExitDecision =
  | { action: 'leave' }
  | { action: 'give-up'; restartsInWindow: number }
  | { action: 'restart'; delayMs: number; history: CrashHistory; restartsInWindow: number };

/** The backoff before restart number `attempt` (0-based): initial × factor^attempt, capped, ±20 % jitter, never over maxMs. */
export function backoffDelay(backoff: ResolvedRestart['backoff'], attempt: number, random: () => number = Math.random): number {
  const raw = Math.min(backoff.maxMs, backoff.initialMs * backoff.factor ** attempt);
  const jittered = raw * (0.8 + 0.4 * random());
  return Math.round(Math.min(backoff.maxMs, jittered));
}

/** True when the exit was clean (code 0, no signal). */
export function cleanExit(exitCode: number | null, signal: string | null): boolean {
  return exitCode === 0 && signal === null;
}

/** Decides what follows an exit the person did not ask for. `ranForMs`: how long the run lasted. */
export function decideAfterExit(
  policy: ResolvedRestart,
  exit: { exitCode: number | null; signal: string | null },
  history: CrashHistory,
  now: number,
  ranForMs: number,
  random: () => number = Math.random,
): ExitDecision {
  const clean = cleanExit(exit.exitCode, exit.signal);
  if (policy.policy === 'no' || (policy.policy === 'on-failure' && clean)) return { action: 'leave' };
  const recent = history.restartTimes.filter((t) => t > now - policy.windowMs);
  if (recent.length >= policy.maxRestarts) return { action: 'give-up', restartsInWindow: recent.length };
  const attempt = ranForMs >= policy.stableMs ? 0 : history.attempt;
  return {
    action: 'restart',
    delayMs: backoffDelay(policy.backoff, attempt, random),
    history: { restartTimes: [...recent, now], attempt: attempt + 1 },
    restartsInWindow: recent.length + 1,
  };
}
