// The orphans: processes Agent Tray started whose agent is gone (removed from agents.json, or no
// longer supervised: a daemon a run left behind), as GET /api/orphans lists them, each with Stop
// (its whole tree), and Stop all. Nothing stops them unless the person asks. OrphansBadge counts
// them for the navigation.
import { useEffect, useId, useState, type MouseEvent } from 'react';
import type { Orphan } from '../../../shared/discovery.js';
import { formatMemory, NO_VALUE, plural } from '../../store/format.js';
import { orphanActionKey, orphanKeyPid } from '../../store/orphans.js';
import { useNow, useTray, useTrayActions } from '../../store/react.js';
import { formatHash } from '../../store/routing.js';
import { errorFor, isPending } from '../../store/selectors.js';
import type { ActionError } from '../../store/types.js';
import { formatAgo } from '../alerts/relative-time.js';
import { ErrorNote } from '../common/ErrorNote.js';
import './orphans.css';

const VIA_TEXT: Record<Orphan['via'], string> = { 'pid-file': 'found by its PID file', marker: "found by Agent Tray's marker variables" };

/** How many processes, in words. */
function processes(n: number): string {
  return plural(n, 'process', 'processes');
}

/** The orphans view: loads the list when it opens. */
export function OrphansView() {
  const { items, loaded } = useTray((s) => s.orphans);
  const listError = useTray((s) => errorFor(s.ui, 'orphans'));
  const busy = useTray((s) => isPending(s.ui, 'orphans'));
  const errors = useTray((s) => s.ui.errors);
  const actions = useTrayActions();
  const titleId = useId();
  const [stoppedAll, setStoppedAll] = useState<number | null>(null);

  useEffect(() => {
    void actions.loadOrphans();
  }, [actions]);

  // a stop that failed for an orphan no longer listed (it ended meanwhile): its error stays in sight
  const listed = new Set(items.map((o) => o.pid));
  const unlisted = Object.entries(errors).flatMap(([key, error]) => {
    const pid = orphanKeyPid(key);
    return pid !== null && !listed.has(pid) ? [{ key, pid, error }] : [];
  });

  const stopAll = async () => {
    setStoppedAll(null);
    const outcome = await actions.stopAllOrphans();
    if (outcome.ok) setStoppedAll(outcome.result);
  };

  return (
    <section className="orphans-view" aria-labelledby={titleId}>
      <header className="orphans-view__header">
        <h2 id={titleId}>Orphans</h2>
        {items.length > 0 && <span className="muted">{processes(items.length)} of Agent Tray that nothing supervises</span>}
        <div className="orphans-view__tools">
          <button type="button" disabled={busy} onClick={() => void actions.loadOrphans()}>
            Refresh
          </button>
          <button type="button" className="danger" disabled={busy || items.length === 0} onClick={() => void stopAll()}>
            Stop all
          </button>
        </div>
      </header>
      <p className="orphans-view__result muted" role="status">
        {stoppedAll !== null ? `Stopped ${plural(stoppedAll, 'orphan', 'orphans')} with their process trees.` : ''}
      </p>
      {listError && (
        <ErrorNote error={listError} className="orphans-view__error" onDismiss={() => actions.dismissError('orphans')}>
          <button type="button" onClick={() => void actions.loadOrphans()}>
            Try again
          </button>
        </ErrorNote>
      )}
      {unlisted.map((e) => (
        <ErrorNote key={e.key} label={`Stop process ${e.pid}`} error={e.error} className="orphans-view__error" onDismiss={() => actions.dismissError(e.key)} />
      ))}
      {items.length === 0 ? <Empty loaded={loaded} failed={listError !== null} /> : <OrphansTable items={items} errors={errors} />}
    </section>
  );
}

