// An agent at a glance: CPU and memory over time, its stack (dependencies, dependents, groups),
// health probes, limit violations, recent runs, the last error with the stderr that explains it,
// and how it is run (command line, working directory, environment with secrets masked).
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { AgentDefinitionInput } from '../../../shared/agent.js';
import type { AgentStatus } from '../../../shared/status.js';
import { formatCpu, formatMemory, formatUptime, maskArgs } from '../../store/format.js';
import { useNow, useTray, useTrayActions } from '../../store/react.js';
import { actionKey, errorFor, gpuSeries, statsSeries } from '../../store/selectors.js';
import type { ActionError } from '../../store/types.js';
import { TimeSeriesChart } from '../chart/TimeSeriesChart.js';
import { plainText } from '../logs/ansi.js';
import { AgentEnvironment } from './AgentEnvironment.js';
import { commandLine, endingText, formatWhen, startedByText } from './display.js';
import { HealthSection } from './HealthSection.js';
import { ErrorNote } from '../common/ErrorNote.js';
import { useRunHistory } from './run-history.js';
import { StackSection } from '../stack/StackSection.js';

/** How many probe results, violations and runs are listed. */
const LIST_LENGTH = 10;

/** A titled part of the overview. */
function Section({ title, className, children }: { title: string; className?: string; children: ReactNode }) {
  return (
    <section className={`detail-section${className ? ` ${className}` : ''}`} aria-label={title}>
      <h3>{title}</h3>
      {children}
    </section>
  );
}

function Charts({ name }: { name: string }) {
  const ring = useTray((s) => s.stats.byAgent[name]);
  const data = useMemo(() => statsSeries(ring), [ring]);
  const cpu = useMemo(() => ({ t: data.t, values: data.cpu }), [data]);
  const memory = useMemo(() => ({ t: data.t, values: data.memoryMB }), [data]);
  const gpu = useMemo(() => gpuSeries(ring), [ring]);
  const statsError = useTray((s) => errorFor(s.ui, 'stats', name));
  const actions = useTrayActions();
  return (
    <div className="detail-charts">
      <TimeSeriesChart title="CPU" unit="%" series={cpu} ariaLabel={`CPU of ${name}`} emptyText="No CPU samples yet: they come while the agent runs." />
      <TimeSeriesChart title="Memory" unit="MB" series={memory} ariaLabel={`Memory of ${name}`} colourToken="--green" emptyText="No memory samples yet: they come while the agent runs." />
      {/* only where the GPU memory is known (an NVIDIA GPU with nvidia-smi) */}
      {gpu.values.length > 0 && <TimeSeriesChart title="GPU memory" unit="MB" series={gpu} ariaLabel={`GPU memory of ${name}`} colourToken="--yellow" emptyText="No GPU memory samples yet." />}
      {statsError && (
        <ErrorNote error={statsError} onDismiss={() => actions.dismissError(actionKey('stats', name))}>
          <button type="button" onClick={() => void actions.loadStats(name)}>
            Retry
          </button>
        </ErrorNote>
      )}
    </div>
  );
}

