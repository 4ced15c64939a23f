// The editor's footer: Remove on the left, Cancel and Save on the right, and above them what a
// save does to a running agent (it applies from the next start; a rename stops, renames and
// starts it, its logs and run history moving with it).
import type { AgentState } from '../../../shared/status.js';
import { RemoveAgent } from './RemoveAgent.js';

/** How the note names what the agent is doing. */
const DOING: Partial<Record<AgentState, string>> = { starting: 'starting', running: 'running', stopping: 'stopping', waiting: 'waiting to start', backoff: 'about to be restarted' };

export interface EditorFooterProps {
  /** The agent edited (edit mode), or null. */
  agent: string | null;
  /** The edited agent's state (null: none, or not known). */
  state: AgentState | null;
  /** It runs (starting, running, stopping): changes apply from its next start. */
  runsOn: boolean;
  /** The new name, when a rename needs a stop and a start (the agent runs or waits to): Save becomes "Stop, rename, start". */
  renameTo: string | null;
  saving: boolean;
  /** The dialog shows a problem: Save says so (aria-disabled) and pressing it shows where. */
  blocked: boolean;
  blockedId: string;
  onCancel: () => void;
  onRemoved: () => void;
}

/** The footer of the editor's form. */
export function EditorFooter({ agent, state, runsOn, renameTo, saving, blocked, blockedId, onCancel, onRemoved }: EditorFooterProps) {
  const doing = state ? (DOING[state] ?? state) : null;
  return (
    <>
      {agent !== null && renameTo !== null ? (
        <p className="editor-running-note" role="note">
          {agent} is {doing}: renaming it to {renameTo} stops it, renames it and starts it again. Its logs and run history move with it.
        </p>
      ) : agent !== null && runsOn ? (
        <p className="editor-running-note" role="note">
          {agent} is {doing}: changes apply from its next start.
        </p>
      ) : null}
      <div className="editor-footer">
        <div>{agent !== null && <RemoveAgent name={agent} onRemoved={onRemoved} />}</div>
        <div className="editor-footer-buttons">
          {blocked && (
            <span id={blockedId} className="visually-hidden">
              Correct the problems shown to save.
            </span>
          )}
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={saving} aria-busy={saving || undefined} aria-disabled={blocked || undefined} aria-describedby={blocked ? blockedId : undefined} title={blocked ? 'Correct the problems shown to save' : undefined}>
            {renameTo !== null ? 'Stop, rename, start' : 'Save'}
          </button>
        </div>
      </div>
    </>
  );
}
