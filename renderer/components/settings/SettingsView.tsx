// The settings: each control sends its own change as soon as it is made, checked first by the same
// schema the API checks it with (so a refusal reads the same), and says beside it whether it was
// saved, or what went wrong. Settings that need a restart say so; the sandbox is shown, not edited.
import { useId, useState, type ReactNode } from 'react';
import { RESTART_POLICIES, type RestartSettings } from '../../../shared/agent.js';
import { formatIssues } from '../../../shared/issues.js';
import { SettingsChangeSchema, RESTART_NEEDED_SETTINGS } from '../../../shared/settings.js';
import { useTray, useTrayActions } from '../../store/react.js';
import { errorFor } from '../../store/selectors.js';
import type { PublicSettings } from '../../store/types.js';
import { apiUrlWithToken, detectHost, siblingFile, storedToken, type HostKind } from './api-access.js';
import { FeedbackLine, isProblem, NumberSetting, type Feedback } from './fields.js';
import { SecretStoreNote } from './SecretStoreNote.js';
import { ErrorNote } from '../common/ErrorNote.js';
import './SettingsView.css';

type ControlId =
  | 'startAtLogin'
  | 'startAgentsOnLaunch'
  | 'onQuit'
  | 'maxConcurrent'
  | 'sampleIntervalMs'
  | 'historyRetention'
  | 'notifications'
  | 'restartPolicy'
  | 'maxRestarts'
  | 'windowMs'
  | 'apiEnabled'
  | 'apiPort'
  | 'metricsPublic';

export interface SettingsViewProps {
  /** Which host the page runs against; by default the desktop app when its bridge is on the page, else `agent-tray serve`. */
  host?: HostKind;
}

/** The settings view. */
export function SettingsView({ host }: SettingsViewProps = {}) {
  const slice = useTray((s) => s.settings);
  const loadError = useTray((s) => errorFor(s.ui, 'settings'));
  const actions = useTrayActions();
  const [hostKind] = useState<HostKind>(() => host ?? detectHost());

  if (!slice.settings) {
    return (
      <section className="settings-view">
        <h2>Settings</h2>
        {loadError ? (
          <ErrorNote error={loadError}>
            <button type="button" onClick={() => void actions.loadSettings()}>
              Try again
            </button>
          </ErrorNote>
        ) : (
          <p className="muted">Loading settings…</p>
        )}
      </section>
    );
  }
  return <SettingsForm settings={slice.settings} startAtLogin={slice.startAtLogin} settingsFile={slice.settingsFile} appliesAfterRestart={slice.appliesAfterRestart} host={hostKind} />;
}

interface SettingsFormProps {
  settings: PublicSettings;
  startAtLogin: boolean | null;
  settingsFile: string | null;
  appliesAfterRestart: string[];
  host: HostKind;
}

const ON_QUIT_LABELS: Record<PublicSettings['onQuit'], string> = { 'leave-running': 'Leave agents running', 'stop-all': 'Stop all agents' };

