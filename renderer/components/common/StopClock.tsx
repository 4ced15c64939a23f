// Where a waiting stop stands, ticking: "Asked to stop 4s ago; forcing in 6s". Shown only while
// the agent is stopping and its host says how far the stop got; host times are turned into this
// window's with the store's clock offset.
import type { AgentStatus, StopProgress } from '../../../shared/status.js';
import { useTray } from '../../store/react.js';
import { stopClockText } from '../../store/stop-clock.js';
import { useStopTick } from './use-stop-tick.js';
import './stop-clock.css';

/** The clock of agent `status.name`'s stop, or nothing when it is not stopping. */
export function StopClock({ status, className }: { status: AgentStatus; className?: string }) {
  return status.state === 'stopping' && status.stopping ? <Ticking stop={status.stopping} className={className} /> : null;
}

/** The line itself: subscribes to the shared one-second tick while mounted. */
function Ticking({ stop, className }: { stop: StopProgress; className?: string | undefined }) {
  const offset = useTray((s) => s.agents.clockOffsetMs);
  useStopTick();
  const text = stopClockText(stop, Date.now() + offset);
  return (
    <span className={className ? `stop-clock ${className}` : 'stop-clock'} data-phase={stop.phase} title={text}>
      {text}
    </span>
  );
}
