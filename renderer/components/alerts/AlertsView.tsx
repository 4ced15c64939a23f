// The alerts: the host's bounded list, newest first, with severity, time and agent; a click on an
// alert about an agent opens that agent and marks the alert read. AlertsBadge counts the unread
// alerts by the host's read flags, so every window shows the same count.
import { useId, useMemo, useState } from 'react';
import type { Alert } from '../../../shared/status.js';
import { useNow, useTray, useTrayActions } from '../../store/react.js';
import { alertsNewestFirst, errorFor } from '../../store/selectors.js';
import { formatAgo } from './relative-time.js';
import { ErrorNote } from '../common/ErrorNote.js';
import './AlertsView.css';

const SEVERITY_TEXT: Record<Alert['severity'], string> = { critical: 'Critical', warning: 'Warning' };

/** The alerts view. */
export function AlertsView() {
  const items = useTray((s) => s.alerts.items);
  const loaded = useTray((s) => s.alerts.loaded);
  const agents = useTray((s) => s.agents.byName);
  const clockOffset = useTray((s) => s.agents.clockOffsetMs);
  const loadError = useTray((s) => errorFor(s.ui, 'alerts'));
  const actions = useTrayActions();
  const now = useNow(15_000) + clockOffset;
  const all = useMemo(() => alertsNewestFirst(items), [items]);
  const [agentFilter, setAgentFilter] = useState('');
  const [severityFilter, setSeverityFilter] = useState('');
  const list = useMemo(() => all.filter((a) => (agentFilter === '' || (a.name ?? '') === agentFilter) && (severityFilter === '' || a.severity === severityFilter)), [all, agentFilter, severityFilter]);
  const agentNames = useMemo(() => [...new Set(all.map((a) => a.name ?? ''))].sort(), [all]);
  const unread = all.filter((a) => !a.read).length;
  const titleId = useId();
  // opening the agent an alert is about acknowledges the alert
  const openAlert = (alert: Alert) => {
    if (!alert.read) void actions.markAlertsRead([alert.id]);
    actions.navigate('agent', alert.name);
  };

  return (
    <section className="alerts-view" aria-labelledby={titleId}>
      <header className="alerts-view__header">
        <h2 id={titleId}>Alerts</h2>
        {all.length > 0 && (
          <span className="muted">
            {list.length === 1 ? '1 alert' : `${list.length} alerts`}, {unread} unread, newest first
          </span>
        )}
        {all.length > 0 && (
          <div className="alerts-view__tools">
            <label>
              Agent{' '}
              <select value={agentFilter} onChange={(e) => setAgentFilter(e.target.value)}>
                <option value="">All</option>
                {agentNames.map((n) => (
                  <option key={n} value={n}>
                    {n === '' ? 'Agent Tray' : n}
                  </option>
                ))}
              </select>
            </label>
            <label>
              Severity{' '}
              <select value={severityFilter} onChange={(e) => setSeverityFilter(e.target.value)}>
                <option value="">All</option>
                <option value="critical">Critical</option>
                <option value="warning">Warning</option>
              </select>
            </label>
            <button type="button" disabled={unread === 0} onClick={() => void actions.markAlertsRead()}>
              Mark all read
            </button>
            <button type="button" onClick={() => void actions.clearAlerts()}>
              Clear
            </button>
          </div>
        )}
      </header>
      {loadError && (
        <ErrorNote error={loadError} className="alerts-view__error">
          <button type="button" onClick={() => void actions.loadAlerts()}>
            Try again
          </button>
        </ErrorNote>
      )}
      {list.length === 0 ? (
        !loadError && (
          <p className="muted alerts-view__empty">
            {loaded ? 'No alerts. Crashes, agents that give up or turn unhealthy, and limit breaches appear here.' : 'Loading alerts…'}
          </p>
        )
      ) : (
        <ol className="alerts-view__list" aria-label="Alerts, newest first">
          {list.map((alert) => (
            <li key={`${alert.at}-${alert.id}`} className="alert-item">
              <AlertRow alert={alert} now={now} onOpen={alert.name !== null && agents[alert.name] ? () => openAlert(alert) : null} />
              {!alert.read && (
                <button type="button" className="alert-item__read" aria-label={`Mark read: ${alert.message}`} onClick={() => void actions.markAlertsRead([alert.id])}>
                  Mark read
                </button>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

function AlertRow({ alert, now, onOpen }: { alert: Alert; now: number; onOpen: (() => void) | null }) {
  const content = (
    <>
      <span className={`alert-severity alert-severity--${alert.severity}`}>{SEVERITY_TEXT[alert.severity]}</span>
      <time className="alert-time muted" dateTime={new Date(alert.at).toISOString()} title={new Date(alert.at).toLocaleString()}>
        {formatAgo(alert.at, now)}
      </time>
      <span className="alert-agent">{alert.name ?? 'Agent Tray'}</span>
      <span className="alert-message">{alert.message}</span>
    </>
  );
  const className = `alert-row alert-row--${alert.severity}${alert.read ? ' alert-row--read' : ''}`;
  if (!onOpen) return <div className={className}>{content}</div>;
  return (
    <button type="button" className={className} onClick={onOpen}>
      {content}
    </button>
  );
}

/** The unread alerts and how many of them are critical, by the host's read flags. */
export function unreadCounts(items: readonly Alert[]): { unread: number; critical: number } {
  let unread = 0;
  let critical = 0;
  for (const a of items) {
    if (a.read) continue;
    unread++;
    if (a.severity === 'critical') critical++;
  }
  return { unread, critical };
}

/** The number of unread alerts (red when one of them is critical); nothing when every alert is read. */
export function AlertsBadge() {
  const items = useTray((s) => s.alerts.items);
  const { unread, critical } = useMemo(() => unreadCounts(items), [items]);
  if (unread === 0) return null;
  return (
    <span className={critical > 0 ? 'alerts-badge' : 'nav-count'}>
      {unread}
      <span className="visually-hidden">
        {unread === 1 ? ' unread alert' : ' unread alerts'}
        {critical > 0 ? `, ${critical} critical` : ''}
      </span>
    </span>
  );
}
