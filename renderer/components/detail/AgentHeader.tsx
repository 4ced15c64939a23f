// The top of an agent's page: its name and state (and what it waits for), its groups, the facts a
// person checks first (pid, port, uptime, restarts, health), and its actions.
import type { ReactNode } from 'react';
import type { AgentStatus } from '../../../shared/status.js';
import { formatUptime, NO_VALUE } from '../../store/format.js';
import { useNow, useTray } from '../../store/react.js';
import { anyGpuInUse, gpuText, hostNow, stateColour, uptimeOf } from '../../store/selectors.js';
import { onDemandText } from '../../store/on-demand.js';
import { waitingText } from '../../store/stacks.js';
import { StopClock } from '../common/StopClock.js';
import { AgentActions } from './AgentActions.js';
import { HealthWord } from './HealthWord.js';

/** One fact of the header. */
function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="detail-fact">
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** Where the agent's URL came from, for the link's hover text. */
function urlTitle(status: AgentStatus): string {
  if (status.urlSource === 'definition') return 'The url in its definition';
  if (status.urlSource === 'output') return 'The first local address it printed in this run';
  return 'Its port on this machine';
}

/** The header of agent `status.name`. */
export function AgentHeader({ status }: { status: AgentStatus }) {
  const localNow = useNow(1000);
  // uptimes are measured on the host's clock
  const now = useTray((s) => hostNow(s.agents, localNow));
  const uptime = uptimeOf(status, now);
  const colour = stateColour(status.state);
  const byName = useTray((s) => s.agents.byName);
  const waiting = waitingText(status, byName);
  // GPU memory only while some agent uses it, as the list's GPU column: on a machine without one the header stays as it was
  const showGpu = useTray((s) => anyGpuInUse(Object.values(s.agents.byName)));
  return (
    <header className="detail-header">
      <div className="detail-header__title">
        <h2 className="detail-name">{status.name}</h2>
        <span className={`detail-state detail-state--${colour}`} data-state={status.state}>
          {status.state}
        </span>
        {status.state === 'backoff' && status.nextAttemptAt !== null && <span className="muted">next start in {formatUptime(status.nextAttemptAt - now)}</span>}
        {waiting && <span className="detail-waiting">{waiting}</span>}
        <StopClock status={status} />
        {(status.groups ?? []).map((g) => (
          <span key={g} className="detail-tag" title={`In group ${g}`}>
            {g}
          </span>
        ))}
        {status.removed && (
          <span className="detail-tag" title="No longer in agents.json; it is dropped when it stops">
            removed
          </span>
        )}
        {status.adopted && (
          <span className="detail-tag" title="Found running after Agent Tray started and taken back under supervision">
            adopted
          </span>
        )}
      </div>
      <dl className="detail-facts">
        <Fact label="PID">{status.pid ?? NO_VALUE}</Fact>
        <Fact label="Port">{status.port ?? NO_VALUE}</Fact>
        {status.url ? (
          <Fact label="Serves">
            <a className="detail-open" href={status.url} target="_blank" rel="noopener noreferrer" title={urlTitle(status)}>
              Open {status.url}
            </a>
          </Fact>
        ) : null}
        {status.onDemand ? <Fact label="On demand">{onDemandText(status, now)}</Fact> : null}
        {showGpu ? <Fact label="GPU">{gpuText(status, uptime !== null)}</Fact> : null}
        <Fact label="Uptime">{uptime === null ? NO_VALUE : formatUptime(uptime)}</Fact>
        <Fact label="Restarts">{status.restarts}</Fact>
        <Fact label="Health">
          <HealthWord status={status} />
        </Fact>
      </dl>
      {status.removed && (
        <p className="detail-warning" role="note">
          Removed from agents.json: it keeps running until it is stopped, and then it is gone from this list.
        </p>
      )}
      {status.conflict && <p className="detail-warning">{status.conflict.message}</p>}
      {status.onDemand?.problem && (
        <p className="detail-warning" role="alert">
          On demand: {status.onDemand.problem}
        </p>
      )}
      <AgentActions status={status} />
    </header>
  );
}