function SettingsForm({ settings, startAtLogin, settingsFile, appliesAfterRestart, host }: SettingsFormProps) {
  const actions = useTrayActions();
  const ids = useId();
  const idOf = (c: string) => `${ids}-${c}`;
  const [feedback, setFeedback] = useState<Partial<Record<ControlId, Feedback>>>({});
  const note = (control: ControlId, f: Feedback) => setFeedback((prev) => ({ ...prev, [control]: f }));

  /** Checks a change with the API's schema, sends it, and notes the outcome beside the control; true when saved. */
  const apply = async (control: ControlId, change: unknown): Promise<boolean> => {
    const parsed = SettingsChangeSchema.safeParse(change);
    if (!parsed.success) {
      note(control, { kind: 'invalid', lines: formatIssues(parsed.error) });
      return false;
    }
    note(control, { kind: 'busy' });
    const outcome = await actions.updateSettings(parsed.data);
    note(control, outcome.ok ? { kind: 'saved' } : { kind: 'failed', error: outcome.error });
    return outcome.ok;
  };

  const applyStartAtLogin = async (enabled: boolean) => {
    note('startAtLogin', { kind: 'busy' });
    const outcome = await actions.setStartAtLogin(enabled);
    note('startAtLogin', outcome.ok ? { kind: 'saved' } : { kind: 'failed', error: outcome.error });
  };

  /** The restart defaults with one field changed (undefined removes it). */
  const withRestart = (key: keyof RestartSettings, value: unknown) => {
    const restart: Record<string, unknown> = { ...settings.defaults.restart };
    if (value === undefined || value === '') delete restart[key];
    else restart[key] = value;
    const defaults: Record<string, unknown> = { ...settings.defaults, restart };
    if (Object.keys(restart).length === 0) delete defaults.restart;
    return { defaults };
  };

  const describedBy = (control: ControlId, hint?: boolean) =>
    [feedback[control] ? idOf(`${control}-feedback`) : null, hint ? idOf(`${control}-hint`) : null].filter(Boolean).join(' ') || undefined;
  const feedbackLine = (control: ControlId) => <FeedbackLine id={idOf(`${control}-feedback`)} feedback={feedback[control]} />;
  const restartNote = (key: (typeof RESTART_NEEDED_SETTINGS)[number]) =>
    appliesAfterRestart.includes(key) ? <p className="settings-restart-note">Changed: applies after Agent Tray restarts.</p> : null;

  const checkbox = (control: ControlId, label: ReactNode, checked: boolean, onChange: (checked: boolean) => void, opts: { disabled?: boolean; hint?: ReactNode } = {}) => (
    <div className="settings-row settings-row--check">
      <span />
      <div className="settings-control">
        <label className="settings-check">
          <input
            id={idOf(control)}
            type="checkbox"
            checked={checked}
            disabled={opts.disabled || feedback[control]?.kind === 'busy'}
            aria-invalid={isProblem(feedback[control]) || undefined}
            aria-describedby={describedBy(control, opts.hint !== undefined)}
            onChange={(e) => onChange(e.target.checked)}
          />
          {label}
        </label>
        {opts.hint !== undefined && (
          <span id={idOf(`${control}-hint`)} className="muted settings-hint">
            {opts.hint}
          </span>
        )}
        {feedbackLine(control)}
      </div>
    </div>
  );

  const restart = settings.defaults.restart ?? {};
  // in a browser the page talks to `agent-tray serve`: no login item, no desktop notifications
  const loginUnavailable = host === 'http' || startAtLogin === null;
  const apiTokenFile = settingsFile ? siblingFile(settingsFile, 'api-token') : null;

  return (
    <div className="settings-view">
      <h2>Settings</h2>

      <section className="settings-section" aria-labelledby={idOf('startup')}>
        <h3 id={idOf('startup')}>Starting up</h3>
        {checkbox('startAtLogin', 'Start Agent Tray at login', startAtLogin === true, (v) => void applyStartAtLogin(v), {
          disabled: loginUnavailable,
          ...(loginUnavailable
            ? {
                hint: (
                  <>
                    Only in the desktop app; run <code>agent-tray serve</code> from your service manager.
                  </>
                ),
              }
            : {}),
        })}
        {checkbox('startAgentsOnLaunch', 'Start the agents marked “Start when Agent Tray starts”', settings.startAgentsOnLaunch, (v) => void apply('startAgentsOnLaunch', { startAgentsOnLaunch: v }))}
      </section>

      <section className="settings-section" aria-labelledby={idOf('agents')}>
        <h3 id={idOf('agents')}>Agents</h3>
        <div className="settings-row">
          <label htmlFor={idOf('onQuit')}>When Agent Tray quits</label>
          <div className="settings-control">
            <select
              id={idOf('onQuit')}
              value={settings.onQuit}
              disabled={feedback.onQuit?.kind === 'busy'}
              aria-describedby={describedBy('onQuit', true)}
              onChange={(e) => void apply('onQuit', { onQuit: e.target.value })}
            >
              {(Object.keys(ON_QUIT_LABELS) as PublicSettings['onQuit'][]).map((v) => (
                <option key={v} value={v}>
                  {ON_QUIT_LABELS[v]}
                </option>
              ))}
            </select>
            <span id={idOf('onQuit-hint')} className="muted settings-hint">
              Agents left running are taken back under supervision at the next start.
            </span>
            {feedbackLine('onQuit')}
          </div>
        </div>
        <NumberSetting
          id={idOf('maxConcurrent')}
          label="Max concurrent agents"
          value={settings.maxConcurrent ?? undefined}
          optional
          placeholder="No limit"
          hint="How many agents may run at once; leave it empty for no limit. Running agents are left alone when it is lowered."
          feedback={feedback.maxConcurrent}
          onCommit={(v) => apply('maxConcurrent', { maxConcurrent: v ?? null })}
        />
        <NumberSetting
          id={idOf('sampleIntervalMs')}
          label="Sampling interval (seconds)"
          value={settings.sampleIntervalMs}
          scale={1000}
          hint="How often CPU and memory are read (at least 2 seconds on Windows)."
          feedback={feedback.sampleIntervalMs}
          onCommit={(v) => apply('sampleIntervalMs', { sampleIntervalMs: v })}
        />
        <NumberSetting
          id={idOf('historyRetention')}
          label="Runs kept in history"
          value={settings.historyRetention}
          feedback={feedback.historyRetention}
          onCommit={(v) => apply('historyRetention', { historyRetention: v })}
        />
        {checkbox('notifications', 'Desktop notifications', settings.notifications, (v) => void apply('notifications', { notifications: v }), {
          hint:
            host === 'http'
              ? 'Shown only by the desktop app, when an agent crashes, gives up or turns unhealthy; agent-tray serve, which this page talks to, shows none. Saved for the desktop app.'
              : 'When an agent crashes, gives up or turns unhealthy (desktop app).',
        })}
      </section>

      <section className="settings-section" aria-labelledby={idOf('restart')}>
        <h3 id={idOf('restart')}>Restart defaults</h3>
        <p className="muted settings-section-hint">For every agent that does not set its own. Restart Agent Tray for changes here to take effect.</p>
        <div className="settings-row">
          <label htmlFor={idOf('restartPolicy')}>Restart policy</label>
          <div className="settings-control">
            <select
              id={idOf('restartPolicy')}
              value={restart.policy ?? ''}
              disabled={feedback.restartPolicy?.kind === 'busy'}
              aria-invalid={isProblem(feedback.restartPolicy) || undefined}
              aria-describedby={describedBy('restartPolicy')}
              onChange={(e) => void apply('restartPolicy', withRestart('policy', e.target.value))}
            >
              <option value="">Default (on-failure)</option>
              {RESTART_POLICIES.map((p) => (
                <option key={p} value={p}>
                  {p === 'no' ? 'no: never restart' : p === 'on-failure' ? 'on-failure: when it exits with an error' : 'always: whenever it exits'}
                </option>
              ))}
            </select>
            {feedbackLine('restartPolicy')}
          </div>
        </div>
        <NumberSetting
          id={idOf('maxRestarts')}
          label="Max restarts"
          value={restart.maxRestarts}
          optional
          placeholder="5"
          hint="An agent gives up after more restarts than this within the restart window."
          feedback={feedback.maxRestarts}
          onCommit={(v) => apply('maxRestarts', withRestart('maxRestarts', v))}
        />
        <NumberSetting
          id={idOf('windowMs')}
          label="Restart window (seconds)"
          value={restart.windowMs}
          scale={1000}
          optional
          placeholder="60"
          feedback={feedback.windowMs}
          onCommit={(v) => apply('windowMs', withRestart('windowMs', v))}
        />
        {restartNote('defaults')}
      </section>

      <section className="settings-section" aria-labelledby={idOf('api')}>
        <h3 id={idOf('api')}>Local API</h3>
        <p className="muted settings-section-hint">
          {host === 'http' ? (
            <>
              These are the desktop app&apos;s API settings: <code>agent-tray serve</code>, which this page talks to, always serves the API, on the port it was started
              with.
            </>
          ) : (
            'What the command line and a browser window talk to, on 127.0.0.1 only. Restart Agent Tray for changes here to take effect.'
          )}
        </p>
        {checkbox('apiEnabled', 'Serve the local API', settings.api.enabled, (v) => void apply('apiEnabled', { api: { ...settings.api, enabled: v } }), host === 'http' ? { hint: 'The desktop app only; this page would not be here without an API.' } : {})}
        <NumberSetting
          id={idOf('apiPort')}
          label="API port"
          value={settings.api.port}
          hint="0: any free port. When the port is taken, another free one is used."
          feedback={feedback.apiPort}
          onCommit={(v) => apply('apiPort', { api: { ...settings.api, port: v } })}
        />
        {restartNote('api')}
        {checkbox('metricsPublic', 'Let a local Prometheus read /metrics without the token', settings.metrics.public, (v) => void apply('metricsPublic', { metrics: { public: v } }), {
          hint: 'Applies at once, only while the API listens on 127.0.0.1; the rest of the API always needs the token.',
        })}
        {host === 'http' ? <CopyApiUrl /> : <TokenFileNote file={apiTokenFile} />}
      </section>

      <section className="settings-section" aria-labelledby={idOf('sandbox')}>
        <h3 id={idOf('sandbox')}>Sandbox</h3>
        <p className="muted settings-section-hint">
          What agents may run and where. It can be changed only in settings.json{settingsFile ? ' (below)' : ''}, so that no client of the API can loosen it.
        </p>
        <dl className="settings-sandbox">
          <dt>Allowed commands</dt>
          <dd>{settings.sandbox.allowedCommands ? <CodeList items={settings.sandbox.allowedCommands} empty="none" /> : 'Any command'}</dd>
          <dt>Refused working directories</dt>
          <dd>{settings.sandbox.restrictedPaths ? <CodeList items={settings.sandbox.restrictedPaths} empty="none" /> : 'The system directories of this platform (the default)'}</dd>
          <dt>Code-injecting variables allowed</dt>
          <dd>
            <CodeList items={settings.sandbox.allowedEnv} empty="None (LD_PRELOAD, NODE_OPTIONS and the like are refused)" />
          </dd>
        </dl>
      </section>

      <SecretStoreNote />

      {settingsFile && (
        <p className="settings-file">
          Settings file: <code>{settingsFile}</code>
        </p>
      )}
    </div>
  );
}

