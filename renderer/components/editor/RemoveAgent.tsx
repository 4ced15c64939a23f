// Removing an agent from the editor: a button that asks again inline, offering to stop the agent
// first when it is running (the host refuses to remove a running agent otherwise).
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useTray, useTrayActions } from '../../store/react.js';
import { actionKey, errorFor, isPending } from '../../store/selectors.js';
import type { AgentState } from '../../../shared/status.js';
import { ErrorNote } from '../common/ErrorNote.js';

/** States in which the agent's process is alive or about to be. */
const LIVE_STATES: readonly AgentState[] = ['running', 'starting', 'backoff'];

export interface RemoveAgentProps {
  name: string;
  /** Called after the host removed the agent. */
  onRemoved: () => void;
}

/** The editor's Remove button and its inline confirmation. */
export function RemoveAgent({ name, onRemoved }: RemoveAgentProps) {
  const actions = useTrayActions();
  const state = useTray((s) => s.agents.byName[name]?.state);
  const error = useTray((s) => errorFor(s.ui, 'remove', name));
  const removing = useTray((s) => isPending(s.ui, 'remove', name));
  const [confirming, setConfirming] = useState(false);
  const cancelRef = useRef<HTMLButtonElement>(null);
  const triggerRef = useRef<HTMLButtonElement>(null);
  const textId = useId();
  const live = state !== undefined && LIVE_STATES.includes(state);

  const focusTrigger = useRef(false);
  useEffect(() => {
    if (confirming) cancelRef.current?.focus();
    else if (focusTrigger.current) {
      focusTrigger.current = false;
      triggerRef.current?.focus();
    }
  }, [confirming]);

  const cancel = () => {
    focusTrigger.current = true;
    setConfirming(false);
    actions.dismissError(actionKey('remove', name));
  };

  const remove = async () => {
    const outcome = await actions.removeAgent(name, { stop: live });
    if (outcome.ok) onRemoved();
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.stopPropagation(); // Escape here cancels the question, not the editor
    event.preventDefault();
    cancel();
  };

  if (!confirming) {
    return (
      <button ref={triggerRef} type="button" className="danger" onClick={() => setConfirming(true)}>
        Remove
      </button>
    );
  }

  return (
    <div className="editor-remove-confirm" role="group" aria-labelledby={textId} onKeyDown={onKeyDown}>
      <p id={textId}>
        {live ? (
          <>
            <strong>{name}</strong> is {state}. Agent Tray stops it and every process it started, then removes it from agents.json.
          </>
        ) : (
          <>
            Remove <strong>{name}</strong> from agents.json? Its log files stay.
          </>
        )}
      </p>
      {error && (
        <ErrorNote error={error} />
      )}
      <div className="editor-remove-buttons">
        <button type="button" className="danger" disabled={removing} onClick={() => void remove()}>
          {live ? 'Stop and remove' : 'Remove'}
        </button>
        <button ref={cancelRef} type="button" onClick={cancel}>
          Keep agent
        </button>
      </div>
    </div>
  );
}
