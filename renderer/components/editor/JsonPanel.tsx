// The editor's JSON view: every field of the definition as text, checked as it is typed (see
// json-check.ts), its problems under it in the API's words.
import type { Ref } from 'react';

export interface JsonPanelProps {
  text: string;
  onChange: (text: string) => void;
  onBlur: () => void;
  /** What is wrong, one line each (empty: nothing, or nothing shown yet). */
  messages: string[];
  idOf: (what: string) => string;
  textareaRef: Ref<HTMLTextAreaElement>;
}

/** The JSON tab's panel. */
export function JsonPanel({ text, onChange, onBlur, messages, idOf, textareaRef }: JsonPanelProps) {
  return (
    <div role="tabpanel" id={idOf('panel-json')} aria-labelledby={idOf('tab-json')} className="editor-panel editor-panel--json">
      <label htmlFor={idOf('json')}>Definition (JSON)</label>
      <textarea
        ref={textareaRef}
        id={idOf('json')}
        className="mono editor-json"
        rows={16}
        spellCheck={false}
        value={text}
        aria-invalid={messages.length > 0 || undefined}
        aria-describedby={messages.length > 0 ? `${idOf('json-error')} ${idOf('json-hint')}` : idOf('json-hint')}
        onChange={(e) => onChange(e.target.value)}
        onBlur={onBlur}
      />
      <div id={idOf('json-hint')} className="muted editor-hint">
        Every field of the definition, as in agents.json: stop, discover, priority, restart, health, limits. Checked as you type.
      </div>
      {/* always there, so that a screen reader hears the problems as they come and go */}
      <div id={idOf('json-error')} className={messages.length > 0 ? 'inline-error editor-field-error' : undefined} aria-live="polite">
        {messages.map((line) => (
          <div key={line}>{line}</div>
        ))}
      </div>
    </div>
  );
}