function CodeList({ items, empty }: { items: readonly string[]; empty: string }) {
  if (items.length === 0) return <>{empty}</>;
  return (
    <ul className="settings-code-list">
      {items.map((item) => (
        <li key={item}>
          <code>{item}</code>
        </li>
      ))}
    </ul>
  );
}

/** In a browser: copies this page's URL with the token, for another browser or a script. */
function CopyApiUrl() {
  const [result, setResult] = useState<{ kind: 'copied' } | { kind: 'manual'; url: string } | { kind: 'no-token' } | null>(null);
  const ids = useId();
  const copy = async () => {
    const token = storedToken();
    if (!token) {
      setResult({ kind: 'no-token' });
      return;
    }
    const url = apiUrlWithToken(globalThis.location.origin, token);
    try {
      if (!navigator.clipboard) throw new Error('no clipboard');
      await navigator.clipboard.writeText(url);
      setResult({ kind: 'copied' });
    } catch {
      setResult({ kind: 'manual', url }); // the clipboard was refused: the URL is shown to copy by hand
    }
  };
  return (
    <div className="settings-row">
      <span />
      <div className="settings-control">
        <div>
          <button type="button" aria-describedby={result ? `${ids}-result` : undefined} onClick={() => void copy()}>
            Copy API URL with token
          </button>
        </div>
        {result?.kind === 'copied' && (
          <span id={`${ids}-result`} role="status" className="settings-feedback settings-saved">
            Copied. Anyone with this URL controls your agents: share it with no one.
          </span>
        )}
        {result?.kind === 'no-token' && (
          <div id={`${ids}-result`} role="alert" className="inline-error settings-feedback">
            This tab has no token to copy.
            <span className="hint">Open the URL that `agent-tray serve` printed; the token is also in the file api-token of the data directory.</span>
          </div>
        )}
        {result?.kind === 'manual' && (
          <div id={`${ids}-result`} className="settings-feedback">
            <label htmlFor={`${ids}-url`}>The clipboard is not available here; copy the URL yourself:</label>
            <input id={`${ids}-url`} className="mono settings-url" readOnly value={result.url} onFocus={(e) => e.currentTarget.select()} />
          </div>
        )}
      </div>
    </div>
  );
}

/** In the desktop app the page never holds the token: where to find it. */
function TokenFileNote({ file }: { file: string | null }) {
  return (
    <p className="settings-token-note">
      {file ? (
        <>
          The API token is in the file <code>{file}</code>.
        </>
      ) : (
        <>
          The API token is in the file <code>api-token</code> of the data directory.
        </>
      )}
    </p>
  );
}
