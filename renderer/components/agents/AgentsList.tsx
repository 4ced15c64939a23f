// The agents list: every agent with its state (what a waiting one waits for), health, CPU, memory,
// uptime, port, restarts and pid; sortable by any column, filtered by text and state, grouped by
// group if asked (each group with Start group and Stop group), or drawn as the stack graph; with
// actions per row. Keyboard: arrows move between rows, Enter opens the agent, Space starts or stops it.
import { memo, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { AgentState, AgentStatus } from '../../../shared/status.js';
import { useNow, useTray, useTrayActions } from '../../store/react.js';
import { agentList, anyGpuInUse, filterAgents, hostNow, sortAgents, STATE_ORDER, stateColour, uptimeOf, type SortKey, type SortSpec } from '../../store/selectors.js';
import { groupedAgents, type StatusesByName } from '../../store/stacks.js';
import { ImportButton } from '../import/ImportButton.js';
import { GraphPanel } from '../stack/GraphPanel.js';
import { ExportDialog } from '../export/ExportDialog.js';
import { AgentRow } from './AgentRow.js';
import { GroupHeader } from './GroupHeader.js';
import './agents.css';

/** How the list shows the agents: one table, one table section per group, or the stack graph. */
export type ListLayout = 'flat' | 'groups' | 'graph';

const LAYOUTS: { id: ListLayout; label: string }[] = [
  { id: 'flat', label: 'List' },
  { id: 'groups', label: 'By group' },
  { id: 'graph', label: 'Graph' },
];

const COLUMNS: { key: SortKey; label: string; numeric?: boolean }[] = [
  { key: 'name', label: 'Name' },
  { key: 'state', label: 'State' },
  { key: 'cpu', label: 'CPU', numeric: true },
  { key: 'memory', label: 'Memory', numeric: true },
  { key: 'gpu', label: 'GPU', numeric: true },
  { key: 'uptime', label: 'Uptime', numeric: true },
  { key: 'port', label: 'Port', numeric: true },
  { key: 'restarts', label: 'Restarts', numeric: true },
  { key: 'pid', label: 'PID', numeric: true },
];

/** A row renders again only when one of its props changed: with 200 agents, an event re-renders one row, not 200. */
const Row = memo(AgentRow);

/** What a row that is not waiting gets for `byName` (only a waiting agent's state text reads the others). */
const NO_STATUSES: StatusesByName = {};

/**
 * The clock a row is drawn at: `now` rounded down to the last change of its uptime's text (a
 * second under an hour, a minute under a day, then an hour), so that a row renders again when
 * what it shows changes, not every second. 0 for an agent that is not running (it shows no uptime).
 */
export function rowClock(s: AgentStatus, now: number): number {
  const up = uptimeOf(s, now);
  if (up === null || s.startedAt === null) return 0;
  const step = up >= 86_400_000 ? 3_600_000 : up >= 3_600_000 ? 60_000 : 1_000;
  return s.startedAt + Math.floor(up / step) * step;
}

/** A row's callbacks, the same object for as long as the row is shown (so that they do not make it render again). */
interface RowCallbacks {
  rowRef: (el: HTMLTableRowElement | null) => void;
  onKeyDown: (event: KeyboardEvent<HTMLTableRowElement>) => void;
  onFocus: () => void;
}

export function AgentsList() {
  const agents = useTray((s) => s.agents);
  const actions = useTrayActions();
  const now = hostNow(agents, useNow(1000));
  const [sort, setSort] = useState<SortSpec>({ key: 'name', dir: 'asc' });
  const [text, setText] = useState('');
  const [states, setStates] = useState<ReadonlySet<AgentState>>(new Set());
  const [focused, setFocused] = useState(0);
  const [layout, setLayout] = useState<ListLayout>('flat');
  const [exporting, setExporting] = useState(false);
  /** Each shown row's element and its place in the list, by the row's key (`group/name`). */
  const rowEls = useRef(new Map<string, HTMLTableRowElement>());
  const places = useRef(new Map<string, { index: number; status: AgentStatus }>());
  const callbacks = useRef(new Map<string, RowCallbacks>());

  const all = useMemo(() => agentList(agents), [agents]);
  const rows = useMemo(() => sortAgents(filterAgents(all, { text, states }), sort, now), [all, text, states, sort, now]);
  // grouped: each group's rows in the list's order (an agent of two groups is in both); its header counts the whole group
  const sections = useMemo(() => {
    if (layout !== 'groups') return [{ group: null, agents: rows }];
    const shown = new Set(rows.map((r) => r.name));
    const rank = new Map(rows.map((r, i) => [r.name, i]));
    return groupedAgents(all)
      .map((sec) => ({ group: sec.group, agents: sec.agents.filter((a) => shown.has(a.name)).sort((a, b) => (rank.get(a.name) ?? 0) - (rank.get(b.name) ?? 0)) }))
      .filter((sec) => sec.agents.length > 0);
  }, [layout, rows, all]);
  const flatRows = useMemo(() => sections.flatMap((sec) => sec.agents), [sections]);
  // the GPU column only where some agent uses GPU memory now: on a machine without one the list stays as it was
  const showGpu = useMemo(() => anyGpuInUse(all), [all]);
  const columns = useMemo(() => (showGpu ? COLUMNS : COLUMNS.filter((c) => c.key !== 'gpu')), [showGpu]);
  const presentStates = useMemo(() => STATE_ORDER.filter((st) => all.some((a) => a.state === st) || states.has(st)), [all, states]);

  const sortBy = (key: SortKey) => setSort((s) => (s.key === key ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: key === 'name' ? 'asc' : 'desc' }));
  const toggleState = (st: AgentState) =>
    setStates((prev) => {
      const next = new Set(prev);
      if (next.has(st)) next.delete(st);
      else next.add(st);
      return next;
    });

  const rowKeys: string[] = sections.flatMap((sec) => sec.agents.map((s) => `${sec.group?.name ?? ''}/${s.name}`));
  const focusRow = (i: number) => {
    const index = Math.max(0, Math.min(flatRows.length - 1, i));
    setFocused(index);
    const key = rowKeys[index];
    if (key !== undefined) rowEls.current.get(key)?.focus();
  };
  const onRowKey = (event: KeyboardEvent<HTMLTableRowElement>, i: number, s: AgentStatus) => {
    if (event.target !== event.currentTarget) return; // keys typed into a row's buttons are theirs
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        focusRow(i + 1);
        break;
      case 'ArrowUp':
        event.preventDefault();
        focusRow(i - 1);
        break;
      case 'Home':
        event.preventDefault();
        focusRow(0);
        break;
      case 'End':
        event.preventDefault();
        focusRow(flatRows.length - 1);
        break;
      case 'Enter':
        actions.navigate('agent', s.name);
        break;
      case ' ':
        event.preventDefault();
        void actions.toggle(s.name);
        break;
    }
  };

  // the callbacks read the row's current place (sorting moves rows), so they can stay the same
  const latestKeyHandler = useRef(onRowKey);
  latestKeyHandler.current = onRowKey;
  places.current = new Map(rowKeys.map((key, i) => [key, { index: i, status: flatRows[i] as AgentStatus }]));
  for (const key of callbacks.current.keys()) if (!places.current.has(key)) callbacks.current.delete(key);
  const rowCallbacks = (key: string): RowCallbacks => {
    let c = callbacks.current.get(key);
    if (!c) {
      c = {
        rowRef: (el) => {
          if (el) rowEls.current.set(key, el);
          else rowEls.current.delete(key);
        },
        onKeyDown: (e) => {
          const place = places.current.get(key);
          if (place) latestKeyHandler.current(e, place.index, place.status);
        },
        onFocus: () => {
          const place = places.current.get(key);
          if (place) setFocused(place.index);
        },
      };
      callbacks.current.set(key, c);
    }
    return c;
  };

  return (
    <section className="agents" aria-label="Agents list">
      <div className="agents__toolbar">
        <input type="search" placeholder="Filter by name, port or pid" aria-label="Filter agents" value={text} onChange={(e) => setText(e.target.value)} />
        <div className="agents__states" role="group" aria-label="Filter by state">
          {presentStates.map((st) => (
            <button key={st} type="button" className={`chip chip--${stateColour(st)}`} aria-pressed={states.has(st)} onClick={() => toggleState(st)}>
              {st}
            </button>
          ))}
        </div>
        <div className="agents__layouts" role="group" aria-label="Show as">
          {LAYOUTS.map((l) => (
            <button key={l.id} type="button" aria-pressed={layout === l.id} onClick={() => setLayout(l.id)}>
              {l.label}
            </button>
          ))}
        </div>
        <span className="agents__count muted">
          {rows.length === all.length ? `${all.length} agents` : `${rows.length} of ${all.length} agents`}
        </span>
        <button type="button" onClick={() => setExporting(true)}>
          Export…
        </button>
        <ImportButton />
        <button type="button" className="primary" onClick={() => actions.openEditor({ mode: 'create', name: null, template: null })}>
          Add agent
        </button>
      </div>
      {exporting ? <ExportDialog onClose={() => setExporting(false)} /> : null}
      {layout === 'graph' ? (
        <GraphPanel />
      ) : (
        <table className="agents__table">
          <thead>
            <tr>
              {columns.map((c) => (
                <th key={c.key} className={`${c.numeric ? 'num ' : ''}agents__col--${c.key}`} aria-sort={sort.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
                  <button type="button" className="agents__sort" onClick={() => sortBy(c.key)}>
                    {c.label}
                    <span aria-hidden="true">{sort.key === c.key ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}</span>
                  </button>
                </th>
              ))}
              <th>Health</th>
              <th>
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          {sections.map((sec, n) => {
            const sectionKey = sec.group?.name ?? '';
            const offset = sections.slice(0, n).reduce((sum, x) => sum + x.agents.length, 0);
            return (
              <tbody key={sectionKey || '-'}>
                {layout === 'groups' ? <GroupHeader group={sec.group} colSpan={columns.length + 2} /> : null}
                {sec.agents.map((s, j) => {
                  const i = offset + j;
                  const key = `${sectionKey}/${s.name}`;
                  return (
                    <Row
                      key={key}
                      status={s}
                      byName={s.state === 'waiting' ? agents.byName : NO_STATUSES}
                      now={rowClock(s, now)}
                      colSpan={columns.length + 2}
                      showGpu={showGpu}
                      tabbable={i === Math.min(focused, flatRows.length - 1)}
                      {...rowCallbacks(key)}
                    />
                  );
                })}
              </tbody>
            );
          })}
        </table>
      )}
      {layout !== 'graph' && rows.length === 0 && all.length > 0 ? <p className="muted agents__none">No agent matches the filter.</p> : null}
    </section>
  );
}
