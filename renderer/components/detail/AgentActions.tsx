// What can be done to one agent: start or stop (by its state; when agents that depend on it run,
// a choice to stop them too), restart, kill (after an inline confirmation; while a stop waits, at
// once), edit and duplicate. Each command's error appears right here, in the API's words.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { AgentStatus } from '../../../shared/status.js';
import { useTray, useTrayActions } from '../../store/react.js';
import { actionKey, agentList, errorFor, isPending, toggleAction } from '../../store/selectors.js';
import { liveDependents } from '../../store/stacks.js';
import type { ActionError } from '../../store/types.js';
import { ErrorNote } from '../common/ErrorNote.js';

/** The commands whose errors show beside the buttons. */
const SHOWN_ERRORS = ['start', 'stop', 'restart', 'kill'] as const;

/** True while the agent has (or is about to have) a process to kill. */
function hasProcess(status: AgentStatus): boolean {
  return status.pid !== null || status.state === 'running' || status.state === 'starting' || status.state === 'stopping';
}

/** The action buttons of agent `status.name`, with their errors. */
export function AgentActions({ status }: { status: AgentStatus }) {
  const { name } = status;
  const actions = useTrayActions();
  const ui = useTray((s) => s.ui);
  const [confirmKill, setConfirmKill] = useState(false);
  const [askDependents, setAskDependents] = useState(false);
  const agents = useTray((s) => s.agents);
  const dependents = useMemo(() => liveDependents(name, agentList(agents)), [name, agents]);
  const [duplicateError, setDuplicateError] = useState<ActionError | null>(null);
  const [duplicating, setDuplicating] = useState(false);
  const killRef = useRef<HTMLButtonElement>(null);
  const noRef = useRef<HTMLButtonElement>(null);
  const withDependentsRef = useRef<HTMLButtonElement>(null);
  const returnFocus = useRef(false);

  const toggle = toggleAction(status);
  const askStop = toggle === 'stop' && askDependents && dependents.length > 0;
  const stop = () => {
    if (dependents.length > 0) setAskDependents(true);
    else void actions.stop(name);
  };
  const stopChosen = (withDependents: boolean) => {
    setAskDependents(false);
    void actions.stop(name, { withDependents });
  };
  const pending = (a: 'start' | 'stop' | 'restart' | 'kill') => isPending(ui, a, name);
  const canKill = hasProcess(status);

  // the confirmation takes the focus from the Kill button, and gives it back when it closes
  useEffect(() => {
    if (confirmKill) noRef.current?.focus();
    else if (returnFocus.current) {
      returnFocus.current = false;
      killRef.current?.focus();
    }
  }, [confirmKill]);

  // the stop choice takes the focus when it opens
  useEffect(() => {
    if (askStop) withDependentsRef.current?.focus();
  }, [askStop]);

  // an agent that no longer has a process needs no confirmation to kill it
  useEffect(() => {
    if (!canKill) setConfirmKill(false);
  }, [canKill]);

  const closeConfirm = () => {
    returnFocus.current = true;
    setConfirmKill(false);
  };

  const duplicate = async () => {
    setDuplicateError(null);
    setDuplicating(true);
    const outcome = await actions.loadDefinition(name);
    setDuplicating(false);
    if (!outcome.ok) {
      setDuplicateError(outcome.error);
      return;
    }
    const def = outcome.result;
    actions.openEditor({ mode: 'duplicate', name, template: { ...def, name: `${def.name}-copy` } });
  };

  const errors = SHOWN_ERRORS.map((a) => ({ key: actionKey(a, name), error: errorFor(ui, a, name) })).filter((e): e is { key: string; error: ActionError } => e.error !== null);

  return (
    <div className="detail-actions">
      <div className="detail-actions__buttons" role="group" aria-label={`Actions for ${name}`}>
        {toggle === 'start' ? (
          <button type="button" className="primary" disabled={pending('start')} onClick={() => void actions.start(name)}>
            {pending('start') ? 'Starting…' : 'Start'}
          </button>
        ) : askStop ? (
          <span
            className="detail-confirm detail-confirm--stop"
            role="group"
            aria-label="Stop its dependents too?"
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.preventDefault();
                setAskDependents(false);
              }
            }}
          >
            <span className="detail-confirm__question">
              {dependents.join(', ')} {dependents.length === 1 ? 'depends' : 'depend'} on it:
            </span>
            <button type="button" ref={withDependentsRef} onClick={() => stopChosen(true)}>
              Stop with dependents
            </button>
            <button type="button" onClick={() => stopChosen(false)}>
              Stop {name} only
            </button>
            <button type="button" onClick={() => setAskDependents(false)}>
              Cancel
            </button>
          </span>
        ) : (
          <button type="button" disabled={toggle === null || pending('stop')} onClick={stop}>
            {pending('stop') || status.state === 'stopping' ? 'Stopping…' : 'Stop'}
          </button>
        )}
        <button type="button" disabled={pending('restart') || status.state === 'stopping'} onClick={() => void actions.restart(name)}>
          {pending('restart') ? 'Restarting…' : 'Restart'}
        </button>
        {status.state === 'stopping' ? (
          // the person already asked it to stop: no confirmation to end the wait
          <button
            type="button"
            className="danger"
            disabled={pending('kill')}
            aria-label={`Kill ${name} now`}
            title="Stop waiting: end the whole process tree at once"
            onClick={() => void actions.kill(name)}
          >
            Kill now
          </button>
        ) : confirmKill ? (
          <span
            className="detail-confirm"
            role="group"
            aria-label="Confirm kill"
            onKeyDown={(e) => {
              if (e.key === 'Escape') {
                e.preventDefault();
                closeConfirm();
              }
            }}
          >
            <span className="detail-confirm__question">Kill now?</span>
            <button
              type="button"
              className="danger"
              onClick={() => {
                closeConfirm();
                void actions.kill(name);
              }}
            >
              Yes
            </button>
            <button type="button" ref={noRef} onClick={closeConfirm}>
              No
            </button>
          </span>
        ) : (
          <button
            type="button"
            ref={killRef}
            className="danger"
            disabled={!canKill || pending('kill')}
            title="End the whole process tree at once, without asking it to stop"
            onClick={() => setConfirmKill(true)}
          >
            Kill
          </button>
        )}
        <button type="button" onClick={() => actions.openEditor({ mode: 'edit', name, template: null })}>
          Edit
        </button>
        <button type="button" disabled={duplicating} onClick={() => void duplicate()}>
          Duplicate
        </button>
      </div>
      {errors.map(({ key, error }) => (
        <ErrorNote key={key} error={error} onDismiss={() => actions.dismissError(key)} />
      ))}
      {duplicateError && <ErrorNote error={duplicateError} onDismiss={() => setDuplicateError(null)} />}
    </div>
  );
}
