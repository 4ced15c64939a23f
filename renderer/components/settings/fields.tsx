// The settings view's controls: a number field that commits on Enter or when it loses the focus,
// and the line beside each control that says it was saved, why it was not, or what the API said.
import { useRef, useState, type ReactNode } from 'react';
import type { ActionError } from '../../store/types.js';

/** What happened to a control's last change. */
export type Feedback = { kind: 'saved' } | { kind: 'invalid'; lines: string[] } | { kind: 'failed'; error: ActionError } | { kind: 'busy' };

/** The line under a control; its id is what the control's aria-describedby names. */
export function FeedbackLine({ id, feedback }: { id: string; feedback: Feedback | undefined }) {
  if (!feedback) return null;
  switch (feedback.kind) {
    case 'busy':
      return (
        <span id={id} className="settings-feedback muted" role="status">
          Saving…
        </span>
      );
    case 'saved':
      return (
        <span id={id} className="settings-feedback settings-saved" role="status">
          Saved
        </span>
      );
    case 'invalid':
      return (
        <div id={id} className="settings-feedback inline-error">
          {feedback.lines.map((line) => (
            <div key={line}>{line}</div>
          ))}
        </div>
      );
    case 'failed':
      return (
        <div id={id} className="settings-feedback inline-error" role="alert">
          {feedback.error.message}
          {feedback.error.hint && <span className="hint">{feedback.error.hint}</span>}
        </div>
      );
  }
}

/** True when the feedback is a problem (the control is marked invalid). */
export function isProblem(feedback: Feedback | undefined): boolean {
  return feedback?.kind === 'invalid' || feedback?.kind === 'failed';
}

/** A number as the field shows it: no trailing zeros, no exponent for the sizes settings have. */
function numberText(n: number | undefined, scale: number): string {
  if (n === undefined) return '';
  return String(Math.round((n / scale) * 1000) / 1000);
}

export interface NumberSettingProps {
  id: string;
  label: ReactNode;
  /** The saved value (in the setting's own unit); undefined: not set. */
  value: number | undefined;
  /** The field shows value / scale (1000: milliseconds shown as seconds). */
  scale?: number;
  /** Blank means "not set" (the setting is removed); otherwise a blank field goes back to the saved value. */
  optional?: boolean;
  placeholder?: string;
  hint?: ReactNode;
  feedback: Feedback | undefined;
  /** Sends the value (a number in the setting's unit, undefined, or the text when it is no number); resolves true when it was saved. */
  onCommit: (value: number | string | undefined) => Promise<boolean>;
}

/** A number setting: typed freely, sent on Enter or blur when it changed; Escape goes back to the saved value. */
export function NumberSetting({ id, label, value, scale = 1, optional = false, placeholder, hint, feedback, onCommit }: NumberSettingProps) {
  const [draft, setDraft] = useState<string | null>(null);
  const sending = useRef(false);
  const saved = numberText(value, scale);
  const text = draft ?? saved;

  const commit = async () => {
    if (draft === null || sending.current) return;
    const t = draft.trim();
    if (t === saved) {
      setDraft(null);
      return;
    }
    let next: number | string | undefined;
    if (t === '') {
      if (!optional) {
        setDraft(null);
        return;
      }
      next = undefined;
    } else if (/^[+-]?(\d+(\.\d*)?|\.\d+)$/.test(t)) {
      next = scale === 1 ? Number(t) : Math.round(Number(t) * scale);
    } else next = t;
    sending.current = true;
    try {
      if (await onCommit(next)) setDraft(null);
    } finally {
      sending.current = false;
    }
  };

  const describedBy = [feedback ? `${id}-feedback` : null, hint ? `${id}-hint` : null].filter(Boolean).join(' ');
  return (
    <div className="settings-row">
      <label htmlFor={id}>{label}</label>
      <div className="settings-control">
        <input
          id={id}
          className="settings-number"
          inputMode="decimal"
          autoComplete="off"
          value={text}
          placeholder={placeholder}
          aria-invalid={isProblem(feedback) || undefined}
          aria-describedby={describedBy || undefined}
          onChange={(e) => setDraft(e.target.value)}
          onBlur={() => void commit()}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void commit();
            } else if (e.key === 'Escape' && draft !== null) {
              e.preventDefault();
              setDraft(null);
            }
          }}
        />
        {hint && (
          <span id={`${id}-hint`} className="muted settings-hint">
            {hint}
          </span>
        )}
        <FeedbackLine id={`${id}-feedback`} feedback={feedback} />
      </div>
    </div>
  );
}
