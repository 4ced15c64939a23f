// An agent's health on its page: the state and score where a probe stands behind them, what the
// probe asks, the last probe's answer, and the recent probes the window heard of;
// without a probe, no health word and no score, and a way to add one.
import { useMemo } from 'react';
import type { AgentDefinitionInput } from '../../../shared/agent.js';
import type { AgentStatus } from '../../../shared/status.js';
import { lastProbeText, probeText } from '../../store/health.js';
import { useNow, useTray, useTrayActions } from '../../store/react.js';
import { formatWhen } from './display.js';
import { HealthWord } from './HealthWord.js';

/** How many reported probes are listed. */
const LIST_LENGTH = 10;

/** The probe the agent has: its status says (hosts that supervise); else its definition, once loaded, may say it has none. */
function probeOf(status: AgentStatus, definition: AgentDefinitionInput | null): AgentStatus['probe'] {
  if (status.probe !== undefined) return status.probe;
  return definition !== null && !definition.health && status.health === 'unknown' ? null : undefined;
}

/** The Health section of agent `status.name`. */
export function HealthSection({ status, definition }: { status: AgentStatus; definition: AgentDefinitionInput | null }) {
  const probes = useTray((s) => s.agents.probes[status.name]);
  const actions = useTrayActions();
  // "12 s ago" needs a finer clock than the rest of the overview
  const now = useTray((s) => s.agents.clockOffsetMs) + useNow(1000);
  const recent = useMemo(() => (probes ?? []).slice(-LIST_LENGTH).reverse(), [probes]);
  const probe = probeOf(status, definition);
  const shown: AgentStatus = { ...status, probe };
  return (
    <section className="detail-section detail-health-section" aria-label="Health">
      <h3>Health</h3>
      {probe === null ? (
        <>
          {status.health === 'zombie' && (
            <p>
              <HealthWord status={shown} />
            </p>
          )}
          <p className="muted detail-health-none">
            No health check.{' '}
            <button type="button" className="link" onClick={() => actions.openEditor({ mode: 'edit', name: status.name, template: null })}>
              Add one in the editor
            </button>{' '}
            (a URL that answers 2xx; tcp and command probes in its JSON).
          </p>
        </>
      ) : (
        <>
          <p>
            <HealthWord status={shown} />
          </p>
          {probe && (
            <>
              <p className="detail-last-probe">{lastProbeText(status, probe, probes?.at(-1), now)}</p>
              <p className="muted detail-probe-what">
                Probe: {probeText(probe)}.
              </p>
            </>
          )}
        </>
      )}
      {recent.length > 0 ? (
        <ul className="detail-list detail-probes" aria-label="Recent probes">
          {recent.map((p, i) => (
            <li key={`${p.at}-${i}`} className={p.ok ? 'detail-probe detail-probe--ok' : 'detail-probe detail-probe--failed'}>
              <span className="detail-list__time">{formatWhen(p.at, now)}</span>
              <span className="detail-probe__result">{p.ok ? 'ok' : 'failed'}</span>
              <span className="detail-list__text">{p.detail}</span>
              <span className="muted detail-list__num">{Math.round(p.durationMs)} ms</span>
            </li>
          ))}
        </ul>
      ) : (
        probe === undefined && <p className="muted">No probe results since this window opened.</p>
      )}
    </section>
  );
}
