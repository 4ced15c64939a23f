// What a stop that waits says about itself, from the status's `stopping` and the host's clock:
// "Asked to stop 4s ago; forcing in 6s", "Insisting: asked again 1s ago; forcing in 4s", "Killing…".
import type { StopProgress } from '../../shared/status.js';
import { formatUptime } from './format.js';

/** A wait still to come, rounded up to whole seconds (a kill due in 0.2 s is "in 1s", not "in 0s"). */
function remaining(ms: number): string {
  return formatUptime(Math.ceil(ms / 1000) * 1000);
}

/** When the kill comes: "; forcing in 6s", "; forcing now", or nothing while that time is unknown. */
function forcing(forceAt: number | null, now: number): string {
  if (forceAt === null) return '';
  return forceAt - now > 0 ? `; forcing in ${remaining(forceAt - now)}` : '; forcing now';
}

/** The stop's phase and clock as one line, at host time `now`. */
export function stopClockText(stop: StopProgress, now: number): string {
  switch (stop.phase) {
    case 'asking':
      return `Asked to stop ${formatUptime(now - stop.askedAt)} ago${forcing(stop.forceAt, now)}`;
    case 'insisting':
      return `Insisting: asked again ${formatUptime(now - stop.phaseSince)} ago${forcing(stop.forceAt, now)}`;
    case 'killing':
      return 'Killing…';
  }
}
