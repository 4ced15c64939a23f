// An agent's health in a few words: the state and its score where a probe stands behind them,
// "no check" where none does (see healthSummary).
import type { AgentStatus } from '../../../shared/status.js';
import { healthSummary } from '../../store/health.js';

/** "healthy score 87/100", "no check", "not checked", "zombie". */
export function HealthWord({ status }: { status: AgentStatus }) {
  const h = healthSummary(status);
  return (
    <>
      <span className={`detail-health detail-health--${h.tone}`} title={h.detail}>
        {h.text}
      </span>
      {h.score !== null && (
        <>
          {' '}
          <span className="muted">score {h.score}/100</span>
        </>
      )}
    </>
  );
}
