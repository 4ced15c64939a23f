// The window's frame: the status bar on top, the navigation on the left (with the unread alerts
// and the orphans counted), the current view, the editor over it, and a banner while the host
// cannot be reached.
import { useEffect } from 'react';
import { useTray, useTrayActions } from '../../store/react.js';
import type { View } from '../../store/types.js';
import { AgentsList } from '../agents/AgentsList.js';
import { AlertsBadge, AlertsView } from '../alerts/AlertsView.js';
import { AgentDetail } from '../detail/AgentDetail.js';
import { AgentEditor } from '../editor/AgentEditor.js';
import { EmptyState } from '../empty/EmptyState.js';
import { OrphansBadge, OrphansView } from '../orphans/OrphansView.js';
import { SettingsView } from '../settings/SettingsView.js';
import { StatusBar } from '../status-bar/StatusBar.js';
import './shell.css';

const NAV: { view: View; label: string }[] = [
  { view: 'agents', label: 'Agents' },
  { view: 'alerts', label: 'Alerts' },
  { view: 'orphans', label: 'Orphans' },
  { view: 'settings', label: 'Settings' },
];

/** The banner shown while the event stream is down, in the bridge's words. */
function ConnectionBanner() {
  const connection = useTray((s) => s.ui.connection);
  if (connection.status === 'open' || connection.status === 'idle') return null;
  const text = connection.message ?? (connection.status === 'connecting' ? 'Connecting to Agent Tray…' : 'Not connected to Agent Tray');
  return (
    <div className={`banner banner--${connection.status}`} role="status">
      {text}
      {connection.hint ? <span className="banner__hint"> {connection.hint}</span> : null}
    </div>
  );
}

function MainView() {
  const view = useTray((s) => s.ui.view);
  const selected = useTray((s) => s.ui.selected);
  const count = useTray((s) => s.agents.order.length);
  const loaded = useTray((s) => s.agents.snapshots > 0);
  switch (view) {
    case 'agent':
    case 'logs':
      return selected ? <AgentDetail key={selected} name={selected} tab={view === 'logs' ? 'logs' : 'overview'} /> : <AgentsList />;
    case 'alerts':
      return <AlertsView />;
    case 'orphans':
      return <OrphansView />;
    case 'settings':
      return <SettingsView />;
    default:
      if (!loaded) return <p className="muted shell__loading">Loading agents…</p>;
      return count === 0 ? <EmptyState /> : <AgentsList />;
  }
}

export function Shell() {
  const view = useTray((s) => s.ui.view);
  const actions = useTrayActions();
  const navView: View = view === 'agent' || view === 'logs' ? 'agents' : view;
  // the navigation counts the orphans from the start (the orphans view lists them again when it opens)
  useEffect(() => {
    void actions.loadOrphans();
  }, [actions]);
  return (
    <div className="shell">
      <StatusBar />
      <ConnectionBanner />
      <div className="shell__body">
        <nav className="shell__nav" aria-label="Views">
          {NAV.map((n) => (
            <button key={n.view} type="button" aria-current={navView === n.view ? 'page' : undefined} onClick={() => actions.navigate(n.view, n.view === 'agents' ? null : undefined)}>
              {n.label}
              {n.view === 'alerts' ? <AlertsBadge /> : null}
              {n.view === 'orphans' ? <OrphansBadge /> : null}
            </button>
          ))}
        </nav>
        <main className="shell__main">
          <MainView />
        </main>
      </div>
      <AgentEditor />
    </div>
  );
}
