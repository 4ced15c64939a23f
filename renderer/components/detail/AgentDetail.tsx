// One agent's page: its header with the actions, then two tabs, Overview and Logs. The tab is
// part of where the window is (the store's view: 'agent' or 'logs'), so choosing one navigates.
import { useId, useRef, type KeyboardEvent } from 'react';
import { useTray, useTrayActions } from '../../store/react.js';
import { LogView } from '../logs/LogView.js';
import { AgentHeader } from './AgentHeader.js';
import { AgentOverview } from './AgentOverview.js';
import './detail.css';

export type DetailTab = 'overview' | 'logs';

const TABS: readonly { id: DetailTab; label: string }[] = [
  { id: 'overview', label: 'Overview' },
  { id: 'logs', label: 'Logs' },
];

/** The page of agent `name`, showing `tab`. */
export function AgentDetail({ name, tab }: { name: string; tab: DetailTab }) {
  const status = useTray((s) => s.agents.byName[name]);
  const connected = useTray((s) => s.agents.snapshotAt !== null);
  const actions = useTrayActions();
  const ids = useId();
  const tabRefs = useRef<Partial<Record<DetailTab, HTMLButtonElement | null>>>({});

  const choose = (next: DetailTab) => actions.navigate(next === 'logs' ? 'logs' : 'agent', name);

  // arrow keys move between the tabs (and choose them), Home and End go to the first and the last
  const onTabKeyDown = (e: KeyboardEvent) => {
    const at = TABS.findIndex((t) => t.id === tab);
    let to: number;
    if (e.key === 'ArrowRight' || e.key === 'ArrowDown') to = (at + 1) % TABS.length;
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowUp') to = (at - 1 + TABS.length) % TABS.length;
    else if (e.key === 'Home') to = 0;
    else if (e.key === 'End') to = TABS.length - 1;
    else return;
    e.preventDefault();
    const next = TABS[to];
    if (!next) return;
    tabRefs.current[next.id]?.focus();
    if (next.id !== tab) choose(next.id);
  };

  if (!status) {
    return (
      <div className="agent-detail agent-detail--missing">
        {connected ? (
          <>
            <p>
              There is no agent named <strong>{name}</strong>. It may have been removed.
            </p>
            <button type="button" onClick={() => actions.navigate('agents', null)}>
              Back to the agents
            </button>
          </>
        ) : (
          <p className="muted">Connecting…</p>
        )}
      </div>
    );
  }

  const tabId = (t: DetailTab) => `${ids}-tab-${t}`;
  const panelId = `${ids}-panel`;
  return (
    <div className="agent-detail">
      <AgentHeader status={status} />
      <div className="detail-tabs" role="tablist" aria-label={`${name}: views`} onKeyDown={onTabKeyDown}>
        {TABS.map((t) => (
          <button
            key={t.id}
            ref={(el) => {
              tabRefs.current[t.id] = el;
            }}
            type="button"
            role="tab"
            id={tabId(t.id)}
            className="detail-tab"
            aria-selected={t.id === tab}
            aria-controls={t.id === tab ? panelId : undefined}
            tabIndex={t.id === tab ? 0 : -1}
            onClick={() => choose(t.id)}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div className={`detail-panel detail-panel--${tab}`} role="tabpanel" id={panelId} aria-labelledby={tabId(tab)} tabIndex={0}>
        {tab === 'logs' ? <LogView key={name} name={name} /> : <AgentOverview key={name} status={status} />}
      </div>
    </div>
  );
}
