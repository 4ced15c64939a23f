// One row of the agents list: the agent's columns, its actions, and under it the errors of what
// was done to it.
import { useId, type KeyboardEvent, type ReactNode } from 'react';
import type { AgentStatus } from '../../../shared/status.js';
import { formatCpu, formatMemory, formatUptime, NO_VALUE } from '../../store/format.js';
import { useTray, useTrayActions } from '../../store/react.js';
import { agentErrors, gpuText, isPending, stateColour, toggleAction, uptimeOf } from '../../store/selectors.js';
import { stateText, type StatusesByName } from '../../store/stacks.js';
import { ErrorNote } from '../common/ErrorNote.js';
import { StopClock } from '../common/StopClock.js';
import { healthSummary } from '../../store/health.js';

/** The health column: the state and score where a probe stands behind them (see healthSummary), else "—" (no check) or "zombie". */
export function healthText(s: AgentStatus): string {
  const h = healthSummary(s);
  if (h.score !== null) return `${h.text} (${h.score})`;
  return h.tone === 'zombie' ? h.text : NO_VALUE;
}

/** Why a failed (crashed, errored, backing off) agent failed, in the host's words; null otherwise. */
export function failureReason(s: AgentStatus): string | null {
  if (s.state !== 'crashed' && s.state !== 'errored' && s.state !== 'backoff') return null;
  return s.lastError?.message ?? null;
}

export interface AgentRowProps {
  status: AgentStatus;
  /** Every agent: what a waiting one still waits for. */
  byName: StatusesByName;
  now: number;
  colSpan: number;
  /** Whether the list has its GPU column (some agent uses GPU memory). */
  showGpu?: boolean;
  /** The row the Tab key reaches (one per list). */
  tabbable: boolean;
  rowRef: (el: HTMLTableRowElement | null) => void;
  onKeyDown: (event: KeyboardEvent<HTMLTableRowElement>) => void;
  onFocus: () => void;
}

/** The row of agent `status.name`. */
export function AgentRow({ status: s, byName, now, colSpan, showGpu = false, tabbable, rowRef, onKeyDown, onFocus }: AgentRowProps) {
  // only what this row shows: a pending flip or a selection elsewhere does not render all the rows again
  const toggle = toggleAction(s);
  const selected = useTray((st) => st.ui.selected === s.name);
  const togglePending = useTray((st) => toggle !== null && isPending(st.ui, toggle, s.name));
  const restartPending = useTray((st) => isPending(st.ui, 'restart', s.name));
  const allErrors = useTray((st) => st.ui.errors);
  const actions = useTrayActions();
  const errors = agentErrors({ errors: allErrors }, s.name);
  const up = uptimeOf(s, now);
  const reason = failureReason(s);
  const reasonId = useId();
  const health = healthSummary(s);
  return (
    <FragmentRow colSpan={colSpan} errors={errors.map((e) => <ErrorNote key={e.key} label={e.key.split(':')[0]} error={e.error} onDismiss={() => actions.dismissError(e.key)} />)}>
      <tr
        ref={rowRef}
        tabIndex={tabbable ? 0 : -1}
        aria-label={`${s.name}, ${stateText(s, byName)}`}
        aria-describedby={reason ? reasonId : undefined}
        className={selected ? 'selected' : undefined}
        onKeyDown={onKeyDown}
        onFocus={onFocus}
        onDoubleClick={() => actions.navigate('agent', s.name)}
      >
        <td>
          <button type="button" className="link" onClick={() => actions.navigate('agent', s.name)}>
            {s.name}
          </button>
        </td>
        <td>
          <span className={`state state--${stateColour(s.state)}`}>{stateText(s, byName)}</span>
          {reason ? (
            <span id={reasonId} className="agents__reason" title={reason}>
              {reason}
            </span>
          ) : null}
          <StopClock status={s} className="agents__stop-clock" />
        </td>
        <td className="num">{s.stats && up !== null ? formatCpu(s.stats.cpuPercent) : NO_VALUE}</td>
        <td className="num">{s.stats && up !== null ? formatMemory(s.stats.memoryMB) : NO_VALUE}</td>
        {showGpu ? <td className="num agents__col--gpu">{gpuText(s, up !== null)}</td> : null}
        <td className="num">{up === null ? NO_VALUE : formatUptime(up)}</td>
        <td className="num">{s.port ?? NO_VALUE}</td>
        <td className="num agents__col--restarts">{s.restarts}</td>
        <td className="num agents__col--pid">{s.pid ?? NO_VALUE}</td>
        <td className={`agents__health agents__health--${health.tone}`} title={health.detail}>
          {healthText(s)}
        </td>
        <td className="agents__row-actions">
          {toggle ? (
            <button type="button" disabled={togglePending} onClick={() => void actions.toggle(s.name)} aria-label={`${toggle === 'start' ? 'Start' : 'Stop'} ${s.name}`}>
              {toggle === 'start' ? 'Start' : 'Stop'}
            </button>
          ) : null}
          {/* Restart and Kill act on a live process: a stopped row keeps only what it can do, so the row stays narrow */}
          {s.pid !== null ? (
            <>
              <button type="button" disabled={restartPending} onClick={() => void actions.restart(s.name)} aria-label={`Restart ${s.name}`}>
                Restart
              </button>
              <button type="button" className="danger" onClick={() => void actions.kill(s.name)} aria-label={s.state === 'stopping' ? `Kill ${s.name} now` : `Kill ${s.name}`} title="End its whole process tree at once, without asking it to stop">
                Kill
              </button>
            </>
          ) : null}
          {/* what it serves, while it runs (a stopped agent's port answers nothing) */}
          {s.url && s.state === 'running' ? (
            <a className="agents__open" href={s.url} target="_blank" rel="noopener noreferrer" aria-label={`Open ${s.name} (${s.url})`} title={s.url}>
              Open
            </a>
          ) : null}
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
}

/** A row, and under it a full-width row with its errors when it has any. */
function FragmentRow({ children, errors, colSpan }: { children: ReactNode; errors: ReactNode[]; colSpan: number }) {
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
