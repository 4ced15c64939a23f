// The agents list: every agent with its state, health, CPU, memory, uptime, port, restarts and pid;
// sortable by any column, filtered by text and state, with actions per row. Keyboard: arrows move
// between rows, Enter opens the agent, Space starts or stops it.
import { useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { AgentState, AgentStatus } from '../../../shared/status.js';
import { formatCpu, formatMemory, formatUptime, NO_VALUE } from '../../store/format.js';
import { useNow, useTray, useTrayActions } from '../../store/react.js';
import { agentErrors, agentList, filterAgents, hostNow, isPending, sortAgents, STATE_ORDER, stateColour, toggleAction, uptimeOf, type SortKey, type SortSpec } from '../../store/selectors.js';
import { ErrorNote } from '../common/ErrorNote.js';
import './agents.css';

const COLUMNS: { key: SortKey; label: string; numeric?: boolean }[] = [
  { key: 'name', label: 'Name' },
  { key: 'state', label: 'State' },
  { key: 'cpu', label: 'CPU', numeric: true },
  { key: 'memory', label: 'Memory', numeric: true },
  { key: 'uptime', label: 'Uptime', numeric: true },
  { key: 'port', label: 'Port', numeric: true },
  { key: 'restarts', label: 'Restarts', numeric: true },
  { key: 'pid', label: 'PID', numeric: true },
];

function healthText(s: AgentStatus): string {
  return s.health === 'unknown' ? NO_VALUE : `${s.health} (${s.healthScore})`;
}

export function AgentsList() {
  const agents = useTray((s) => s.agents);
  const ui = useTray((s) => s.ui);
  const actions = useTrayActions();
  const now = hostNow(agents, useNow(1000));
  const [sort, setSort] = useState<SortSpec>({ key: 'name', dir: 'asc' });
  const [text, setText] = useState('');
  const [states, setStates] = useState<ReadonlySet<AgentState>>(new Set());
  const [focused, setFocused] = useState(0);
  const rowRefs = useRef<(HTMLTableRowElement | null)[]>([]);

  const all = useMemo(() => agentList(agents), [agents]);
  const rows = useMemo(() => sortAgents(filterAgents(all, { text, states }), sort, now), [all, text, states, sort, now]);
  const presentStates = useMemo(() => STATE_ORDER.filter((st) => all.some((a) => a.state === st) || states.has(st)), [all, states]);

  const sortBy = (key: SortKey) => setSort((s) => (s.key === key ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: key === 'name' ? 'asc' : 'desc' }));
  const toggleState = (st: AgentState) =>
    setStates((prev) => {
      const next = new Set(prev);
      if (next.has(st)) next.delete(st);
      else next.add(st);
      return next;
    });

  const focusRow = (i: number) => {
    const index = Math.max(0, Math.min(rows.length - 1, i));
    setFocused(index);
    rowRefs.current[index]?.focus();
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
        focusRow(rows.length - 1);
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
        <span className="agents__count muted">
          {rows.length === all.length ? `${all.length} agents` : `${rows.length} of ${all.length} agents`}
        </span>
        <button type="button" className="primary" onClick={() => actions.openEditor({ mode: 'create', name: null, template: null })}>
          Add agent
        </button>
      </div>
      <table className="agents__table">
        <thead>
          <tr>
            {COLUMNS.map((c) => (
              <th key={c.key} className={c.numeric ? 'num' : undefined} aria-sort={sort.key === c.key ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}>
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
        <tbody>
          {rows.map((s, i) => {
            const toggle = toggleAction(s);
            const errors = agentErrors(ui, s.name);
            const up = uptimeOf(s, now);
            return (
              <FragmentRow key={s.name} colSpan={COLUMNS.length + 2} errors={errors.map((e) => <ErrorNote key={e.key} label={e.key.split(':')[0]} error={e.error} onDismiss={() => actions.dismissError(e.key)} />)}>
                <tr
                  ref={(el) => {
                    rowRefs.current[i] = el;
                  }}
                  tabIndex={i === Math.min(focused, rows.length - 1) ? 0 : -1}
                  aria-label={`${s.name}, ${s.state}`}
                  className={ui.selected === s.name ? 'selected' : undefined}
                  onKeyDown={(e) => onRowKey(e, i, s)}
                  onFocus={() => setFocused(i)}
                  onDoubleClick={() => actions.navigate('agent', s.name)}
                >
                  <td>
                    <button type="button" className="link" onClick={() => actions.navigate('agent', s.name)}>
                      {s.name}
                    </button>
                  </td>
                  <td>
                    <span className={`state state--${stateColour(s.state)}`}>{s.state}</span>
                  </td>
                  <td className="num">{s.stats && up !== null ? formatCpu(s.stats.cpuPercent) : NO_VALUE}</td>
                  <td className="num">{s.stats && up !== null ? formatMemory(s.stats.memoryMB) : NO_VALUE}</td>
                  <td className="num">{up === null ? NO_VALUE : formatUptime(up)}</td>
                  <td className="num">{s.port ?? NO_VALUE}</td>
                  <td className="num">{s.restarts}</td>
                  <td className="num">{s.pid ?? NO_VALUE}</td>
                  <td>{healthText(s)}</td>
                  <td className="agents__row-actions">
                    {toggle ? (
                      <button type="button" disabled={isPending(ui, toggle, s.name)} onClick={() => void actions.toggle(s.name)} aria-label={`${toggle === 'start' ? 'Start' : 'Stop'} ${s.name}`}>
                        {toggle === 'start' ? 'Start' : 'Stop'}
                      </button>
                    ) : null}
                    <button type="button" disabled={isPending(ui, 'restart', s.name)} onClick={() => void actions.restart(s.name)} aria-label={`Restart ${s.name}`}>
                      Restart
                    </button>
                    <button type="button" className="danger" disabled={s.pid === null} onClick={() => void actions.kill(s.name)} aria-label={`Kill ${s.name}`} title="End its whole process tree at once, without asking it to stop">
                      Kill
                    </button>
                    <button type="button" onClick={() => actions.navigate('logs', s.name)} aria-label={`Logs of ${s.name}`}>
                      Logs
                    </button>
                    <button type="button" onClick={() => actions.openEditor({ mode: 'edit', name: s.name, template: null })} aria-label={`Edit ${s.name}`}>
                      Edit
                    </button>
                  </td>
                </tr>
              </FragmentRow>
            );
          })}
        </tbody>
      </table>
      {rows.length === 0 && all.length > 0 ? <p className="muted agents__none">No agent matches the filter.</p> : null}
    </section>
  );
}

/** A row, and under it a full-width row with its errors when it has any. */
function FragmentRow({ children, errors, colSpan }: { children: React.ReactNode; errors: React.ReactNode[]; colSpan: number }) {
  return (
    <>
      {children}
      {errors.length ? (
        <tr className="agents__errors">
          <td colSpan={colSpan}>{errors}</td>
        </tr>
      ) : null}
    </>
  );
}