/** What the view shows without orphans: what an orphan is, or that the list is on its way. */
function Empty({ loaded, failed }: { loaded: boolean; failed: boolean }) {
  if (failed && !loaded) return null;
  if (!loaded) return <p className="muted orphans-view__empty">Looking for orphans…</p>;
  return (
    <div className="orphans-view__empty">
      <p>No orphans.</p>
      <p className="muted">
        An orphan is a process Agent Tray started whose agent is gone: the agent was removed from agents.json while it ran, or its
        run ended and left a process behind (a daemon that moved out of its process tree). Agent Tray never stops one by itself;
        they are listed here so that you can.
      </p>
    </div>
  );
}

/** The table of orphans, one row each with Stop. */
function OrphansTable({ items, errors }: { items: Orphan[]; errors: Record<string, ActionError> }) {
  const clockOffset = useTray((s) => s.agents.clockOffsetMs);
  const now = useNow(15_000) + clockOffset;
  return (
    <table className="orphans-view__table">
      <thead>
        <tr>
          <th scope="col">Process</th>
          <th scope="col">Agent</th>
          <th scope="col">Command line</th>
          <th scope="col">Started</th>
          <th scope="col">Memory</th>
          <th scope="col">
            <span className="visually-hidden">Actions</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {items.map((o) => (
          <OrphanRow key={o.pid} orphan={o} now={now} error={errors[orphanActionKey(o.pid)] ?? null} />
        ))}
      </tbody>
    </table>
  );
}

/** One orphan: pid, agent, command line (cut; whole in its tooltip and on focus), age, memory, Stop, and the error of its stop. */
function OrphanRow({ orphan, now, error }: { orphan: Orphan; now: number; error: ActionError | null }) {
  const actions = useTrayActions();
  const configured = useTray((s) => orphan.name in s.agents.byName);
  const stopping = useTray((s) => s.ui.pending[orphanActionKey(orphan.pid)] === true);
  const started = orphan.startedAt ?? null;
  const open = (e: MouseEvent) => {
    e.preventDefault();
    actions.navigate('agent', orphan.name);
  };
  return (
    <>
      <tr className="orphan-row">
        <td className="orphan-row__pid mono">{orphan.pid}</td>
        <td className="orphan-row__agent-cell">
          {configured ? (
            <a href={formatHash({ view: 'agent', name: orphan.name })} onClick={open} className="orphan-row__agent mono">
              {orphan.name}
            </a>
          ) : (
            <span className="orphan-row__agent mono">{orphan.name}</span>
          )}
          <span className="orphan-row__why muted">{configured ? 'configured, not supervised' : 'no longer configured'}; {VIA_TEXT[orphan.via]}</span>
        </td>
        <td className="orphan-row__command-cell">
          {orphan.commandLine ? (
            <span className="orphan-row__command mono" tabIndex={0} title={orphan.commandLine}>
              {orphan.commandLine}
            </span>
          ) : (
            <span className="muted">not readable</span>
          )}
        </td>
        <td className="orphan-row__started" data-label="Started">
          {started === null ? (
            NO_VALUE
          ) : (
            <time dateTime={new Date(started).toISOString()} title={new Date(started).toLocaleString()}>
              {formatAgo(started, now)}
            </time>
          )}
        </td>
        <td className="orphan-row__memory" data-label="Memory">{formatMemory(orphan.memoryMB ?? null)}</td>
        <td className="orphan-row__actions">
          <button type="button" className="danger" disabled={stopping} aria-label={`Stop process ${orphan.pid} (${orphan.name})`} onClick={() => void actions.stopOrphan(orphan.pid)}>
            {stopping ? 'Stopping…' : 'Stop'}
          </button>
        </td>
      </tr>
      {error && (
        <tr className="orphan-row__error">
          <td colSpan={6}>
            <ErrorNote label={`Stop process ${orphan.pid}`} error={error} onDismiss={() => actions.dismissError(orphanActionKey(orphan.pid))} />
          </td>
        </tr>
      )}
    </>
  );
}

/** The number of orphans for the navigation; nothing when there are none. */
export function OrphansBadge() {
  const count = useTray((s) => s.orphans.items.length);
  if (count === 0) return null;
  return (
    <span className="nav-count">
      {count}
      <span className="visually-hidden">{count === 1 ? ' orphan' : ' orphans'}</span>
    </span>
  );
}
