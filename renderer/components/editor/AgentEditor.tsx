// The agent editor: a modal dialog over the current view to add, edit, duplicate and remove an
// agent. A form for the common fields and a JSON view for everything else, validated as the person
// types by the shared schema, with the API's own words; the host's refusals appear in the dialog.
import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { useTray, useTrayActions } from '../../store/react.js';
import { actionKey } from '../../store/selectors.js';
import type { ActionError, EditorState } from '../../store/types.js';
import { emptyDefinition, type JsonObject } from './definition-form.js';
import { EditorForm } from './EditorForm.js';
import { useModalFocus } from './use-modal-focus.js';
import { ErrorNote } from '../common/ErrorNote.js';
import '../common/modal.css';
import './AgentEditor.css';

/** The dialog's title: "Add agent", "Edit alpha", "Duplicate alpha". */
export function editorTitle(editor: EditorState): string {
  if (editor.mode === 'create' || editor.name === null) return 'Add agent';
  return `${editor.mode === 'edit' ? 'Edit' : 'Duplicate'} ${editor.name}`;
}

/** The agent editor, while `ui.editor` says it is open. */
export function AgentEditor() {
  const editor = useTray((s) => s.ui.editor);
  if (!editor) return null;
  // a different agent or mode is a fresh dialog, not the old one's state
  return <EditorDialog key={`${editor.mode}:${editor.name ?? ''}:${editor.template?.name ?? ''}`} editor={editor} />;
}

/** The name a duplicate starts with: not the original's, which the host would refuse. */
function duplicateOf(def: JsonObject, original: string): JsonObject {
  return def.name === original ? { ...def, name: `${original}-copy` } : { ...def };
}

type Loading = { status: 'loading' } | { status: 'ready'; definition: JsonObject } | { status: 'failed'; error: ActionError };

function EditorDialog({ editor }: { editor: EditorState }) {
  const actions = useTrayActions();
  const titleId = useId();
  const dialogRef = useRef<HTMLDivElement>(null);
  // the saved definition is fetched for an edit, and for a duplicate that came without one
  const needsLoad = editor.name !== null && (editor.mode === 'edit' || editor.template === null);
  const [loading, setLoading] = useState<Loading>(() => {
    if (needsLoad) return { status: 'loading' };
    const template = editor.template ? ({ ...editor.template } as JsonObject) : emptyDefinition();
    return { status: 'ready', definition: editor.mode === 'duplicate' && editor.name ? duplicateOf(template, editor.name) : template };
  });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!needsLoad || editor.name === null) return;
    const name = editor.name;
    let live = true;
    void actions.loadDefinition(name).then((outcome) => {
      if (!live) return;
      if (!outcome.ok) setLoading({ status: 'failed', error: outcome.error });
      else {
        const def = { ...outcome.result } as JsonObject;
        setLoading({ status: 'ready', definition: editor.mode === 'duplicate' ? duplicateOf(def, name) : def });
      }
    });
    return () => {
      live = false;
    };
  }, [actions, editor.mode, editor.name, needsLoad, attempt]);

  const saveKey = editor.mode === 'edit' && editor.name !== null ? actionKey('update', editor.name) : actionKey('create');
  const close = () => {
    actions.dismissError(saveKey);
    actions.closeEditor();
  };
  const onKeyDown = useModalFocus(dialogRef, close);

  // the focus moves into the dialog at once (the form moves it on to its first field)
  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.contains(document.activeElement)) dialog.focus();
  }, []);

  let body: ReactNode;
  if (loading.status === 'ready') body = <EditorForm editor={editor} initial={loading.definition} saveKey={saveKey} onCancel={close} />;
  else if (loading.status === 'loading') body = <p className="muted editor-loading">Loading the definition of {editor.name}…</p>;
  else
    body = (
      <div className="editor-load-failed">
        <ErrorNote error={loading.error} />
        <div className="editor-footer">
          <span />
          <div className="editor-footer-buttons">
            <button type="button" onClick={close}>
              Cancel
            </button>
            <button
              type="button"
              className="primary"
              onClick={() => {
                setLoading({ status: 'loading' });
                setAttempt((n) => n + 1);
              }}
            >
              Try again
            </button>
          </div>
        </div>
      </div>
    );

  return (
    <div className="modal-backdrop">
      <div ref={dialogRef} className="modal-dialog editor-dialog" role="dialog" aria-modal="true" aria-labelledby={titleId} tabIndex={-1} onKeyDown={onKeyDown}>
        <h2 id={titleId} className="editor-title">
          {editorTitle(editor)}
        </h2>
        {body}
      </div>
    </div>
  );
}
