// The stack fields of the agent editor's form: what the agent depends on (agent pickers and
// conditions), its ready line with a live test against the agent's recent output, and its groups.
import { useEffect, useMemo, useRef, type ReactNode } from 'react';
import { useTray, useTrayActions } from '../../store/react.js';
import { ringSlice } from '../../store/ring.js';
import { groupSummaries } from '../../store/stacks.js';
import { agentList } from '../../store/selectors.js';
import type { DependencyRow, FieldKey, FormValues } from './definition-form.js';
import { DependsOnEditor } from './DependsOnEditor.js';
import { testReadyLine } from './ready-line.js';

/** How many of the agent's newest lines the ready line is tried on. */
export const READY_TEST_LINES = 500;

/** The props that tie a field to its label, hint and messages. */
export interface DescribedProps {
  id: string;
  'aria-invalid': true | undefined;
  'aria-describedby': string | undefined;
  onBlur: () => void;
  ref: (el: HTMLElement | null) => void;
}

/** The editor's helpers for one field: its props, its messages, its hint. */
export interface FieldHelpers {
  described: (field: FieldKey, hint?: boolean) => DescribedProps;
  errorBox: (field: FieldKey) => ReactNode;
  hint: (field: FieldKey, text: ReactNode) => ReactNode;
  errorsOf: (field: FieldKey) => string[];
  touch: (field: FieldKey) => void;
  idOf: (what: string) => string;
  focusRef: (field: FieldKey) => (el: HTMLElement | null) => void;
  newId: () => number;
}

export interface StackFieldsProps {
  values: FormValues;
  set: <K extends keyof FormValues>(key: K, value: FormValues[K]) => void;
  /** The saved agent whose output the ready line is tried on (edit, duplicate); null for a new one. */
  agent: string | null;
  helpers: FieldHelpers;
}

/** The result of the ready line's test, in words. */
function ReadyLineResult({ source, agent, idOf }: { source: string; agent: string | null; idOf: (what: string) => string }) {
  const actions = useTrayActions();
  const log = useTray((s) => (agent ? s.logs.byAgent[agent] : undefined));
  const known = useTray((s) => (agent ? s.agents.byName[agent] !== undefined : false));
  // the recent lines come from the host once, when the window has not fetched them yet (not again on every line)
  const fetched = log !== undefined && log.backlog !== 'none';
  const asked = useRef<string | null>(null);
  useEffect(() => {
    if (!agent || !known || fetched || asked.current === agent) return;
    asked.current = agent;
    void actions.loadLogs(agent, READY_TEST_LINES);
  }, [actions, agent, known, fetched]);
  const lines = useMemo(() => (log ? ringSlice(log.lines, Math.max(0, log.lines.length - READY_TEST_LINES)).map((l) => l.text) : []), [log]);
  const result = useMemo(() => testReadyLine(source, lines), [source, lines]);

  let text: ReactNode;
  switch (result.kind) {
    case 'blank':
      return null;
    case 'invalid':
      return null; // the schema's message says it under the field
    case 'no-lines':
      text = agent && known ? `${agent} has printed nothing yet to try it on.` : 'It is tried on the agent’s output once the agent has run.';
      break;
    case 'no-match':
      text = `No match in the last ${result.scanned} lines of ${agent}.`;
      break;
    case 'match':
      text = (
        <>
          Matches {result.matches} of the last {result.scanned} lines of {agent}; the first: <code className="editor-ready-line">{result.line}</code>
        </>
      );
      break;
  }
  return (
    <div id={idOf('readyLine-test')} className={`editor-hint editor-ready-test editor-ready-test--${result.kind}`} role="status">
      {text}
    </div>
  );
}

/** The Depends on, Ready line and Groups fields (children of the form's grid). */
export function StackFields({ values, set, agent, helpers }: StackFieldsProps) {
  const { described, errorBox, hint, errorsOf, touch, idOf, focusRef, newId } = helpers;
  const agents = useTray((s) => s.agents);
  const others = useMemo(() => agents.order.filter((n) => n !== values.name), [agents.order, values.name]);
  const knownGroups = useMemo(() => groupSummaries(agentList(agents)).map((g) => g.name), [agents]);
  const readyProps = described('readyLine', true);
  const describedBy = [readyProps['aria-describedby'], values.readyLine ? idOf('readyLine-test') : null].filter(Boolean).join(' ') || undefined;

  return (
    <>
      <div className="editor-wide">
        <DependsOnEditor
          rows={values.dependsOn}
          onChange={(rows: DependencyRow[]) => set('dependsOn', rows)}
          agents={others}
          newId={newId}
          onBlur={() => touch('dependsOn')}
          errors={errorsOf('dependsOn')}
          errorId={idOf('dependsOn-error')}
          focusRef={focusRef('dependsOn')}
        />
      </div>

      <label htmlFor={idOf('readyLine')}>Ready line</label>
      <div className="editor-control">
        <input
          {...readyProps}
          aria-describedby={describedBy}
          className="mono"
          value={values.readyLine}
          autoComplete="off"
          spellCheck={false}
          placeholder="Listening on|model loaded"
          onChange={(e) => set('readyLine', e.target.value)}
        />
        {hint('readyLine', 'A regular expression: the first output line it matches makes the agent ready (for dependents that wait for "ready").')}
        <ReadyLineResult source={values.readyLine} agent={agent} idOf={idOf} />
        {errorBox('readyLine')}
      </div>

      <label htmlFor={idOf('groups')}>Groups</label>
      <div className="editor-control">
        <input {...described('groups', true)} list={idOf('groups-known')} value={values.groups} autoComplete="off" spellCheck={false} placeholder="research, local" onChange={(e) => set('groups', e.target.value)} />
        <datalist id={idOf('groups-known')}>
          {knownGroups.map((g) => (
            <option key={g} value={g} />
          ))}
        </datalist>
        {hint('groups', 'Names separated by commas: start or stop a group together (list, tray, CLI).')}
        {errorBox('groups')}
      </div>
    </>
  );
}
