// The import dialog: pick or drop a Procfile, a process-compose.yaml or a PM2 ecosystem file; the
// host reads it (a dry run) and the dialog shows the agents it would create or skip and what could
// not be carried over, before anything is saved. A prefix keeps the new names apart from existing
// ones; the file's folder lets relative paths and env files work; a PM2 .js file is only run after
// the person ticks that it may be. Import saves every agent that can be created.
import { useEffect, useId, useMemo, useRef, useState, type DragEvent } from 'react';
import type { CommandInput } from '../../../shared/commands.js';
import type { ImportResult } from '../../../shared/import.js';
import { useTrayActions } from '../../store/react.js';
import { plural } from '../../store/format.js';
import type { ActionError } from '../../store/types.js';
import { ErrorNote } from '../common/ErrorNote.js';
import { useDebounced } from '../editor/use-debounced.js';
import { useModalFocus } from '../editor/use-modal-focus.js';
import { PreviewTable } from './PreviewTable.js';
import { isCodeFile, sortFiles, type PickedFile } from './read-file.js';
import '../common/modal.css';
import './import.css';

type Request = CommandInput<'importAgents'>;

/** How long typing in the prefix or folder field rests before the preview is asked again. */
const PREVIEW_DELAY_MS = 250;

/** The request for the current choices, or null before a file is chosen. */
function requestOf(file: PickedFile | null, choices: { prefix: string; dir: string; envFiles: Record<string, string>; allowCode: boolean }): Request | null {
  if (!file) return null;
  return {
    fileName: file.name,
    content: file.content,
    ...(choices.prefix.trim() ? { prefix: choices.prefix.trim() } : {}),
    ...(choices.dir.trim() ? { dir: choices.dir.trim() } : {}),
    ...(Object.keys(choices.envFiles).length ? { files: choices.envFiles } : {}),
    ...(choices.allowCode ? { allowCode: true } : {}),
  };
}

