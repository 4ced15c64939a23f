// The "Export…" dialog: pick a target (process-compose, systemd, Kubernetes), see the files it makes
// (read-only, each with Copy and Download), what the target cannot express per agent and field, and
// the steps to use the files. For Kubernetes, the container images per agent. Nothing is written by
// the host: the files come back in the answer and are saved by the browser's download.
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { ExportResult, ExportTarget } from '../../../shared/export.js';
import { useTray, useTrayActions } from '../../store/react.js';
import { actionKey } from '../../store/selectors.js';
import { useDebounced } from '../editor/use-debounced.js';
import { useModalFocus } from '../editor/use-modal-focus.js';
import { copyText } from '../logs/clipboard.js';
import { ErrorNote } from '../common/ErrorNote.js';
import { downloadText } from './download.js';
import '../common/modal.css';
import './export.css';

/** The targets, each with who it is for. */
export const TARGETS: { id: ExportTarget; label: string; forWhom: string }[] = [
  { id: 'process-compose', label: 'process-compose', forWhom: 'one process-compose.yaml, for a terminal' },
  { id: 'systemd', label: 'systemd', forWhom: 'user units, for a Linux server' },
  { id: 'kubernetes', label: 'Kubernetes', forWhom: 'manifests, for a cluster' },
];

/** The --image options of the dialog's image fields: a default for every agent, and per agent. */
export function imageOptions(defaultImage: string, perAgent: Record<string, string>): string[] {
  const out = Object.entries(perAgent)
    .filter(([, image]) => image.trim() !== '')
    .map(([name, image]) => `${name}=${image.trim()}`);
  return defaultImage.trim() === '' ? out : [defaultImage.trim(), ...out];
}

export interface ExportDialogProps {
  onClose: () => void;
}

/** The export dialog; its answer is not kept in the store. */
export function ExportDialog({ onClose }: ExportDialogProps) {
  const actions = useTrayActions();
  const names = useTray((s) => s.agents.order);
  const error = useTray((s) => s.ui.errors[actionKey('export')]);
  const titleId = useId();
  const dialogRef = useRef<HTMLDivElement>(null);
  const [target, setTarget] = useState<ExportTarget>('process-compose');
  const [defaultImage, setDefaultImage] = useState('');
  const [perAgent, setPerAgent] = useState<Record<string, string>>({});
  const [result, setResult] = useState<ExportResult | null>(null);
  const [shown, setShown] = useState(0);
  const [copied, setCopied] = useState<string | null>(null);
  const images = useMemo(() => (target === 'kubernetes' ? imageOptions(defaultImage, perAgent) : []), [target, defaultImage, perAgent]);
  const [settledImages] = useDebounced(images.join('\n'), 300);

  const close = () => {
    actions.dismissError(actionKey('export'));
    onClose();
  };
  const onKeyDown = useModalFocus(dialogRef, close);

  useEffect(() => {
    dialogRef.current?.focus();
  }, []);

  // a new answer for each target and set of images; an older answer that arrives late is dropped
  useEffect(() => {
    let live = true;
    const image = settledImages === '' ? [] : settledImages.split('\n');
    void actions.exportAgents(target, { image }).then((outcome) => {
      if (!live) return;
      setResult(outcome.ok ? outcome.result : null);
      setShown(0);
    });
    return () => {
      live = false;
    };
  }, [actions, target, settledImages]);

  const file = result?.target === target ? result.files[Math.min(shown, result.files.length - 1)] : undefined;
  const copy = async (text: string, what: string) => {
    const problem = await copyText(text);
    setCopied(problem ?? `Copied ${what}`);
  };

  return (
    <div className="modal-backdrop">
      <div ref={dialogRef} className="modal-dialog export-dialog" role="dialog" aria-modal="true" aria-labelledby={titleId} tabIndex={-1} onKeyDown={onKeyDown}>
        <h2 id={titleId} className="export-title">
          Export agents
        </h2>
        <fieldset className="export-targets">
          <legend>Export to</legend>
          {TARGETS.map((t) => (
            <label key={t.id} className="export-target">
              <input type="radio" name="export-target" value={t.id} checked={target === t.id} onChange={() => setTarget(t.id)} />
              <span className="export-target__label">{t.label}</span>
              <span className="muted"> — {t.forWhom}</span>
            </label>
          ))}
        </fieldset>
        <div className="export-body">
          {target === 'kubernetes' ? (
            <fieldset className="export-images">
              <legend>Container images</legend>
              <label>
                Every agent without its own <input type="text" value={defaultImage} placeholder="ghcr.io/me/agents:1.0" onChange={(e) => setDefaultImage(e.target.value)} />
              </label>
              {names.map((name) => (
                <label key={name}>
                  {name}{' '}
                  <input type="text" value={perAgent[name] ?? ''} placeholder="(the one above)" onChange={(e) => setPerAgent((p) => ({ ...p, [name]: e.target.value }))} />
                </label>
              ))}
            </fieldset>
          ) : null}
          {error ? <ErrorNote error={error} /> : null}
          {result && result.target === target ? (
            <>
              <div className="export-files" role="group" aria-label="Files">
                {result.files.map((f, i) => (
                  <button key={f.path} type="button" aria-pressed={file === f} onClick={() => setShown(i)}>
                    {f.path}
                  </button>
                ))}
              </div>
              {file ? (
                <section className="export-file" aria-label={file.path}>
                  <div className="export-file__actions">
                    <button type="button" onClick={() => void copy(file.content, file.path)}>
                      Copy
                    </button>
                    <button type="button" onClick={() => downloadText(file.path, file.content)}>
                      Download
                    </button>
                    {copied ? (
                      <span className="muted" role="status">
                        {copied}
                      </span>
                    ) : null}
                  </div>
                  <pre className="export-file__content" tabIndex={0} aria-label={`Content of ${file.path}`}>
                    {file.content}
                  </pre>
                </section>
              ) : null}
              <LostList result={result} />
              {result.notes.length > 0 ? (
                <section aria-label="Next steps">
                  <h3 className="export-subtitle">Next steps</h3>
                  <ul className="export-notes">
                    {result.notes.map((n) => (
                      <li key={n}>{n}</li>
                    ))}
                  </ul>
                </section>
              ) : null}
            </>
          ) : !error ? (
            <p className="muted">Exporting…</p>
          ) : null}
        </div>
        <div className="export-footer">
          <button type="button" className="primary" onClick={close}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}

/** What the target cannot express: a row per agent and field, with why. */
function LostList({ result }: { result: ExportResult }) {
  if (result.lost.length === 0) {
    return <p className="export-lost-none">Everything was carried over to {result.target}.</p>;
  }
  return (
    <section aria-label="Not carried over">
      <h3 className="export-subtitle">
        Not carried over ({result.lost.length})
      </h3>
      <table className="export-lost">
        <thead>
          <tr>
            <th>Agent</th>
            <th>Field</th>
            <th>Why</th>
          </tr>
        </thead>
        <tbody>
          {result.lost.map((l, i) => (
            <tr key={`${l.agent}/${l.field}/${i}`}>
              <td>{l.agent}</td>
              <td>
                <code>{l.field}</code>
              </td>
              <td>{l.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
