// The agent editor's form and JSON view: the common fields (and the stack's) as a form, every field
// as JSON, validated as the person types by the shared schema in the API's words; saving creates
// or updates the agent, and the host's refusal appears in the dialog.
import { useEffect, useId, useMemo, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import type { AgentDefinitionInput } from '../../../shared/agent.js';
import { RESTART_POLICIES } from '../../../shared/agent.js';
import { useTray, useTrayActions } from '../../store/react.js';
import { cycleThrough } from '../../store/stacks.js';
import type { EditorState } from '../../store/types.js';
import { ErrorNote } from '../common/ErrorNote.js';
import {
  FIELD_ORDER,
  definitionFromForm,
  definitionJson,
  dependencyRowProblems,
  emptyFormValues,
  envRowProblems,
  formFromDefinition,
  parseDefinitionJson,
  validateDefinition,
  type FieldKey,
  type FormValues,
  type JsonObject,
  type RestartPolicy,
} from './definition-form.js';
import { EnvEditor } from './EnvEditor.js';
import { RemoveAgent } from './RemoveAgent.js';
import { StackFields, type FieldHelpers } from './StackFields.js';

type Tab = 'form' | 'json';

const RESTART_LABELS: Record<RestartPolicy, string> = {
  no: 'no: never restart',
  'on-failure': 'on-failure: when it exits with an error',
  always: 'always: whenever it exits',
};

export interface EditorFormProps {
  editor: EditorState;
  initial: JsonObject;
  saveKey: string;
  onCancel: () => void;
}

/** The editor's form and JSON view, from a definition that is at hand. */
export function EditorForm({ editor, initial, saveKey, onCancel }: EditorFormProps) {
  const actions = useTrayActions();
  const saveError = useTray((s) => s.ui.errors[saveKey] ?? null);
  const saving = useTray((s) => s.ui.pending[saveKey] === true);
  const ids = useId();
  const idOf = (what: string) => `${ids}-${what}`;

  const nextId = useRef(0);
  const newId = () => ++nextId.current;
  const [start] = useState(() => {
    const fill = formFromDefinition(initial, newId);
    return fill.ok ? { tab: 'form' as Tab, values: fill.values, notes: null } : { tab: 'json' as Tab, values: null, notes: fill.problems };
  });
  const [tab, setTab] = useState<Tab>(start.tab);
  const [base, setBase] = useState<JsonObject>(initial);
  const [values, setValues] = useState<FormValues>(
    () => start.values ?? emptyFormValues(),
  );
  const [jsonText, setJsonText] = useState(() => definitionJson(initial));
  /** Why the JSON view could not switch to the form (shown until the text changes). */
  const [jsonNotes, setJsonNotes] = useState<string[] | null>(start.notes);
  const [touched, setTouched] = useState<ReadonlySet<FieldKey | 'json'>>(() => new Set());
  const [submitted, setSubmitted] = useState(false);

  const fieldRefs = useRef<Partial<Record<FieldKey, HTMLElement | null>>>({});
  const jsonRef = useRef<HTMLTextAreaElement>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  // the first field gets the focus when the form appears
  useEffect(() => {
    if (start.tab === 'form') fieldRefs.current.name?.focus();
    else jsonRef.current?.focus();
  }, [start.tab]);

  const formDefinition = useMemo(() => definitionFromForm(values, base), [values, base]);
  const parsedJson = useMemo(() => parseDefinitionJson(jsonText), [jsonText]);
  const validation = useMemo(() => {
    if (tab === 'form') return validateDefinition(formDefinition);
    return parsedJson.ok ? validateDefinition(parsedJson.value) : null;
  }, [tab, formDefinition, parsedJson]);
  const envProblems = useMemo(() => envRowProblems(values.env), [values.env]);
  const byName = useTray((s) => s.agents.byName);
  const dependencyProblems = useMemo(() => {
    const rows = dependencyRowProblems(values.dependsOn);
    const own = values.name || editor.name || '';
    const deps = Object.fromEntries(values.dependsOn.filter((r) => r.agent !== '').map((r) => [r.agent, r.condition]));
    const cycle = own ? cycleThrough(own, deps, byName) : null;
    return cycle ? [...rows, `these dependencies make a cycle: ${cycle}; remove one of them`] : rows;
  }, [values.dependsOn, values.name, editor.name, byName]);

  const shows = (field: FieldKey | 'json') => submitted || touched.has(field);
  const errorsOf = (field: FieldKey): string[] => {
    if (!shows(field)) return [];
    const lines = validation && !validation.ok ? validation.issues.filter((i) => i.field === field).map((i) => i.text) : [];
    if (field === 'env') return [...envProblems, ...lines];
    if (field === 'dependsOn') return [...dependencyProblems, ...lines];
    return lines;
  };
  const otherIssues = submitted && validation && !validation.ok ? validation.issues.filter((i) => i.field === null).map((i) => i.text) : [];
  const jsonMessages: string[] =
    jsonNotes ?? (shows('json') ? (parsedJson.ok ? (validation && !validation.ok ? validation.issues.map((i) => i.text) : []) : [parsedJson.error]) : []);

  const touch = (field: FieldKey | 'json') => setTouched((prev) => (prev.has(field) ? prev : new Set(prev).add(field)));
  const set = <K extends keyof FormValues>(key: K, value: FormValues[K]) => setValues((v) => ({ ...v, [key]: value }));

  const showJson = () => {
    if (tab === 'json') return;
    if (envProblems.length > 0) {
      touch('env');
      fieldRefs.current.env?.focus();
      return;
    }
    if (dependencyRowProblems(values.dependsOn).length > 0) {
      touch('dependsOn');
      fieldRefs.current.dependsOn?.focus();
      return;
    }
    setJsonText(definitionJson(formDefinition));
    setJsonNotes(null);
    setTab('json');
  };
  const showForm = () => {
    if (tab === 'form') return;
    if (!parsedJson.ok) {
      setJsonNotes([parsedJson.error]);
      return;
    }
    const fill = formFromDefinition(parsedJson.value, newId);
    if (!fill.ok) {
      setJsonNotes(fill.problems);
      return;
    }
    setBase(parsedJson.value);
    setValues(fill.values);
    setJsonNotes(null);
    setTab('form');
  };
  const onTabKey = (event: KeyboardEvent) => {
    if (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight') return;
    event.preventDefault();
    if (tab === 'form') showJson();
    else showForm();
  };
  // the selected tab keeps the focus when the arrow keys switch
  const tabRefs = useRef<Record<Tab, HTMLButtonElement | null>>({ form: null, json: null });
  const previousTab = useRef(tab);
  useEffect(() => {
    if (previousTab.current !== tab && tabRefs.current[previousTab.current] === document.activeElement) tabRefs.current[tab]?.focus();
    previousTab.current = tab;
  }, [tab]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (saving) return;
    setSubmitted(true);
    let definition: JsonObject;
    if (tab === 'json') {
      if (!parsedJson.ok) {
        jsonRef.current?.focus();
        return;
      }
      definition = parsedJson.value;
    } else {
      if (envProblems.length > 0) {
        fieldRefs.current.env?.focus();
        return;
      }
      if (dependencyProblems.length > 0) {
        fieldRefs.current.dependsOn?.focus();
        return;
      }
      definition = formDefinition;
    }
    const check = validateDefinition(definition);
    if (!check.ok) {
      if (tab === 'json') jsonRef.current?.focus();
      else {
        const first = FIELD_ORDER.find((f) => check.issues.some((i) => i.field === f));
        if (first) fieldRefs.current[first]?.focus();
      }
      return;
    }
    // what the person wrote is saved, not the schema's output with its defaults filled in
    const input = definition as AgentDefinitionInput;
    const outcome = editor.mode === 'edit' && editor.name !== null ? await actions.updateAgent(editor.name, input) : await actions.createAgent(input);
    if (!outcome.ok || !mounted.current) return;
    actions.closeEditor();
    actions.navigate('agent', check.data.name);
  };

  /** After a removal the editor closes and the list shows. */
  const onRemoved = () => {
    actions.closeEditor();
    actions.navigate('agents');
  };

  /** Props that tie a field to its label, hint and messages. */
  const described = (field: FieldKey, hint?: boolean) => {
    const errors = errorsOf(field);
    const by = [errors.length > 0 ? idOf(`${field}-error`) : null, hint ? idOf(`${field}-hint`) : null].filter(Boolean).join(' ');
    return {
      id: idOf(field),
      'aria-invalid': errors.length > 0 || undefined,
      'aria-describedby': by || undefined,
      onBlur: () => touch(field),
      ref: (el: HTMLElement | null) => {
        fieldRefs.current[field] = el;
      },
    };
  };
  const errorBox = (field: FieldKey) => {
    const errors = errorsOf(field);
    if (errors.length === 0) return null;
    return (
      <div id={idOf(`${field}-error`)} className="inline-error editor-field-error">
        {errors.map((line) => (
          <div key={line}>{line}</div>
        ))}
      </div>
    );
  };
  const hint = (field: FieldKey, text: ReactNode) => (
    <div id={idOf(`${field}-hint`)} className="muted editor-hint">
      {text}
    </div>
  );
  const helpers: FieldHelpers = {
    described,
    errorBox,
    hint,
    errorsOf,
    touch,
    idOf,
    newId,
    focusRef: (field) => (el) => {
      fieldRefs.current[field] = el;
    },
  };

  return (
    <form className="editor-form" noValidate onSubmit={(e) => void submit(e)}>
      <div className="editor-tabs" role="tablist" aria-label="Edit as">
        {(['form', 'json'] as const).map((t) => (
          <button
            key={t}
            ref={(el) => {
              tabRefs.current[t] = el;
            }}
            type="button"
            role="tab"
            id={idOf(`tab-${t}`)}
            aria-selected={tab === t}
            aria-controls={idOf(`panel-${t}`)}
            tabIndex={tab === t ? 0 : -1}
            onClick={t === 'form' ? showForm : showJson}
            onKeyDown={onTabKey}
          >
            {t === 'form' ? 'Form' : 'JSON'}
          </button>
        ))}
      </div>

      {tab === 'form' ? (
        <div role="tabpanel" id={idOf('panel-form')} aria-labelledby={idOf('tab-form')} className="editor-panel editor-fields">
          <label htmlFor={idOf('name')}>Name</label>
          <div className="editor-control">
            <input {...described('name', true)} className="mono" value={values.name} autoComplete="off" spellCheck={false} onChange={(e) => set('name', e.target.value)} />
            {hint('name', 'Letters, digits, "-", "_" and "."; it names the log files too.')}
            {errorBox('name')}
          </div>

          <label htmlFor={idOf('description')}>Description</label>
          <div className="editor-control">
            <input {...described('description')} value={values.description} onChange={(e) => set('description', e.target.value)} />
            {errorBox('description')}
          </div>

          <label htmlFor={idOf('command')}>Command</label>
          <div className="editor-control">
            <input {...described('command', true)} className="mono" value={values.command} autoComplete="off" spellCheck={false} onChange={(e) => set('command', e.target.value)} />
            {hint('command', 'The program: a name on PATH, such as python3, or a full path.')}
            {errorBox('command')}
          </div>

          <label htmlFor={idOf('args')}>Arguments</label>
          <div className="editor-control">
            <textarea {...described('args', true)} className="mono" rows={Math.min(10, Math.max(3, values.args.split('\n').length + 1))} value={values.args} spellCheck={false} onChange={(e) => set('args', e.target.value)} />
            {hint('args', 'One per line: --port and 8000 are two lines. No shell: quotes are part of the argument.')}
            {errorBox('args')}
          </div>

          <label htmlFor={idOf('cwd')}>Working directory</label>
          <div className="editor-control">
            <input {...described('cwd', true)} className="mono" value={values.cwd} autoComplete="off" spellCheck={false} onChange={(e) => set('cwd', e.target.value)} />
            {hint('cwd', "Blank: Agent Tray's data folder. A relative path starts there.")}
            {errorBox('cwd')}
          </div>

          <div className="editor-wide">
            <EnvEditor
              rows={values.env}
              onChange={(rows) => set('env', rows)}
              newId={newId}
              onBlur={() => touch('env')}
              errors={errorsOf('env')}
              errorId={idOf('env-error')}
              focusRef={(el) => {
                fieldRefs.current.env = el;
              }}
            />
          </div>

          <label htmlFor={idOf('port')}>Port</label>
          <div className="editor-control">
            <input {...described('port', true)} className="editor-short" inputMode="numeric" value={values.port} autoComplete="off" onChange={(e) => set('port', e.target.value)} />
            {hint('port', 'The TCP port it listens on, if any: shown in the list and checked for conflicts.')}
            {errorBox('port')}
          </div>

          <span />
          <div className="editor-control">
            <label className="editor-check">
              <input {...described('autostart')} type="checkbox" checked={values.autostart} onChange={(e) => set('autostart', e.target.checked)} />
              Start when Agent Tray starts
            </label>
            {errorBox('autostart')}
          </div>

          <label htmlFor={idOf('restartPolicy')}>Restart policy</label>
          <div className="editor-control">
            <select {...described('restartPolicy')} value={values.restartPolicy} onChange={(e) => set('restartPolicy', e.target.value as RestartPolicy | '')}>
              <option value="">Default (from the settings)</option>
              {RESTART_POLICIES.map((p) => (
                <option key={p} value={p}>
                  {RESTART_LABELS[p]}
                </option>
              ))}
            </select>
            {errorBox('restartPolicy')}
          </div>

          <label htmlFor={idOf('maxRestarts')}>Max restarts</label>
          <div className="editor-control">
            <input {...described('maxRestarts', true)} className="editor-short" inputMode="numeric" value={values.maxRestarts} autoComplete="off" onChange={(e) => set('maxRestarts', e.target.value)} />
            {hint('maxRestarts', 'It gives up after more restarts than this within the restart window (blank: the default).')}
            {errorBox('maxRestarts')}
          </div>

          <label htmlFor={idOf('healthUrl')}>Health check URL</label>
          <div className="editor-control">
            <input {...described('healthUrl', true)} className="mono" type="url" value={values.healthUrl} autoComplete="off" spellCheck={false} placeholder="http://127.0.0.1:8000/health" onChange={(e) => set('healthUrl', e.target.value)} />
            {hint('healthUrl', 'Healthy while a GET answers 2xx. Other probes (tcp, command) and timings: in the JSON view.')}
            {errorBox('healthUrl')}
          </div>

          <StackFields values={values} set={set} agent={editor.name} helpers={helpers} />

          {otherIssues.length > 0 && (
            <div className="editor-wide inline-error editor-field-error">
              <div>Fields the JSON view shows:</div>
              {otherIssues.map((line) => (
                <div key={line}>{line}</div>
              ))}
            </div>
          )}
        </div>
      ) : (
        <div role="tabpanel" id={idOf('panel-json')} aria-labelledby={idOf('tab-json')} className="editor-panel">
          <label htmlFor={idOf('json')}>Definition (JSON)</label>
          <textarea
            ref={jsonRef}
            id={idOf('json')}
            className="mono editor-json"
            rows={16}
            spellCheck={false}
            value={jsonText}
            aria-invalid={jsonMessages.length > 0 || undefined}
            aria-describedby={jsonMessages.length > 0 ? idOf('json-error') : idOf('json-hint')}
            onChange={(e) => {
              setJsonText(e.target.value);
              setJsonNotes(null);
            }}
            onBlur={() => touch('json')}
          />
          <div id={idOf('json-hint')} className="muted editor-hint">
            Every field of the definition, as in agents.json: stop, discover, priority, restart, health, limits.
          </div>
          {jsonMessages.length > 0 && (
            <div id={idOf('json-error')} className="inline-error editor-field-error">
              {jsonMessages.map((line) => (
                <div key={line}>{line}</div>
              ))}
            </div>
          )}
        </div>
      )}

      {saveError && (
        <ErrorNote error={saveError} className="editor-save-error" />
      )}

      <div className="editor-footer">
        <div>{editor.mode === 'edit' && editor.name !== null && <RemoveAgent name={editor.name} onRemoved={onRemoved} />}</div>
        <div className="editor-footer-buttons">
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={saving} aria-busy={saving || undefined}>
            Save
          </button>
        </div>
      </div>
    </form>
  );
}