/** The dialog: choose a file, see the preview, import; `onClose` when it is done or cancelled. */
export function ImportDialog({ onClose }: { onClose: () => void }) {
  const actions = useTrayActions();
  const ids = useId();
  const dialogRef = useRef<HTMLDivElement>(null);
  const onKeyDown = useModalFocus(dialogRef, onClose);
  const [file, setFile] = useState<PickedFile | null>(null);
  const [envFiles, setEnvFiles] = useState<Record<string, string>>({});
  const [prefix, setPrefix] = useState('');
  const [dir, setDir] = useState('');
  const [allowCode, setAllowCode] = useState(false);
  const [preview, setPreview] = useState<ImportResult | null>(null);
  const [error, setError] = useState<ActionError | null>(null);
  const [busy, setBusy] = useState<'preview' | 'import' | null>(null);
  const [done, setDone] = useState<ImportResult | null>(null);
  const [dragging, setDragging] = useState(false);

  const isCode = file !== null && isCodeFile(file.name);
  const request = useMemo(() => requestOf(file, { prefix, dir, envFiles, allowCode }), [file, prefix, dir, envFiles, allowCode]);
  const [settled] = useDebounced(request, PREVIEW_DELAY_MS);

  useEffect(() => {
    const dialog = dialogRef.current;
    if (dialog && !dialog.contains(document.activeElement)) dialog.focus();
  }, []);

  // the preview: asked again whenever the choices settle; an answer to older choices is dropped
  useEffect(() => {
    if (!settled || (isCodeFile(settled.fileName) && !settled.allowCode)) return;
    let live = true;
    setBusy('preview');
    void actions.importAgents({ ...settled, dryRun: true }).then((outcome) => {
      if (!live) return;
      setBusy(null);
      setPreview(outcome.ok ? outcome.result : null);
      setError(outcome.ok ? null : outcome.error);
    });
    return () => {
      live = false;
      setBusy(null); // an answer to older choices is not waited for
    };
  }, [actions, settled]);

  const choose = async (files: readonly File[]) => {
    const { main, envFiles: more } = await sortFiles(files);
    if (main) {
      setFile(main);
      setAllowCode(false);
      setPreview(null);
      setError(null);
    }
    if (Object.keys(more).length) setEnvFiles((prev) => ({ ...prev, ...more }));
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    void choose([...event.dataTransfer.files]);
  };

  const creatable = preview?.agents.filter((a) => a.status === 'create').length ?? 0;
  const runImport = async () => {
    if (!request) return;
    setBusy('import');
    const outcome = await actions.importAgents({ ...request, dryRun: false });
    setBusy(null);
    if (outcome.ok) setDone(outcome.result);
    else setError(outcome.error);
  };

  return (
    <div className="modal-backdrop">
      <div ref={dialogRef} className="modal-dialog import-dialog" role="dialog" aria-modal="true" aria-labelledby={`${ids}-title`} tabIndex={-1} onKeyDown={onKeyDown}>
        <h2 id={`${ids}-title`} className="import-title">
          Import agents
        </h2>
        {done ? (
          <Imported result={done} onClose={onClose} />
        ) : (
          <>
            <div className="import-body">
              <div
                className={`import-drop${dragging ? ' import-drop--over' : ''}`}
                onDragOver={(e) => {
                  e.preventDefault();
                  setDragging(true);
                }}
                onDragLeave={() => setDragging(false)}
                onDrop={onDrop}
              >
                <p>Drop a Procfile, a process-compose.yaml or a PM2 ecosystem file (.config.js, .json, .yaml) here, with its .env files if it has any, or choose it:</p>
                <input type="file" aria-label="File to import" multiple onChange={(e) => void choose([...(e.target.files ?? [])])} />
                {file ? (
                  <p className="import-chosen">
                    Chosen: <strong>{file.name}</strong>
                    {Object.keys(envFiles).length ? ` with ${Object.keys(envFiles).join(', ')}` : ''}
                  </p>
                ) : null}
              </div>

              <div className="import-fields">
                <label htmlFor={`${ids}-prefix`}>Name prefix</label>
                <div className="import-control">
                  <input id={`${ids}-prefix`} value={prefix} onChange={(e) => setPrefix(e.target.value)} placeholder="none" spellCheck={false} />
                  <span className="muted import-hint">Put in front of every name (a “-” is added), to import beside agents of the same names.</span>
                </div>
                <label htmlFor={`${ids}-dir`}>Folder of the file</label>
                <div className="import-control">
                  <input id={`${ids}-dir`} value={dir} onChange={(e) => setDir(e.target.value)} placeholder="/home/me/project" spellCheck={false} />
                  <span className="muted import-hint">The full path of the folder the file is in: agents run there, and its .env files are read at each start. Without it, agents run in the data directory.</span>
                </div>
              </div>

              {isCode ? (
                <div className="import-code" role="group" aria-labelledby={`${ids}-code`}>
                  <p id={`${ids}-code`}>
                    <strong>{file.name} is JavaScript.</strong> To read its apps, Agent Tray runs it in a separate Node process that can read only this file, with an empty
                    environment, for at most 10 seconds. Run it only if you trust it.
                  </p>
                  <label className="import-check">
                    <input
                      type="checkbox"
                      checked={allowCode}
                      onChange={(e) => {
                        setAllowCode(e.target.checked);
                        if (!e.target.checked) setPreview(null);
                      }}
                    />{' '}
                    Run this file to read its apps
                  </label>
                </div>
              ) : null}

              {error ? <ErrorNote error={error} className="import-error" /> : null}
              {busy === 'preview' ? <p className="muted" role="status">Reading {file?.name}…</p> : null}
              {preview ? <Preview result={preview} /> : null}
            </div>
            <div className="import-footer">
              <button type="button" onClick={onClose}>
                Cancel
              </button>
              <button type="button" className="primary" disabled={!preview || creatable === 0 || busy !== null} onClick={() => void runImport()}>
                {creatable > 0 ? `Import ${plural(creatable, 'agent', 'agents')}` : 'Import'}
              </button>
            </div>
          </>
        )}
      </div>
    </div>
  );
}

/** The preview: the table, the files it could not find, and the notes about the whole file. */
function Preview({ result }: { result: ImportResult }) {
  return (
    <section className="import-preview-section" aria-label="Preview">
      <p>
        A {result.format === 'pm2' ? 'PM2 ecosystem file' : result.format === 'procfile' ? 'Procfile' : 'process-compose file'}: {result.agents.length} agent
        {result.agents.length === 1 ? '' : 's'}, {result.agents.filter((a) => a.status === 'create').length} to create. Nothing is saved until you import.
      </p>
      <PreviewTable result={result} />
      {result.missingFiles.length ? (
        <p className="import-missing">
          Not found: {result.missingFiles.join(', ')}. Drop or choose them too (their variables are then copied into the agents’ env), or give the folder of the file.
        </p>
      ) : null}
      {result.notes.length ? (
        <ul className="import-notes">
          {result.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

/** What the import created. */
function Imported({ result, onClose }: { result: ImportResult; onClose: () => void }) {
  return (
    <>
      <p role="status">
        {result.created.length === 0
          ? 'Nothing was imported: every agent was skipped.'
          : `Imported ${plural(result.created.length, 'agent', 'agents')}: ${result.created.join(', ')}. ${result.created.length === 1 ? 'It is' : 'They are'} stopped until you start ${result.created.length === 1 ? 'it' : 'them'}.`}
      </p>
      <div className="import-footer">
        <button type="button" className="primary" onClick={onClose}>
          Close
        </button>
      </div>
    </>
  );
}
