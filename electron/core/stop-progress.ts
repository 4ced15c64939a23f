// Where a stop stands (AgentStatus.stopping): the phase it is in and when the kill will be forced,
// as pure steps the engine applies when a stop begins and as each of its phases begins.
import type { StopPhase, StopProgress } from '../../shared/status.js';

const ORDER: Record<StopPhase, number> = { asking: 0, insisting: 1, killing: 2 };

/** A stop that begins at `now`: asking (the kill's time comes with the first request), or killing at once. */
export function beginStopProgress(immediate: boolean, now: number): StopProgress {
  return immediate ? { phase: 'killing', askedAt: now, phaseSince: now, forceAt: now } : { phase: 'asking', askedAt: now, phaseSince: now, forceAt: null };
}

/**
 * The progress after a stop told of `phase` (with when the kill will be forced), or null when
 * nothing changed: a stop never goes back a phase (a kill overtook it), and a repeated phase only
 * brings a new time for the kill.
 */
export function nextStopProgress(current: StopProgress, phase: StopPhase, forceAt: number | null, now: number): StopProgress | null {
  if (ORDER[phase] < ORDER[current.phase]) return null;
  if (phase === current.phase) return phase === 'killing' || forceAt === current.forceAt ? null : { ...current, forceAt };
  return { ...current, phase, phaseSince: now, forceAt };
}
