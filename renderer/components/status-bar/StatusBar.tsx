// The status bar, always visible and one row high: one badge per agent (coloured by state, uptime
// while running, what a waiting agent waits for, click to start or stop, details on hover), failing
// and waiting ones first, shrinking to dots and "+N more" when the row is full; and Start all, Stop
// all, Refresh. Errors of what was clicked appear right under it, in the API's words.
import { memo, useMemo, useRef } from 'react';
import { useNow, useTray, useTrayActions } from '../../store/react.js';
import { actionKey, agentList, badgeModel, errorFor, hostNow, isPending, summaryCounts } from '../../store/selectors.js';
import { ErrorNote } from '../common/ErrorNote.js';
import { AgentBadge, BadgeContent } from './AgentBadge.js';
import { orderBadges } from './badge-fit.js';
import { MoreBadges } from './MoreBadges.js';
import { useBadgeFit } from './use-badge-fit.js';
import './status-bar.css';

/** A badge renders again only when its model changes (each second for uptimes), not on every flip of the ui slice. */
const Badge = memo(AgentBadge);

export function StatusBar() {
  const agents = useTray((s) => s.agents);
  const ui = useTray((s) => s.ui);
  const actions = useTrayActions();
  const localNow = useNow(1000);
  const now = hostNow(agents, localNow);
  const list = useMemo(() => agentList(agents), [agents]);
  const badges = useMemo(() => orderBadges(list.map((s) => badgeModel(s, now, agents.byName))), [list, now, agents.byName]);
  const rowRef = useRef<HTMLDivElement>(null);
  const rulerRef = useRef<HTMLDivElement>(null);
  const fit = useBadgeFit(rowRef, rulerRef, badges.length);
  const dot = fit.mode === 'dots';
  const counts = useMemo(() => summaryCounts(list), [list]);

  // errors of the badges (start/stop of one agent) and of the bulk buttons
  const badgeErrors = list.flatMap((s) =>
    (['start', 'stop'] as const).flatMap((action) => {
      const error = errorFor(ui, action, s.name);
      return error ? [{ key: actionKey(action, s.name), label: `${action === 'start' ? 'Start' : 'Stop'} ${s.name}`, error }] : [];
    }),
  );
  const bulkErrors = (['startAll', 'stopAll', 'discover'] as const).flatMap((action) => {
    const error = errorFor(ui, action);
    return error ? [{ key: actionKey(action), label: action === 'startAll' ? 'Start all' : action === 'stopAll' ? 'Stop all' : 'Refresh', error }] : [];
  });
  // an agent's failure that the Start all / Stop all summary already says is not said again under it
  const summarised = new Set(bulkErrors.flatMap((b) => (b.error.failures ?? []).map((f) => `${actionKey(b.key === 'startAll' ? 'start' : 'stop', f.name)}\u0000${f.message}`)));
  const ownErrors = badgeErrors.filter((e) => !summarised.has(`${e.key}\u0000${e.error.message}`));

  return (
    <header className="status-bar" aria-label="Agents at a glance">
      <div ref={rowRef} className="status-bar__badges" role="toolbar" aria-label="Agents">
        {badges.length === 0 ? <span className="muted">No agents yet</span> : null}
        {badges.slice(0, fit.shown).map((b) => (
          <Badge key={b.name} badge={b} dot={dot} />
        ))}
        <MoreBadges rest={badges.slice(fit.shown)} />
      </div>
      <div ref={rulerRef} className="status-bar__ruler" aria-hidden="true">
        {badges.map((b) => (
          <span key={b.name} className={b.className}>
            <BadgeContent badge={b} />
          </span>
        ))}
        <span className="badge badge--grey badge--dot">
          <span className="badge__dot" />
        </span>
        <span className="status-bar__more-button">+{badges.length} more</span>
      </div>
      <div className="status-bar__summary muted" aria-live="polite">
        {counts.total > 0 ? `${counts.running} of ${counts.total} running${counts.byState.waiting ? `, ${counts.byState.waiting} waiting` : ''}${counts.failed ? `, ${counts.failed} failed` : ''}` : ''}
      </div>
      <div className="status-bar__actions">
        <button type="button" onClick={() => void actions.startAll()} disabled={isPending(ui, 'startAll') || counts.total === 0}>
          Start all
        </button>
        <button type="button" onClick={() => void actions.stopAll()} disabled={isPending(ui, 'stopAll') || counts.total === 0}>
          Stop all
        </button>
        <button type="button" onClick={() => void actions.discover()} disabled={isPending(ui, 'discover')} title="Look for agents that run without Agent Tray knowing (after a restart)">
          Refresh
        </button>
      </div>
      {ownErrors.length + bulkErrors.length > 0 ? (
        <div className="status-bar__errors">
          {[...bulkErrors, ...ownErrors].map((e) => (
            <ErrorNote key={e.key} label={e.label} error={e.error} onDismiss={() => actions.dismissError(e.key)} />
          ))}
        </div>
      ) : null}
    </header>
  );
}
