// The environment of an agent as NAME = value rows, with add and delete. A row ticked "Secret" is
// kept in the host's secret store, not in agents.json: only its name is saved in the definition
// (secretEnv), its value is sent to the store on save and never shown again (a stored one reads
// "stored"; typing replaces it). Values of secret-looking names (KEY, TOKEN, SECRET, PASSWORD) and
// of secret rows are typed into password fields unless shown.
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

/** The placeholder of a value field. */
function placeholderOf(row: EnvRow): string {
  if (row.secret && row.stored) return '•••••• stored; type to replace';
  if (row.secret) return 'value (kept in the secret store)';
  return 'value';
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
  const anySecret = rows.some((r) => r.secret);

  return (
    <fieldset className="editor-env" aria-describedby={invalid ? errorId : undefined}>
      <legend>Environment</legend>
      {rows.length === 0 && <p className="muted editor-hint">No variables: the agent gets Agent Tray&apos;s environment.</p>}
      {rows.length > 0 && (
        <ul className="editor-env-rows">
          {rows.map((row, i) => {
            const hidden = isSecretName(row.name) || row.secret === true;
            const label = row.name || `variable ${i + 1}`;
            return (
              <li key={row.id} className={`editor-env-row${row.secret ? ' editor-env-row--secret' : ''}`}>
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
                  type={hidden && !shown.has(row.id) ? 'password' : 'text'}
                  value={row.value}
                  placeholder={placeholderOf(row)}
                  autoComplete="off"
                  spellCheck={false}
                  onChange={(e) => update(row.id, { value: e.target.value })}
                  onBlur={onBlur}
                />
                {hidden ? (
                  <button type="button" aria-pressed={shown.has(row.id)} aria-label={`Show ${label}`} onClick={() => toggleShown(row.id)}>
                    {shown.has(row.id) ? 'Hide' : 'Show'}
                  </button>
                ) : (
                  <span className="editor-env-spacer" />
                )}
                <label className="editor-env-secret" title="Keep the value in the secret store (encrypted by the system keychain in the desktop app), not in agents.json">
                  <input type="checkbox" aria-label={`Keep ${label} secret`} checked={row.secret === true} onChange={(e) => update(row.id, { secret: e.target.checked })} onBlur={onBlur} />
                  Secret
                </label>
                <button type="button" aria-label={`Delete ${label}`} onClick={() => onChange(rows.filter((r) => r.id !== row.id))}>
                  Delete
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {anySecret && <p className="muted editor-hint">Secret values go to the secret store when you save; agents.json keeps only their names (secretEnv).</p>}
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
