// A failed command's error where the user acted, in the API's words: message, hint, and a way
// to dismiss it (or to try again).
import type { ReactNode } from 'react';
import type { ActionError } from '../../store/types.js';
import { BulkFailures } from './BulkFailures.js';
import './error-note.css';

export interface ErrorNoteProps {
  error: ActionError;
  /** Shown as a dismiss button when given. */
  onDismiss?: () => void;
  /** Extra controls after the message (a Retry button). */
  children?: ReactNode;
  /** What failed, before the message ("Start web"), where the place alone does not say it. */
  label?: string;
  /** Extra classes for where it sits (spacing). */
  className?: string;
}

/** The error of one action, next to the control that ran it. */
export function ErrorNote({ error, onDismiss, children, label, className }: ErrorNoteProps) {
  return (
    <div className={`inline-error error-note${className ? ` ${className}` : ''}`} role="alert" data-code={error.code}>
      <span className={error.failures?.length ? 'error-note__text error-note__text--bulk' : 'error-note__text'}>
        {label && <strong className="error-note__label">{label}: </strong>}
        <span className="error-note__message">{error.message}</span>
        {error.failures?.length ? <BulkFailures failures={error.failures} /> : null}
        {error.hint && <span className="hint">{error.hint}</span>}
      </span>
      {children}
      {onDismiss && (
        <button type="button" className="error-note__dismiss" aria-label="Dismiss error" title="Dismiss" onClick={onDismiss}>
          ×
        </button>
      )}
    </div>
  );
}
