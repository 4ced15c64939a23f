// The agents this one depends on, as rows of an agent picker and a condition, with add and delete.
import { DEPENDENCY_CONDITIONS, type DependencyCondition } from '../../../shared/agent.js';
import type { DependencyRow } from './definition-form.js';

/** What each condition means, for the picker's options. */
export const CONDITION_LABELS: Record<DependencyCondition, string> = {
  started: 'started (it runs)',
  healthy: 'healthy (its health check passes)',
  ready: 'ready (its ready line was printed)',
  completed: 'completed (it ran and exited 0)',
};

export interface DependsOnEditorProps {
  rows: DependencyRow[];
  onChange: (rows: DependencyRow[]) => void;
  /** The agents that can be depended on (every agent but this one). */
  agents: readonly string[];
  newId: () => number;
  onBlur: () => void;
  /** The messages shown under the rows. */
  errors: readonly string[];
  errorId: string;
  /** Receives the element that gets the focus when the dependencies have an error. */
  focusRef: (el: HTMLElement | null) => void;
}

/** The dependency rows of the editor's form. */
export function DependsOnEditor({ rows, onChange, agents, newId, onBlur, errors, errorId, focusRef }: DependsOnEditorProps) {
  const update = (id: number, patch: Partial<DependencyRow>) => onChange(rows.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  const invalid = errors.length > 0;
  const chosen = new Set(rows.map((r) => r.agent));
  // a new row offers the first agent not chosen yet
  const add = () => onChange([...rows, { id: newId(), agent: agents.find((a) => !chosen.has(a)) ?? '', condition: 'started' }]);

  return (
    <fieldset className="editor-env editor-deps" aria-describedby={invalid ? errorId : undefined}>
      <legend>Depends on</legend>
      {rows.length === 0 && <p className="muted editor-hint">Nothing: it starts at once. Starting it starts what it depends on first, and waits for each condition.</p>}
      {rows.length > 0 && (
        <ul className="editor-env-rows">
          {rows.map((row, i) => {
            const label = row.agent || `dependency ${i + 1}`;
            // an agent named in the definition that does not exist stays visible, so it can be seen and replaced
            const options = row.agent !== '' && !agents.includes(row.agent) ? [row.agent, ...agents] : agents;
            return (
              <li key={row.id} className="editor-deps-row">
                <select
                  ref={i === 0 ? focusRef : undefined}
                  aria-label={`Agent of dependency ${i + 1}`}
                  aria-invalid={invalid || undefined}
                  value={row.agent}
                  onChange={(e) => update(row.id, { agent: e.target.value })}
                  onBlur={onBlur}
                >
                  <option value="">Choose an agent…</option>
                  {options.map((a) => (
                    <option key={a} value={a}>
                      {agents.includes(a) ? a : `${a} (no such agent)`}
                    </option>
                  ))}
                </select>
                <select aria-label={`Condition on ${label}`} value={row.condition} onChange={(e) => update(row.id, { condition: e.target.value as DependencyCondition })} onBlur={onBlur}>
                  {DEPENDENCY_CONDITIONS.map((c) => (
                    <option key={c} value={c}>
                      {CONDITION_LABELS[c]}
                    </option>
                  ))}
                </select>
                <button type="button" aria-label={`Delete dependency on ${label}`} onClick={() => onChange(rows.filter((r) => r.id !== row.id))}>
                  Delete
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <button type="button" ref={rows.length === 0 ? focusRef : undefined} disabled={agents.length === 0 && rows.length === 0} onClick={add}>
        Add dependency
      </button>
      {agents.length === 0 && rows.length === 0 && <p className="muted editor-hint">There is no other agent to depend on yet.</p>}
      {invalid && (
        <div id={errorId} className="inline-error editor-field-error">
          {errors.map((line) => (
            <div key={line}>{line}</div>
          ))}
        </div>
      )}
    </fieldset>
  );
}
