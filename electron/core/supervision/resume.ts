// What a new host does with the supervision state a previous host left for an agent whose process
// is not running any more (run-state.ts): a pending retry goes on at its time; a crash or a failed
// start stays, with its reason; a start waiting for its dependencies waits again; a run (or a start under way) that ended while no host watched is
// an exit of unknown status, which the restart policy judges like any other.
import type { LastError } from '../../../shared/status.js';
import type { PersistedState } from '../run-state.js';
import { decideAfterExit, type CrashHistory, type ResolvedRestart } from './restart-policy.js';

export type ResumeDecision =
  | { action: 'none' }
  | { action: 'restore'; to: 'crashed' | 'errored'; message: string; lastError: LastError | null; crashes: CrashHistory }
  | { action: 'retry'; delayMs: number; message: string; lastError: LastError | null; crashes: CrashHistory }
  | { action: 'wait'; message: string; lastError: LastError | null; crashes: CrashHistory };

const CARRIED = 'carried on from before Agent Tray restarted';

/** Decides how supervision of `name` goes on from `saved` at time `now`, under `policy`. */
export function resumeDecision(name: string, saved: PersistedState, policy: ResolvedRestart, now: number, random?: () => number): ResumeDecision {
  if (saved.state === 'crashed' || saved.state === 'errored') {
    return { action: 'restore', to: saved.state, message: `${name} is ${saved.state}${saved.lastError ? `: ${saved.lastError.message}` : ''} (${CARRIED})`, lastError: saved.lastError, crashes: saved.crashes };
  }
  if (saved.state === 'waiting') {
    return { action: 'wait', message: `${name} was waiting for its dependencies; it waits again (${CARRIED})`, lastError: saved.lastError, crashes: saved.crashes };
  }
  if (saved.state === 'backoff') {
    const delayMs = Math.max(0, (saved.nextAttemptAt ?? now) - now);
    return { action: 'retry', delayMs, message: `${name} was waiting to restart; restarting in ${(delayMs / 1000).toFixed(1)} s (${CARRIED})`, lastError: saved.lastError, crashes: saved.crashes };
  }
  const how = saved.state === 'starting' ? 'was being started when Agent Tray stopped, and is not running' : 'exited while Agent Tray was not running (its exit status is unknown)';
  const lastError: LastError = { message: `${name} ${how}`, at: now, exitCode: null, signal: null, stderr: [] };
  const decision = decideAfterExit(policy, { exitCode: null, signal: null }, saved.crashes, now, now - saved.at, random);
  if (decision.action === 'leave') return { action: 'none' };
  const window = `${Math.round(policy.windowMs / 1000)} s`;
  if (decision.action === 'give-up') {
    return { action: 'restore', to: 'crashed', message: `${name} ${how}; gave up after ${decision.restartsInWindow} restarts within ${window}`, lastError, crashes: saved.crashes };
  }
  return {
    action: 'retry',
    delayMs: decision.delayMs,
    message: `${name} ${how}; restarting in ${(decision.delayMs / 1000).toFixed(1)} s (${decision.restartsInWindow} of ${policy.maxRestarts} in ${window})`,
    lastError,
    crashes: decision.history,
  };
}
