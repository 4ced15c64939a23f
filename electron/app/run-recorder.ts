// Run history from the engine's event stream: a run opens when an agent enters `running`, follows
// its resource samples, and closes into a RunRecord (written to the store) when the agent leaves it.
import type { OpenRun, RunEnding, RunRecord, RunStartedBy } from '../../shared/history.js';
import type { AgentStatus, EngineEvent, TransitionReason } from '../../shared/status.js';

export type StateEvent = Extract<EngineEvent, { type: 'state' }>;

/** Where finished runs go (a HistoryStore). */
export interface RunSink {
  append(record: RunRecord): Promise<void>;
}

export interface RunRecorderOptions {
  /** How the run that `event` (an entry into `running`) begins was started; undefined = defaultStartedBy. */
  startedBy?: (event: StateEvent) => RunStartedBy | undefined;
  /** Where a failed append goes (default: a process warning); the record is lost. */
  onError?: (err: Error, record: RunRecord) => void;
}

interface Run {
  name: string;
  pid: number | null;
  startedAt: number;
  startedBy: RunStartedBy;
  /** When the recorder saw the run begin: samples older than this belong to an earlier run. */
  openedAt: number;
  /** The last time the run was seen alive (its entry or a sample). */
  lastSeenAt: number;
  peakMemoryMB: number | null;
  cpuSum: number;
  samples: number;
  /** The reason of the `stopping` transition, when the run is being stopped. */
  stop: TransitionReason | null;
}

/** How a run began when the caller does not say: supervisor restart, adoption, autostart hint, else a person. */
export function defaultStartedBy(event: StateEvent): RunStartedBy {
  const hints = event.status as AgentStatus & { adopted?: unknown; startedBy?: unknown };
  if (event.lifecycle === 'restarted') return 'restart';
  if (hints.adopted === true) return 'adopted';
  if (hints.startedBy === 'autostart') return 'autostart';
  return 'user';
}

/** How a run ended, from the transition that ended it and the `stopping` reason before it (if any). */
export function runEnding(final: TransitionReason, stop: TransitionReason | null, to: StateEvent['to']): RunEnding {
  if (stop) {
    if (stop.kind === 'limit') return 'limit';
    if (stop.kind === 'on-demand') return 'idle';
    if (stop.kind === 'health') return 'health';
    // every other stop came through a command: a person or a script on their behalf
    return /\bkill/i.test(stop.message) ? 'killed-by-user' : 'stopped-by-user';
  }
  const exitCode = final.exitCode ?? null;
  const signal = final.signal ?? null;
  if (exitCode === null && signal === null) return to === 'stopped' ? 'exited' : 'crashed'; // exit status unknown (an adopted process)
  return exitCode === 0 && signal === null ? 'exited' : 'crashed';
}

const round1 = (n: number): number => Math.round(n * 10) / 10;

export class RunRecorder {
  private readonly runs = new Map<string, Run>();
  private readonly pending = new Set<Promise<void>>();
  /** Why each agent's latest start began (the `starting` transition): an on-demand relay's start is recorded as such. */
  private readonly startReasons = new Map<string, TransitionReason>();
  private readonly onError: (err: Error, record: RunRecord) => void;

  constructor(
    private readonly store: RunSink,
    private readonly opts: RunRecorderOptions = {},
  ) {
    this.onError = opts.onError ?? ((err, record) => process.emitWarning(`run history: the run ${record.id} was not recorded: ${err.message}`));
  }

  /** Looks at one engine event: opens, updates or closes the agent's run. */
  observe(event: EngineEvent): void {
    if (event.type === 'stats') {
      const run = this.runs.get(event.name);
      if (!run || event.sample.at < run.openedAt) return;
      run.peakMemoryMB = Math.max(run.peakMemoryMB ?? 0, event.sample.memoryMB);
      run.cpuSum += event.sample.cpuPercent;
      run.samples++;
      run.lastSeenAt = Math.max(run.lastSeenAt, event.sample.at);
      return;
    }
    if (event.type !== 'state') return;
    // a start that waited for its dependencies began at `waiting`: that reason says who asked
    if (event.to === 'waiting' || (event.to === 'starting' && event.from !== 'waiting')) this.startReasons.set(event.name, event.reason);
    const run = this.runs.get(event.name);
    if (event.to === 'running') {
      if (run && run.pid === event.status.pid) return; // the same run, reported again
      if (run) this.close(run, event, 'host-lost', `the run of pid ${run.pid} ended unobserved (pid ${event.status.pid} took over)`); // an end was missed
      this.open(event);
      return;
    }
    if (!run) return;
    if (event.to === 'stopping') {
      run.stop = event.reason;
      return;
    }
    const message = run.stop ? `${run.stop.message}; ${event.reason.message}` : event.reason.message;
    this.close(run, event, runEnding(event.reason, run.stop, event.to), message);
  }

  /** The runs in progress, newest first. */
  openRuns(): OpenRun[] {
    return [...this.runs.values()]
      .sort((a, b) => b.startedAt - a.startedAt)
      .map(({ name, pid, startedAt, startedBy }) => ({ name, pid, startedAt, startedBy }));
  }

  /** Resolves when every finished run handed to the store so far is written (or has failed). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private open(event: StateEvent): void {
    const onDemand = event.lifecycle === 'started' && this.startReasons.get(event.name)?.kind === 'on-demand';
    const startedBy = this.opts.startedBy?.(event) ?? (onDemand ? 'on-demand' : defaultStartedBy(event));
    this.runs.set(event.name, {
      name: event.name,
      pid: event.status.pid,
      startedAt: event.status.startedAt ?? event.at,
      startedBy,
      openedAt: event.at,
      lastSeenAt: event.at,
      peakMemoryMB: null,
      cpuSum: 0,
      samples: 0,
      stop: null,
    });
  }

  private close(run: Run, event: StateEvent, ended: RunEnding, message: string): void {
    this.runs.delete(run.name);
    const endedAt = ended === 'host-lost' ? run.lastSeenAt : event.at;
    const exitCode = ended === 'host-lost' ? null : (event.reason.exitCode ?? event.status.exitCode ?? null);
    const signal = ended === 'host-lost' ? null : (event.reason.signal ?? event.status.signal ?? null);
    const record: RunRecord = {
      id: `${run.name}-${run.startedAt}-${run.pid ?? 'none'}`,
      name: run.name,
      pid: run.pid,
      startedAt: run.startedAt,
      endedAt,
      durationMs: Math.max(0, endedAt - run.startedAt),
      startedBy: run.startedBy,
      ended,
      exitCode,
      signal,
      restarts: event.status.restarts,
      peakMemoryMB: run.peakMemoryMB,
      avgCpuPercent: run.samples > 0 ? round1(run.cpuSum / run.samples) : null,
      message,
    };
    const write: Promise<void> = this.store.append(record).catch((err: unknown) => {
      try {
        this.onError(err instanceof Error ? err : new Error(String(err)), record);
      } catch {
        // a failing error handler must not become an unhandled rejection in the host
      }
    });
    this.pending.add(write);
    void write.finally(() => this.pending.delete(write));
  }
}