function Violations({ name, now }: { name: string; now: number }) {
  const violations = useTray((s) => s.agents.violations[name]);
  const error = useTray((s) => errorFor(s.ui, 'violations', name));
  const actions = useTrayActions();
  const recent = useMemo(() => (violations ?? []).slice(-LIST_LENGTH).reverse(), [violations]);
  return (
    <Section title="Limit violations">
      {error && (
        <ErrorNote error={error} onDismiss={() => actions.dismissError(actionKey('violations', name))}>
          <button type="button" onClick={() => void actions.loadViolations(name)}>
            Retry
          </button>
        </ErrorNote>
      )}
      {recent.length > 0 ? (
        <ul className="detail-list detail-violations">
          {recent.map((v, i) => (
            <li key={`${v.at}-${i}`}>
              <span className="detail-list__time">{formatWhen(v.at, now)}</span>
              <span className="detail-list__text">{v.message}</span>
              <span className="muted">{v.action === 'warn' ? 'warned' : v.action === 'restart' ? 'restarted' : 'stopped'}</span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="muted">No limit violations since the agent was last started.</p>
      )}
    </Section>
  );
}

function RecentRuns({ status, now }: { status: AgentStatus; now: number }) {
  const refreshKey = `${status.state === 'running' ? 'running' : 'idle'}:${status.startedAt ?? ''}`;
  const runs = useRunHistory(status.name, refreshKey, LIST_LENGTH);
  const open = runs.history?.inProgress.find((r) => r.name === status.name) ?? null;
  return (
    <Section title="Recent runs" className="detail-runs-section">
      {runs.status === 'unavailable' && <p className="muted">The run history is not available in this window.</p>}
      {runs.status === 'loading' && <p className="muted">Loading…</p>}
      {runs.error && (
        <ErrorNote error={runs.error}>
          <button type="button" onClick={runs.reload}>
            Retry
          </button>
        </ErrorNote>
      )}
      {runs.history && (
        <>
          {open && (
            <p className="detail-run-open">
              Running since {formatWhen(open.startedAt, now)}, started {startedByText(open.startedBy)}.
            </p>
          )}
          {runs.history.runs.length === 0 ? (
            <p className="muted">No finished runs yet.</p>
          ) : (
            <div className="detail-table-scroll">
              <table className="detail-runs">
                <thead>
                  <tr>
                    <th scope="col">Started</th>
                    <th scope="col" className="num">
                      Ran for
                    </th>
                    <th scope="col" className="detail-runs__ended">
                      Ended
                    </th>
                    <th scope="col" className="num">
                      Peak memory
                    </th>
                    <th scope="col" className="num">
                      Avg CPU
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {runs.history.runs.slice(0, LIST_LENGTH).map((r) => (
                    <tr key={r.id} className={`detail-run detail-run--${r.ended}`} title={r.message}>
                      <td>
                        {formatWhen(r.startedAt, now)} <span className="muted">{startedByText(r.startedBy)}</span>
                      </td>
                      <td className="num">{formatUptime(r.durationMs)}</td>
                      <td className="detail-runs__ended">{endingText(r.ended, r.exitCode, r.signal)}</td>
                      <td className="num">{formatMemory(r.peakMemoryMB)}</td>
                      <td className="num">{formatCpu(r.avgCpuPercent)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </>
      )}
    </Section>
  );
}

function LastError({ status, now }: { status: AgentStatus; now: number }) {
  const last = status.lastError;
  if (!last) return null;
  const how = last.signal ? `signal ${last.signal}` : last.exitCode !== null ? `exit code ${last.exitCode}` : null;
  return (
    <Section title="Last error" className="detail-last-error">
      <p>
        <span className="detail-last-error__message">{last.message}</span>{' '}
        <span className="muted">
          {formatWhen(last.at, now)}
          {how && ` · ${how}`}
        </span>
      </p>
      {last.stderr.length > 0 ? (
        <pre className="detail-stderr" aria-label="stderr before the error">
          {last.stderr.map(plainText).join('\n')}
        </pre>
      ) : (
        <p className="muted">It wrote nothing to stderr before.</p>
      )}
    </Section>
  );
}

function HowItRuns({ name, definition, error, onRetry, envKey }: { name: string; definition: AgentDefinitionInput | null; error: ActionError | null; onRetry: () => void; envKey: string }) {
  return (
    <Section title="Command" className="detail-command">
      {error && (
        <ErrorNote error={error}>
          <button type="button" onClick={onRetry}>
            Retry
          </button>
        </ErrorNote>
      )}
      {!definition && !error && <p className="muted">Loading…</p>}
      {definition && (
        <dl className="detail-definition">
          <dt>Command line</dt>
          <dd>
            <code className="detail-command-line">{commandLine(definition.command, maskArgs(definition.args ?? []))}</code>
          </dd>
          <dt>Working directory</dt>
          <dd>{definition.cwd ? <code>{definition.cwd}</code> : <span className="muted">the data directory</span>}</dd>
          <dt>Environment</dt>
          <dd>
            <AgentEnvironment name={name} definition={definition} refreshKey={envKey} />
          </dd>
        </dl>
      )}
    </Section>
  );
}

/** The Overview tab of agent `status.name`. */
export function AgentOverview({ status }: { status: AgentStatus }) {
  const { name } = status;
  const actions = useTrayActions();
  const editorOpen = useTray((s) => s.ui.editor !== null);
  // times here are of the day or dated: a coarse clock is enough
  const localNow = useNow(30_000);
  const [definition, setDefinition] = useState<AgentDefinitionInput | null>(null);
  const [definitionError, setDefinitionError] = useState<ActionError | null>(null);
  const [definitionAttempt, setDefinitionAttempt] = useState(0);
  const historyLoaded = useRef<string | null>(null);
  const now = useTray((s) => s.agents.clockOffsetMs) + localNow;

  // the resource history and the violations, once per agent
  useEffect(() => {
    if (historyLoaded.current === name) return;
    historyLoaded.current = name;
    void actions.loadStats(name);
    void actions.loadViolations(name);
  }, [actions, name]);

  // the definition, and again after the editor closed (it may have changed it)
  useEffect(() => {
    if (editorOpen) return;
    let current = true;
    void actions.loadDefinition(name).then((outcome) => {
      if (!current) return;
      if (outcome.ok) {
        setDefinition(outcome.result);
        setDefinitionError(null);
      } else setDefinitionError(outcome.error);
    });
    return () => {
      current = false;
    };
  }, [actions, name, editorOpen, definitionAttempt]);

  return (
    <div className="detail-overview">
      <Charts name={name} />
      <div className="detail-sections">
        <LastError status={status} now={now} />
        <StackSection status={status} now={now} />
        <HealthSection status={status} definition={definition} />
        <Violations name={name} now={now} />
        <RecentRuns status={status} now={now} />
        <HowItRuns
          name={name}
          definition={definition}
          error={definitionError}
          onRetry={() => setDefinitionAttempt((n) => n + 1)}
          envKey={`${editorOpen}:${definitionAttempt}:${status.state}:${status.startedAt ?? ''}`}
        />
      </div>
    </div>
  );
}
