// The agent editor's form and JSON view: the common fields (and the stack's) as a form, every field
// as JSON, both validated as the person types by the shared schema in the API's words; saving
// creates or updates the agent, and the host's refusal appears in the dialog. A running agent's
// save applies from its next start (with an offer to restart it now); renaming it is "Stop,
// rename, start".
import { useEffect, useId, useMemo, useRef, useState, type FormEvent, type KeyboardEvent, type ReactNode } from 'react';
import type { AgentDefinitionInput } from '../../../shared/agent.js';
import type { AgentState } from '../../../shared/status.js';
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
} from './definition-form.js';
import { EditorFooter } from './EditorFooter.js';
import { FormPanel } from './FormPanel.js';
import { checkDefinitionText } from './json-check.js';
import { JsonPanel } from './JsonPanel.js';
import { SavedWhileRunning } from './SavedWhileRunning.js';
import type { FieldHelpers } from './StackFields.js';
import { useDebounced } from './use-debounced.js';
import { initialSecretNames, keepTypedSecrets, secretChanges } from './secret-saves.js';
import { errorFor } from '../../store/selectors.js';

type Tab = 'form' | 'json';

/** How long the JSON view waits after the last key before it checks the text. */
export const JSON_CHECK_DELAY_MS = 200;

/** States in which a save applies only from the next start (the process runs with the definition it started with). */
const RUNS_ON: readonly AgentState[] = ['starting', 'running', 'stopping'];
/** States in which the host renames an agent only by stopping and starting it (restart=true). */
const RENAME_RESTARTS: readonly AgentState[] = [...RUNS_ON, 'waiting', 'backoff'];


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
  const [secretsFor, setSecretsFor] = useState<string | null>(editor.mode === 'edit' ? editor.name : null);
  const secretError = useTray((s) => (secretsFor === null ? null : errorFor(s.ui, 'secret', secretsFor)));
  /** The agent's secretEnv when the editor opened: a save removes the stored values of names it drops. */
  const [secretsBefore] = useState(() => (editor.mode === 'edit' ? initialSecretNames(initial) : []));
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
  /** Saved while the agent runs: the offer to restart it now (the agent's name). */
  const [savedRunning, setSavedRunning] = useState<string | null>(null);
  const agentState = useTray((s) => (editor.mode === 'edit' && editor.name !== null ? s.agents.byName[editor.name]?.state : undefined));

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
  // the JSON view is checked as it is typed, a moment after the last key
  const [checkedText, checkNow] = useDebounced(jsonText, JSON_CHECK_DELAY_MS);
  /** The text the JSON view was given (at the start, or from the form): its problems show once the person changed it, left it or saved. */
  const givenText = useRef(jsonText);
  const jsonCheck = useMemo(() => checkDefinitionText(checkedText), [checkedText]);
  const validation = useMemo(() => (tab === 'form' ? validateDefinition(formDefinition) : null), [tab, formDefinition]);
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
  const jsonMessages: string[] = jsonNotes ?? (shows('json') || checkedText !== givenText.current ? jsonCheck.messages : []);
  // Save says it cannot while the dialog shows a problem (pressing it shows where)
  const blocked = tab === 'json' ? jsonMessages.length > 0 : otherIssues.length > 0 || FIELD_ORDER.some((f) => errorsOf(f).length > 0);
  // a running agent: a save applies from its next start; a new name is "Stop, rename, start"
  const runsOn = agentState !== undefined && RUNS_ON.includes(agentState);
  const newName = tab === 'form' ? values.name : parsedJson.ok && typeof parsedJson.value.name === 'string' ? parsedJson.value.name : editor.name;
  const renamed = editor.name !== null && newName !== null && newName !== '' && newName !== editor.name;
  const renameTo = renamed && agentState !== undefined && RENAME_RESTARTS.includes(agentState) ? newName : null;

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
    const text = definitionJson(formDefinition);
    givenText.current = text;
    setJsonText(text);
    checkNow(text);
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
    setValues((before) => keepTypedSecrets(fill.values, before)); // the JSON view never holds a secret's value
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
      // what is in the box now, not what was checked a moment ago
      checkNow(jsonText);
      touch('json');
      const now = checkDefinitionText(jsonText);
      if (!now.value || now.messages.length > 0) {
        jsonRef.current?.focus();
        return;
      }
      definition = now.value;
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
    const editing = editor.mode === 'edit' && editor.name !== null ? editor.name : null;
    const restart = editing !== null && renameTo !== null;
    const secrets = secretChanges(definition, values.env, secretsBefore);
    /** Sends the typed secret values to the host's secret store; false when one was refused (shown in the dialog). */
    const storeSecrets = async (name: string): Promise<boolean> => {
      setSecretsFor(name);
      for (const [key, value] of secrets.set) if (!(await actions.setSecret(name, key, value)).ok) return false;
      return true;
    };
    // an agent that exists gets its secrets first, so that a save that restarts it starts it with them
    if (editing !== null && !(await storeSecrets(editing))) return;
    const outcome = editing !== null ? await actions.updateAgent(editing, input, restart ? { restart: true } : undefined) : await actions.createAgent(input);
    if (!outcome.ok || !mounted.current) return;
    if (editing === null && !(await storeSecrets(check.data.name))) return;
    if (secrets.remove.length > 0) setSecretsFor(check.data.name);
    for (const key of secrets.remove) await actions.removeSecret(check.data.name, key);
    // saved while it runs on with its old definition: offer to restart it now
    if (editing !== null && !restart && RUNS_ON.includes(outcome.result.state)) {
      setSavedRunning(check.data.name);
      return;
    }
    actions.closeEditor();
    actions.navigate('agent', check.data.name);
  };

  /** Closes the editor and shows the agent. */
  const done = (name: string) => {
    actions.closeEditor();
    actions.navigate('agent', name);
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

  if (savedRunning !== null) {
    const name = savedRunning;
    return (
      <SavedWhileRunning
        name={name}
        onClose={() => done(name)}
        onRestart={() => {
          void actions.restart(name);
          done(name);
        }}
      />
    );
  }

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
        <FormPanel values={values} set={set} agent={editor.name} helpers={helpers} otherIssues={otherIssues} />
      ) : (
        <JsonPanel
          text={jsonText}
          onChange={(text) => {
            setJsonText(text);
            setJsonNotes(null);
          }}
          onBlur={() => touch('json')}
          messages={jsonMessages}
          idOf={idOf}
          textareaRef={jsonRef}
        />
      )}

      {saveError && (
        <ErrorNote error={saveError} className="editor-save-error" />
      )}
      {secretError && <ErrorNote error={secretError} className="editor-save-error" />}

      <EditorFooter
        agent={editor.mode === 'edit' ? editor.name : null}
        state={agentState ?? null}
        runsOn={runsOn}
        renameTo={renameTo}
        saving={saving}
        blocked={blocked}
        blockedId={idOf('blocked')}
        onCancel={onCancel}
        onRemoved={onRemoved}
      />
    </form>
  );
}
