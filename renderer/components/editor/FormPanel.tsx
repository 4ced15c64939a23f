// The editor's Form tab: the common fields of a definition (and the stack's), each with its hint
// and its problems in the API's words.
import type { ReactNode } from 'react';
import { RESTART_POLICIES } from '../../../shared/agent.js';
import type { FormValues, RestartPolicy } from './definition-form.js';
import { EnvEditor } from './EnvEditor.js';
import { StackFields, type FieldHelpers } from './StackFields.js';

const RESTART_LABELS: Record<RestartPolicy, string> = {
  no: 'no: never restart',
  'on-failure': 'on-failure: when it exits with an error',
  always: 'always: whenever it exits',
};

export interface FormPanelProps {
  values: FormValues;
  set: <K extends keyof FormValues>(key: K, value: FormValues[K]) => void;
  /** The agent edited, or null. */
  agent: string | null;
  helpers: FieldHelpers;
  /** Problems of fields the form does not show (after a Save). */
  otherIssues: string[];
}

/** The Form tab's panel. */
export function FormPanel({ values, set, agent, helpers, otherIssues }: FormPanelProps): ReactNode {
  const { described, errorBox, hint, errorsOf, touch, idOf, newId, focusRef } = helpers;
  return (
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
          focusRef={focusRef('env')}
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

      <StackFields values={values} set={set} agent={agent} helpers={helpers} />

      {otherIssues.length > 0 && (
        <div className="editor-wide inline-error editor-field-error">
          <div>Fields the JSON view shows:</div>
          {otherIssues.map((line) => (
            <div key={line}>{line}</div>
          ))}
        </div>
      )}
    </div>
  );
}
