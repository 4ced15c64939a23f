// The environment of an agent as NAME = value rows, with add and delete; values of secret-looking
// names (KEY, TOKEN, SECRET, PASSWORD) are typed into password fields unless shown.
import { useState } from 'react';
import { isSecretName } from '../../store/format.js';
import type { EnvRow } from './definition-form.js';

export interface EnvEditorProps {
  rows: EnvRow[];
  onChange: (rows: EnvRow[]) => void;
  /** A new row's id. */
  newId: () => number;
  onBlur: () => void;
  /** The messages shown under the rows. */
  errors: readonly string[];
  errorId: string;
  /** Receives the element that gets the focus when the environment has an error. */
  focusRef: (el: HTMLElement | null) => void;
}

/** The environment rows of the editor's form. */
export function EnvEditor({ rows, onChange, newId, onBlur, errors, errorId, focusRef }: EnvEditorProps) {
  const [shown, setShown] = useState<ReadonlySet<number>>(() => new Set());
  const update = (id: number, patch: Partial<EnvRow>) => onChange(rows.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  const toggleShown = (id: number) =>
    setShown((prev) => {
      const next = new Set(prev);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  const invalid = errors.length > 0;

  return (
    <fieldset className="editor-env" aria-describedby={invalid ? errorId : undefined}>
      <legend>Environment</legend>
      {rows.length === 0 && <p className="muted editor-hint">No variables: the agent gets Agent Tray&apos;s environment.</p>}
      {rows.length > 0 && (
        <ul className="editor-env-rows">
          {rows.map((row, i) => {
            const secret = isSecretName(row.name);
            const label = row.name || `variable ${i + 1}`;
            return (
              <li key={row.id} className="editor-env-row">
                <input
                  ref={i === 0 ? focusRef : undefined}
                  className="mono"
                  aria-label={`Name of variable ${i + 1}`}
                  aria-invalid={invalid || undefined}
                  value={row.name}
                  placeholder="NAME"
                  autoComplete="off"
                  spellCheck={false}
                  onChange={(e) => update(row.id, { name: e.target.value })}
                  onBlur={onBlur}
                />
                <span aria-hidden="true">=</span>
                <input
                  className="mono"
                  aria-label={`Value of ${label}`}
                  type={secret && !shown.has(row.id) ? 'password' : 'text'}
                  value={row.value}
                  placeholder="value"
                  autoComplete="off"
                  spellCheck={false}
                  onChange={(e) => update(row.id, { value: e.target.value })}
                  onBlur={onBlur}
                />
                {secret ? (
                  <button type="button" aria-pressed={shown.has(row.id)} aria-label={`Show ${label}`} onClick={() => toggleShown(row.id)}>
                    {shown.has(row.id) ? 'Hide' : 'Show'}
                  </button>
                ) : (
                  <span className="editor-env-spacer" />
                )}
                <button type="button" aria-label={`Delete ${label}`} onClick={() => onChange(rows.filter((r) => r.id !== row.id))}>
                  Delete
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <button type="button" ref={rows.length === 0 ? focusRef : undefined} onClick={() => onChange([...rows, { id: newId(), name: '', value: '' }])}>
        Add variable
      </button>
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
