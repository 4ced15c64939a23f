// The supervision engine: starts agents, knows exactly what state each is in, captures their
// output, and stops them together with every process they started. Plain Node, no Electron.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync } from 'node:fs';
import { constants as osConstants, setPriority } from 'node:os';
import path from 'node:path';
import { AgentDefinitionSchema, DEFAULT_STOP_INSIST_MS, DEFAULT_STOP_TIMEOUT_MS, type AgentDefinition, type AgentDefinitionInput, type Priority, type RestartSettings } from '../../shared/agent.js';
import { formatIssues } from '../../shared/issues.js';
import { DEFAULT_MAX_CONCURRENT } from '../../shared/settings.js';
import type { AgentState, AgentStatus, EngineEvent, LifecycleName, LogLine, LogStream, StopResult, TransitionReason } from '../../shared/status.js';
import { AgentTrayError, unknownAgent } from './errors.js';
import { ioErrorEvent } from './io-error-event.js';
import { describeExit } from './exit-description.js';
import { AgentOutput } from './logs/agent-output.js';
import { dataPaths, logFiles, pidFile, type DataPaths } from './paths.js';
import { commandLine, removePidFile, writePidFile } from './pid-file.js';
import { isProcessAlive, processStartTime } from './platform/process-table.js';
import { portHolder } from './platform/port-free.js';
import { buildSpawnOptions, mergeEnv } from './platform/spawn-options.js';
import { AGENT_MARKER_VARIABLE, DATA_DIR_VARIABLE, RUN_ID_VARIABLE } from './platform/marker-variables.js';
import { preflight } from './preflight.js';
import { newRunId, removeState, stateFile, writeState, type PersistedState } from './run-state.js';
import { resumeDecision } from './supervision/resume.js';
import { canTransition, isActive, stateAfterExit } from './state-machine.js';
import { stopProcessTree, type TreeStopOutcome } from './stop-tree.js';
import { stopWindowsTree } from './stop-windows.js';
import { stopStragglers } from './stragglers.js';
import { decideAfterExit, EMPTY_HISTORY, resolveRestart, type CrashHistory } from './supervision/restart-policy.js';


/** What the supervision layer adds to an agent's status (health, violations, resource use). */
export type SupervisionStatus = Pick<AgentStatus, 'health' | 'healthScore' | 'violations' | 'stats'>;

const NO_SUPERVISION: SupervisionStatus = { health: 'unknown', healthScore: 100, violations: 0, stats: null };

/** How a start came about: a person (or script) asked, or the supervisor restarts it. */
type StartMode = { automatic: false } | { automatic: true; reason: TransitionReason };

export interface EngineOptions {
  /** Where logs/ and run/ live; relative agent cwds are taken from here too. */
  dataDir: string;
  platform?: NodeJS.Platform;
  /** The manager's environment, which an agent's `env` is merged over. Default: process.env. */
  env?: Record<string, string | undefined>;
  logs?: {
    /** Lines kept in memory per stream (default 1000). */
    ringLines?: number;
    /** Rotate a log file past this size (default 10 MiB; 0 = never). */
    maxBytes?: number;
    /** Rotated copies kept (default 3). */
    keep?: number;
  };
  /** How many stderr lines go into lastError (default 20). */
  errorLines?: number;
  /** How many agents may run at once; absent or null: no limit (the default). */
  maxConcurrent?: number | null;
  /** Restart settings for agents that do not set their own. */
  restartDefaults?: RestartSettings;
  /** The jitter source of the backoff (tests pin it). */
  random?: () => number;
  /** How often the pid of an adopted agent is checked (no child handle tells of its exit). Default 1000. */
  adoptedPollMs?: number;
}

/** What discovery found of an agent that is already running. */
export interface AdoptInfo {
  pid: number;
  /** When it started (epoch ms), from its PID file or the operating system. */
  startedAt: number;
  processStartTime: number | null;
  /** How it was found. */
  via: 'pid-file' | 'marker' | 'port' | 'command-line';
  /** The run id its processes carry (AGENT_TRAY_RUN_ID), when known. */
  runId?: string | null;
  /** What the previous host remembered of its supervision (restart budget, last error). */
  saved?: PersistedState | null;
  /** Its command line, for the PID file. */
  commandLine: string;
  /** True when it writes to the log files Agent Tray gave it (found by its PID file). */
  outputCaptured: boolean;
}

/** The variables every agent gets, so that its processes can be recognised as ours: of which agent, data directory and run. */
export { AGENT_MARKER_VARIABLE, DATA_DIR_VARIABLE, RUN_ID_VARIABLE };

type Listener = (event: EngineEvent) => void;

interface Runtime {
  def: AgentDefinition;
  state: AgentState;
  since: number;
  pid: number | null;
  child: ChildProcess | null;
  startedAt: number | null;
  exitCode: number | null;
  signal: string | null;
  restarts: number;
  lastError: AgentStatus['lastError'];
  output: AgentOutput;
  exited: Promise<{ code: number | null; signal: string | null }> | null;
  /** Which run this is: exit watchers of an earlier run are ignored. */
  runId: number;
  /** The run id of the current (or last) run, as its processes carry it in AGENT_TRAY_RUN_ID. */
  runMarker: string | null;
  /** Writes of the persisted state, one after another. */
  stateWrite: Promise<void>;
  adopted: boolean;
  outputCaptured: boolean;
  conflict: AgentStatus['conflict'];
  /** Adopted runs: the timer that polls the pid, since there is no child handle. */
  exitPoll: NodeJS.Timeout | null;
  pidWrite: Promise<void>;
  /** A kill arrived while a graceful stop was waiting. */
  escalated: boolean;
  /** The restart policy's memory of recent crashes. */
  crashes: CrashHistory;
  backoffTimer: NodeJS.Timeout | null;
  nextAttemptAt: number | null;
  /** Operations on one agent run one after another. */
  queue: Promise<unknown>;
}

export class Engine {
  readonly paths: DataPaths;
  private readonly platform: NodeJS.Platform;
  private readonly env: Record<string, string | undefined>;
  private readonly definitions = new Map<string, AgentDefinition>();
  private readonly runtimes = new Map<string, Runtime>();
  private readonly listeners = new Set<Listener>();
  private concurrency: number | null;
  /** After close(): the engine no longer acts on exits nor restarts anything (its agents live on). */
  private closed = false;
  private supervision: (name: string) => SupervisionStatus = () => NO_SUPERVISION;

  constructor(private readonly opts: EngineOptions) {
    this.concurrency = opts.maxConcurrent ?? DEFAULT_MAX_CONCURRENT;
    this.platform = opts.platform ?? process.platform;
    this.env = opts.env ?? process.env;
    this.paths = dataPaths(path.resolve(opts.dataDir), this.platform);
  }

  // ── definitions ────────────────────────────────────────────────────────────

  /** Replaces every definition; running agents keep running and use the new one on their next start. */
  setDefinitions(defs: readonly AgentDefinitionInput[]): void {
    const parsed = defs.map((d, i) => this.parseDefinition(d, [i]));
    const names = new Set<string>();
    for (const d of parsed) {
      if (names.has(d.name)) throw new AgentTrayError('invalid-definition', `Two agents are named "${d.name}"`, { hint: 'Give each agent its own name' });
      names.add(d.name);
    }
    this.definitions.clear();
    for (const d of parsed) this.definitions.set(d.name, d);
    for (const [name, rt] of this.runtimes) if (!names.has(name) && !isActive(rt.state)) this.runtimes.delete(name);
  }

  /** Adds or replaces one definition. */
  define(def: AgentDefinitionInput): AgentDefinition {
    const parsed = this.parseDefinition(def, []);
    this.definitions.set(parsed.name, parsed);
    return parsed;
  }

  /** The definitions, in the order they were given. */
  listDefinitions(): AgentDefinition[] {
    return [...this.definitions.values()];
  }

  /** Drops an agent whose definition was removed while it ran, once it no longer runs; true when it was dropped. */
  forgetRemoved(name: string): boolean {
    const rt = this.runtimes.get(name);
    if (!rt || this.definitions.has(name) || isActive(rt.state)) return false;
    this.clearBackoff(rt);
    this.runtimes.delete(name);
    return true;
  }

  private parseDefinition(def: AgentDefinitionInput, at: PropertyKey[]): AgentDefinition {
    const result = AgentDefinitionSchema.safeParse(def);
    if (result.success) return result.data;
    const lines = formatIssues(result.error, at.length ? ['agents', ...at] : []);
    throw new AgentTrayError('invalid-definition', `Invalid agent definition: ${lines.join('; ')}`, { details: { issues: lines } });
  }

  // ── events ─────────────────────────────────────────────────────────────────

  /** Subscribes to state and log events; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends an event of the supervision layer (stats, health, violations) through the engine's one stream. */
  publish(event: EngineEvent): void {
    this.emit(event);
  }

  /** The definition an agent runs with now (running: the one it started with; otherwise the current one). */
  effectiveDefinition(name: string): AgentDefinition {
    const rt = this.runtime(name);
    return isActive(rt.state) ? rt.def : (this.definitions.get(name) ?? rt.def);
  }

  /** The working directory and environment an agent's processes get (for health command probes). */
  runContext(name: string): { cwd: string; env: Record<string, string> } {
    const def = this.effectiveDefinition(name);
    return { cwd: path.resolve(this.paths.root, def.cwd ?? '.'), env: mergeEnv(this.env, def.env, this.platform) };
  }

  private emit(event: EngineEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // a failing subscriber must not break supervision or other subscribers
      }
    }
  }

  // ── status ─────────────────────────────────────────────────────────────────

  /** Status of one agent. */
  status(name: string): AgentStatus {
    return this.toStatus(this.runtime(name));
  }

  /** Automatic restarts since the person's last start, without building the whole status (the supervisor's score reads it while a status is being built). */
  restartCount(name: string): number {
    return this.runtime(name).restarts;
  }

  /** Status of every defined agent (and of any agent still running after its definition was removed). */
  list(): AgentStatus[] {
    const names = new Set([...this.definitions.keys(), ...this.runtimes.keys()]);
    return [...names].map((n) => this.status(n));
  }

  /** The most recent output lines of an agent. */
  logs(name: string, stream: LogStream | 'both' = 'both', limit = 1000): LogLine[] {
    return this.runtime(name).output.recent(stream, limit);
  }

  private toStatus(rt: Runtime): AgentStatus {
    const running = rt.state === 'running' || rt.state === 'stopping';
    // a running agent keeps the definition it started with; otherwise the current one applies
    const def = isActive(rt.state) ? rt.def : (this.definitions.get(rt.def.name) ?? rt.def);
    return {
      name: rt.def.name,
      state: rt.state,
      since: rt.since,
      pid: running ? rt.pid : null, // a pid is only news while its process is ours
      startedAt: rt.startedAt,
      uptimeMs: running && rt.startedAt !== null ? Date.now() - rt.startedAt : null,
      exitCode: rt.exitCode,
      signal: rt.signal,
      restarts: rt.restarts,
      lastError: rt.lastError,
      port: def.port ?? null,
      nextAttemptAt: rt.state === 'backoff' ? rt.nextAttemptAt : null,
      adopted: running && rt.adopted,
      outputCaptured: !running || rt.outputCaptured,
      conflict: rt.conflict,
      ...(this.definitions.has(rt.def.name) ? {} : { removed: true }), // removed from agents.json while it ran
      ...this.supervision(rt.def.name),
    };
  }

  private runtime(name: string): Runtime {
    const existing = this.runtimes.get(name);
    if (existing) return existing;
    const def = this.definitions.get(name);
    if (!def) throw unknownAgent(name, [...this.definitions.keys()]);
    const rt: Runtime = {
      def,
      state: 'stopped',
      since: Date.now(),
      pid: null,
      child: null,
      startedAt: null,
      exitCode: null,
      signal: null,
      restarts: 0,
      lastError: null,
      output: new AgentOutput({
        files: logFiles(this.paths, name, this.platform),
        ringLines: this.opts.logs?.ringLines ?? 1000,
        maxBytes: this.opts.logs?.maxBytes ?? 10 * 1024 * 1024,
        keep: this.opts.logs?.keep ?? 3,
        onLines: (lines) => this.emit({ type: 'log', name, lines }),
      }),
      exited: null,
      runId: 0,
      runMarker: null,
      stateWrite: Promise.resolve(),
      adopted: false,
      outputCaptured: true,
      conflict: null,
      exitPoll: null,
      pidWrite: Promise.resolve(),
      queue: Promise.resolve(),
      escalated: false,
      crashes: EMPTY_HISTORY,
      backoffTimer: null,
      nextAttemptAt: null,
    };
    this.runtimes.set(name, rt);
    return rt;
  }

  private transition(rt: Runtime, to: AgentState, reason: TransitionReason, lifecycle?: LifecycleName): void {
    const from = rt.state;
    if (!canTransition(from, to)) throw new Error(`internal: agent "${rt.def.name}" cannot go from ${from} to ${to}`);
    rt.state = to;
    rt.since = Date.now();
    this.persistState(rt);
    this.emit({ type: 'state', name: rt.def.name, from, to, reason, at: rt.since, status: this.toStatus(rt), ...(lifecycle ? { lifecycle } : {}) });
  }

  /** Records what a later host needs to carry on supervising (see run-state.ts); a stopped agent leaves nothing. */
  private persistState(rt: Runtime): void {
    if (rt.state === 'stopping') return; // its processes still live: the recorded `running` stays true until the stop ends
    const file = stateFile(this.paths, rt.def.name);
    const saved: PersistedState | null =
      rt.state === 'stopped'
        ? null
        : {
            name: rt.def.name,
            state: rt.state,
            runId: rt.runMarker,
            at: rt.since,
            restarts: rt.restarts,
            crashes: rt.crashes,
            nextAttemptAt: rt.state === 'backoff' ? rt.nextAttemptAt : null,
            lastError: rt.lastError,
            exitCode: rt.exitCode,
            signal: rt.signal,
          };
    rt.stateWrite = rt.stateWrite
      .then(() => (saved ? writeState(file, saved) : removeState(file)))
      .catch((err: unknown) => this.reportIoError(rt.def.name, file, err));
  }

  /** A file the engine writes for an agent could not be written: an io-error event (counted and alerted) and a line in its log view; the agent runs on. */
  private reportIoError(name: string, file: string, err: unknown): void {
    const event = ioErrorEvent(err, file, name);
    this.emit(event);
    this.emit({ type: 'log', name, lines: [{ stream: 'stderr', at: event.at, text: `[agent-tray] ${event.message}` }] });
  }

  /** Lets the supervision layer add health, violations and resource use to every status. */
  setSupervisionStatus(provider: (name: string) => SupervisionStatus): void {
    this.supervision = provider;
  }

  // ── concurrency ────────────────────────────────────────────────────────────

  /** How many agents may run at once; null: no limit. */
  get maxConcurrent(): number | null {
    return this.concurrency;
  }

  /** Changes the concurrency limit at run time (null removes it); agents already running are left alone. */
  setMaxConcurrent(limit: number | null): { oldLimit: number | null; newLimit: number | null } {
    if (limit !== null && (!Number.isInteger(limit) || limit < 1)) throw new AgentTrayError('bad-request', `maxConcurrent must be a whole number of at least 1 (or null for no limit), not ${limit}`);
    const oldLimit = this.concurrency;
    this.concurrency = limit;
    return { oldLimit, newLimit: limit };
  }

  /** The agents whose processes are alive or about to be (starting, running, stopping). */
  /** How many agents count against the concurrency limit now, without building their statuses. */
  activeCount(): number {
    let n = 0;
    for (const rt of this.runtimes.values()) if (isActive(rt.state)) n++;
    return n;
  }

  activeAgents(): AgentStatus[] {
    return [...this.runtimes.values()].filter((rt) => isActive(rt.state)).map((rt) => this.toStatus(rt));
  }

  /** Refuses a start that would pass the concurrency limit; the agent itself never counts twice. */
  private checkConcurrency(rt: Runtime): void {
    const limit = this.concurrency;
    if (limit === null) return; // no limit set
    const others = [...this.runtimes.values()].filter((o) => o !== rt && isActive(o.state));
    if (others.length < limit) return;
    const list = others.map((o) => `${o.def.name}${o.pid ? ` (pid ${o.pid})` : ''}`).join(', ');
    throw new AgentTrayError('conflict', `Cannot start "${rt.def.name}": the concurrency limit of ${limit} agent${limit === 1 ? '' : 's'} is reached (running: ${list})`, {
      hint: 'Stop one of them, or raise maxConcurrent or remove the limit (PUT /api/limits with {"maxConcurrent": N} or null, or settings.json)',
      details: { name: rt.def.name, maxConcurrent: limit, running: others.map((o) => o.def.name) },
    });
  }

  /** Runs `op` after every earlier operation on the same agent. */
  private serial<T>(rt: Runtime, op: () => Promise<T>): Promise<T> {
    const run = rt.queue.then(op, op);
    rt.queue = run.catch(() => undefined);
    return run;
  }

  // ── start ──────────────────────────────────────────────────────────────────

  /** Starts an agent; an agent that is already running is left alone and its status returned. */
  async start(name: string): Promise<AgentStatus> {
    const rt = this.runtime(name);
    return this.serial(rt, () => this.doStart(rt, { automatic: false }));
  }

  private async doStart(rt: Runtime, mode: StartMode): Promise<AgentStatus> {
    if (rt.state === 'running') return this.toStatus(rt);
    if (this.closed) throw new AgentTrayError('conflict', `Agent "${rt.def.name}" was not started: Agent Tray is shutting down`);
    if (mode.automatic && rt.state !== 'backoff' && rt.state !== 'stopped') return this.toStatus(rt); // a person acted meanwhile
    const def = this.definitions.get(rt.def.name);
    if (!def) throw unknownAgent(rt.def.name, [...this.definitions.keys()]);
    this.clearBackoff(rt);
    if (mode.automatic) {
      try {
        this.checkConcurrency(rt);
      } catch (err) {
        // the slot was taken while it waited: it cannot come back, say why
        rt.lastError = { message: (err as Error).message, at: Date.now(), exitCode: rt.exitCode, signal: rt.signal, stderr: [] };
        if (rt.state === 'backoff') this.transition(rt, 'crashed', { kind: 'policy', message: (err as Error).message });
        throw err;
      }
      rt.restarts++;
    } else {
      this.checkConcurrency(rt);
      rt.restarts = 0;
      rt.crashes = EMPTY_HISTORY;
    }
    rt.def = def;
    rt.runMarker = newRunId();
    this.transition(rt, 'starting', mode.automatic ? mode.reason : { kind: 'user', message: 'start requested' });

    const cwd = path.resolve(this.paths.root, def.cwd ?? '.');
    const env = { ...mergeEnv(this.env, def.env, this.platform), [AGENT_MARKER_VARIABLE]: def.name, [DATA_DIR_VARIABLE]: this.paths.root, [RUN_ID_VARIABLE]: rt.runMarker };
    let executable: string;
    try {
      executable = await preflight({ name: def.name, command: def.command, cwd, env, platform: this.platform });
      await this.checkPortFree(rt, def.port);
    } catch (err) {
      this.fail(rt, err);
      throw err;
    }

    let fds: { stdoutFd: number; stderrFd: number } | null = null;
    let child: ChildProcess;
    try {
      fds = rt.output.openForChild();
      await rt.output.follow();
      // the intent (state `starting` with this run id) is on disk before the process exists, so a
      // host killed from here on leaves a trace that the next one follows (discovery by markers)
      await rt.stateWrite;
      child = spawn(
        executable,
        def.args,
        buildSpawnOptions({ platform: this.platform, cwd, env, stdoutFd: fds.stdoutFd, stderrFd: fds.stderrFd, stdin: def.stop?.stdin ? 'pipe' : 'ignore' }),
      );
      child.on('error', () => undefined); // reported through the spawn promise or the exit
      const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => {
        child.once('exit', (code, signal) => resolve({ code, signal }));
      });
      await new Promise<void>((resolve, reject) => {
        child.once('spawn', resolve);
        child.once('error', reject);
      });
      rt.exited = exited;
      const runId = ++rt.runId;
      void exited.then(() => this.serial(rt, () => this.handleExit(rt, runId)));
    } catch (cause) {
      await rt.output.close();
      const err = new AgentTrayError('spawn-failed', `Agent "${def.name}": ${executable} could not be started (${(cause as Error).message})`, {
        hint: 'Check that the program runs from a terminal with the same cwd and environment',
        details: { name: def.name, command: executable },
        cause,
      });
      this.fail(rt, err);
      throw err;
    } finally {
      if (fds) {
        closeSync(fds.stdoutFd);
        closeSync(fds.stderrFd);
      }
    }

    rt.child = child;
    rt.pid = child.pid ?? null;
    rt.adopted = false;
    rt.outputCaptured = true;
    rt.conflict = null;
    rt.startedAt = Date.now();
    rt.exitCode = null;
    rt.signal = null;
    this.transition(rt, 'running', { kind: 'spawned', message: `started as pid ${rt.pid}` }, mode.automatic ? 'restarted' : 'started');
    this.applyPriority(rt, def.priority);
    rt.pidWrite = this.recordPid(rt, executable);
    await rt.pidWrite;
    return this.toStatus(rt);
  }

  private async recordPid(rt: Runtime, executable: string): Promise<void> {
    const pid = rt.pid;
    if (pid === null) return;
    try {
      await writePidFile(pidFile(this.paths, rt.def.name, this.platform), {
        pid,
        processStartTime: await processStartTime(pid, this.platform).catch(() => null),
        command: commandLine(executable, rt.def.args),
        name: rt.def.name,
        startedAt: rt.startedAt ?? Date.now(),
        ...(rt.runMarker ? { runId: rt.runMarker } : {}),
        logs: logFiles(this.paths, rt.def.name, this.platform),
      });
    } catch (err) {
      this.reportIoError(rt.def.name, pidFile(this.paths, rt.def.name, this.platform), err);
    }
  }

  /** Refuses a start whose port another process holds, naming the holder and what to do. */
  private async checkPortFree(rt: Runtime, port: number | undefined): Promise<void> {
    rt.conflict = null;
    if (port === undefined) return;
    const holder = await portHolder(port, this.platform).catch(() => null);
    if (!holder) return;
    const who = holder.pid !== null ? `pid ${holder.pid}${holder.commandLine ? ` (${holder.commandLine})` : ''}` : 'a process Agent Tray cannot see (another user\'s?)';
    const message = `Agent "${rt.def.name}": port ${port} is already in use by ${who} on ${holder.address}`;
    rt.conflict = { port, pid: holder.pid, commandLine: holder.commandLine, message };
    throw new AgentTrayError('port-in-use', message, {
      hint: `Stop that process, change "port" of ${rt.def.name}, or run discovery (POST /api/discover) to adopt it if it is this agent`,
      details: { name: rt.def.name, port, pid: holder.pid, commandLine: holder.commandLine },
    });
  }

  /** Records a port conflict that discovery found (shown on the agent until its next start). */
  setConflict(name: string, conflict: AgentStatus['conflict']): void {
    this.runtime(name).conflict = conflict;
  }

  /** Sets the operating system's scheduling priority of the agent's main process. */
  private applyPriority(rt: Runtime, priority: Priority | undefined): void {
    if (!priority || priority === 'normal' || rt.pid === null) return;
    const value = priority === 'low' ? osConstants.priority.PRIORITY_BELOW_NORMAL : osConstants.priority.PRIORITY_ABOVE_NORMAL;
    try {
      setPriority(rt.pid, value);
    } catch (err) {
      const hint = priority === 'high' && this.platform !== 'win32' ? ' (raising a priority needs administrator rights on this platform)' : '';
      this.emit({ type: 'log', name: rt.def.name, lines: [{ stream: 'stderr', at: Date.now(), text: `[agent-tray] could not set priority ${priority}: ${(err as Error).message}${hint}` }] });
    }
  }

  /** Starts the agent again after `delayMs`, as its restart policy says (failures show as errored/crashed). */
  private scheduleRetry(rt: Runtime, delayMs: number, reason: TransitionReason): void {
    rt.backoffTimer = setTimeout(() => {
      rt.backoffTimer = null;
      this.serial(rt, () => this.doStart(rt, { automatic: true, reason })).catch(() => undefined);
    }, delayMs);
    rt.backoffTimer.unref();
  }

  private clearBackoff(rt: Runtime): void {
    if (rt.backoffTimer) clearTimeout(rt.backoffTimer);
    rt.backoffTimer = null;
    rt.nextAttemptAt = null;
  }

  private fail(rt: Runtime, err: unknown): void {
    const message = err instanceof Error ? err.message : String(err);
    rt.lastError = { message, at: Date.now(), exitCode: null, signal: null, stderr: [] };
    rt.pid = null;
    this.transition(rt, 'errored', { kind: 'spawn-failed', message });
  }

  // ── exit ───────────────────────────────────────────────────────────────────

  /** The agent's main process exited without being asked to. */
  private async handleExit(rt: Runtime, runId: number): Promise<void> {
    if (this.closed || rt.runId !== runId || rt.state !== 'running') return; // closed, or a stop already dealt with it
    const { code, signal } = (await rt.exited) ?? { code: null, signal: null };
    rt.child = null;
    rt.exitCode = code;
    rt.signal = signal;
    await this.finishRun(rt);
    const now = Date.now();
    const to = stateAfterExit(code, signal);
    const how = rt.adopted && code === null && signal === null ? 'exited (its exit status is unknown: it was adopted)' : describeExit(code, signal);
    if (to === 'crashed') {
      const stderr = rt.output.recent('stderr', this.opts.errorLines ?? 20).map((l) => l.text);
      const last = stderr.at(-1);
      rt.lastError = { message: `${rt.def.name} ${how}${last ? `: ${last}` : ''}`, at: now, exitCode: code, signal, stderr };
    }
    const policy = resolveRestart(rt.def.restart, this.opts.restartDefaults);
    const decision = decideAfterExit(policy, { exitCode: code, signal }, rt.crashes, now, now - (rt.startedAt ?? now), this.opts.random);
    const lifecycle: LifecycleName | undefined = to === 'crashed' ? 'crashed' : undefined;
    if (decision.action === 'restart') {
      rt.crashes = decision.history;
      rt.nextAttemptAt = now + decision.delayMs;
      const budget = `restart ${decision.restartsInWindow} of ${policy.maxRestarts} in ${Math.round(policy.windowMs / 1000)} s`;
      this.transition(rt, 'backoff', { kind: 'exited', message: `${rt.def.name} ${how}; restarting in ${(decision.delayMs / 1000).toFixed(1)} s (${budget})`, exitCode: code, signal }, lifecycle);
      this.scheduleRetry(rt, decision.delayMs, { kind: 'policy', message: `restart policy: ${budget}` });
    } else if (decision.action === 'give-up') {
      const why = `gave up after ${decision.restartsInWindow} restarts within ${Math.round(policy.windowMs / 1000)} s`;
      if (rt.lastError) rt.lastError = { ...rt.lastError, message: `${rt.lastError.message} (${why})` };
      this.transition(rt, 'crashed', { kind: 'policy', message: `${rt.def.name} ${how}; ${why}`, exitCode: code, signal }, 'crashed');
    } else {
      this.transition(rt, to, { kind: 'exited', message: `${rt.def.name} ${how}`, exitCode: code, signal }, lifecycle);
    }
    // descendants left in its process group would run unsupervised: end them too, in the background
    if (this.platform !== 'win32' && rt.pid !== null) {
      const s = rt.def.stop ?? {};
      const runId = rt.runId;
      void stopProcessTree({ pid: rt.pid, signal: s.signal ?? 'SIGTERM', timeoutMs: s.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS, insistMs: s.insistMs ?? DEFAULT_STOP_INSIST_MS, platform: this.platform })
        // stragglers too, unless a new run (a restart) has begun meanwhile: its processes carry the same name
        .then((tree) => (rt.runId === runId && !isActive(rt.state) ? this.stopStragglers(rt, false, tree.pids) : undefined))
        .catch(() => undefined);
    }
  }

  /** After the last process of a run is gone: read the rest of its output, remove the PID file. */
  private async finishRun(rt: Runtime): Promise<void> {
    if (rt.exitPoll) clearInterval(rt.exitPoll);
    rt.exitPoll = null;
    await rt.pidWrite;
    await rt.output.close();
    await removePidFile(pidFile(this.paths, rt.def.name, this.platform)).catch(() => undefined);
  }

  // ── stop, kill, restart ────────────────────────────────────────────────────

  /** Stops an agent and every process it started: ask, wait, insist, kill. */
  async stop(name: string): Promise<StopResult> {
    const rt = this.runtime(name);
    return this.serial(rt, () => this.doStop(rt, false));
  }

  /** Ends an agent's whole process tree at once. */
  async kill(name: string): Promise<StopResult> {
    const rt = this.runtime(name);
    if (rt.state === 'stopping' && rt.pid !== null) {
      // a graceful stop is waiting: escalate now instead of queueing behind it
      rt.escalated = true;
      await this.stopTree(rt, true);
    }
    return this.serial(rt, () => this.doStop(rt, true));
  }

  /** Stops the agent if it runs, then starts it with its current definition. */
  async restart(name: string): Promise<AgentStatus> {
    const rt = this.runtime(name);
    return this.serial(rt, async () => {
      await this.doStop(rt, false);
      return this.doStart(rt, { automatic: false });
    });
  }

  /**
   * Restarts a running agent for the supervisor (a failed health check, a limit): it counts in
   * `restarts` but never against the crash budget. Nothing happens if the agent no longer runs.
   */
  async restartFor(name: string, reason: TransitionReason): Promise<AgentStatus> {
    const rt = this.runtime(name);
    return this.serial(rt, async () => {
      if (rt.state !== 'running') return this.toStatus(rt);
      await this.doStop(rt, false, reason);
      return this.doStart(rt, { automatic: true, reason });
    });
  }

  /** Stops a running agent for the supervisor (a limit whose action is stop), with its reason. */
  async stopFor(name: string, reason: TransitionReason): Promise<StopResult> {
    const rt = this.runtime(name);
    return this.serial(rt, () => this.doStop(rt, false, reason));
  }

  private async doStop(rt: Runtime, immediate: boolean, reason?: TransitionReason): Promise<StopResult> {
    const name = rt.def.name;
    const notRunning: StopResult = { name, exitCode: rt.exitCode, signal: rt.signal, durationMs: 0, outcome: 'not-running', pids: [] };
    if (rt.state !== 'running') {
      if (rt.state === 'crashed' || rt.state === 'errored' || rt.state === 'backoff') {
        this.clearBackoff(rt);
        this.transition(rt, 'stopped', reason ?? { kind: 'user', message: `cleared from ${rt.state}` }, 'stopped');
      }
      return notRunning;
    }
    const started = Date.now();
    this.transition(rt, 'stopping', reason ?? { kind: 'user', message: immediate ? 'kill requested' : 'stop requested' });
    const tree = await this.stopTree(rt, immediate);
    // processes that left the tree (a daemon that double-forked) still carry the agent's markers
    const left = await this.stopStragglers(rt, immediate, tree.pids);
    tree.pids.push(...left.pids);
    tree.survivors.push(...left.survivors);
    // bounded, and not unref'ed: an adopted agent's exit is seen by a poll that must get to run
    let exitWait: NodeJS.Timeout | undefined;
    const exit = rt.exited ? await Promise.race([rt.exited, new Promise<null>((r) => (exitWait = setTimeout(() => r(null), 5_000)))]) : null;
    clearTimeout(exitWait);
    rt.child = null;
    rt.exitCode = exit?.code ?? null;
    rt.signal = exit?.signal ?? null;
    await this.finishRun(rt);
    const durationMs = Date.now() - started;
    const outcome = rt.escalated ? 'killed' : tree.outcome;
    rt.escalated = false;
    const survivors = tree.survivors.length ? `; still alive: ${tree.survivors.join(', ')}` : '';
    this.transition(rt, 'stopped', {
      kind: 'stopped',
      message: `${name} stopped in ${durationMs} ms (${outcome === 'graceful' ? 'it exited when asked' : outcome === 'insisted' ? 'it exited when asked again' : 'it was killed'})${survivors}`,
      exitCode: rt.exitCode,
      signal: rt.signal,
    }, 'stopped');
    return { name, exitCode: rt.exitCode, signal: rt.signal, durationMs, outcome, pids: tree.pids };
  }

  /** Stops the processes that still carry the agent's markers after its tree is gone (never another agent's, never a recycled pid). */
  private stopStragglers(rt: Runtime, immediate: boolean, treePids: readonly number[]): Promise<{ pids: number[]; survivors: number[] }> {
    const s = rt.def.stop ?? {};
    return stopStragglers({
      name: rt.def.name,
      dataDir: this.paths.root,
      platform: this.platform,
      exclude: new Set(treePids),
      signal: immediate ? 'SIGKILL' : (s.signal ?? 'SIGTERM'),
      timeoutMs: immediate ? 0 : (s.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS),
      insistMs: immediate ? 0 : (s.insistMs ?? DEFAULT_STOP_INSIST_MS),
    }).catch(() => ({ pids: [], survivors: [] }));
  }

  private stopTree(rt: Runtime, immediate: boolean): Promise<TreeStopOutcome> {
    const pid = rt.pid as number;
    const s = rt.def.stop ?? {};
    const ask = this.askToStop(rt);
    const timeoutMs = s.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
    if (this.platform === 'win32') return stopWindowsTree({ pid, timeoutMs, immediate, ...(ask ? { ask } : {}) });
    return stopProcessTree({ pid, signal: s.signal ?? 'SIGTERM', timeoutMs, insistMs: s.insistMs ?? DEFAULT_STOP_INSIST_MS, immediate, platform: this.platform, ...(ask ? { ask } : {}) });
  }

  /** The agent's own way of being asked to stop (stop.stdin or stop.command), if it has one. */
  private askToStop(rt: Runtime): (() => void) | undefined {
    const s = rt.def.stop;
    const child = rt.child;
    if (s?.stdin !== undefined && child?.stdin) {
      const stdin = child.stdin;
      return () => {
        stdin.on('error', () => undefined);
        stdin.write(`${s.stdin}\n`);
      };
    }
    const command = s?.command;
    if (command && command.length > 0) {
      const [program, ...args] = command as [string, ...string[]];
      return () => {
        const helper = spawn(program, args, {
          cwd: path.resolve(this.paths.root, rt.def.cwd ?? '.'),
          env: mergeEnv(this.env, rt.def.env, this.platform),
          stdio: 'ignore',
          windowsHide: true,
        });
        helper.on('error', () => undefined);
        const timer = setTimeout(() => helper.kill('SIGKILL'), (s.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS) + 1_000);
        timer.unref();
        helper.once('exit', () => clearTimeout(timer));
      };
    }
    return undefined;
  }

  // ── adoption ───────────────────────────────────────────────────────────────

  /**
   * Takes a running process back under supervision (found by discovery after Agent Tray
   * restarted): `running` with `adopted: true`, monitored and stopped like any other; its exit is
   * noticed by polling its pid. An agent that is already managed is left alone.
   */
  async adopt(name: string, info: AdoptInfo): Promise<AgentStatus> {
    const rt = this.runtime(name);
    return this.serial(rt, async () => {
      if (isActive(rt.state)) return this.toStatus(rt);
      const def = this.definitions.get(name);
      if (!def) throw unknownAgent(name, [...this.definitions.keys()]);
      this.clearBackoff(rt);
      rt.def = def;
      const by = { 'pid-file': 'its PID file', marker: 'the marker variables in its environment', port: `port ${def.port}`, 'command-line': 'its command line' }[info.via];
      const found = `found running as pid ${info.pid} (by ${by})`;
      rt.runMarker = info.runId ?? info.saved?.runId ?? null;
      // the restart budget spent under the previous host still counts
      if (info.saved) {
        rt.restarts = info.saved.restarts;
        rt.crashes = info.saved.crashes;
        rt.lastError = info.saved.lastError;
      }
      this.transition(rt, 'starting', { kind: 'adopted', message: found });
      rt.child = null;
      rt.pid = info.pid;
      rt.startedAt = info.startedAt;
      rt.exitCode = null;
      rt.signal = null;
      rt.adopted = true;
      rt.outputCaptured = info.outputCaptured;
      rt.conflict = null;
      if (info.outputCaptured) await rt.output.follow({ history: true }); // the lines written before the restart, then the new ones
      const runId = ++rt.runId;
      rt.exited = new Promise((resolve) => {
        const gone = () => !isProcessAlive(info.pid, this.platform);
        rt.exitPoll = setInterval(() => {
          if (!gone()) return;
          if (rt.exitPoll) clearInterval(rt.exitPoll);
          rt.exitPoll = null;
          resolve({ code: null, signal: null });
        }, this.opts.adoptedPollMs ?? 1_000);
        rt.exitPoll.unref();
      });
      void rt.exited.then(() => this.serial(rt, () => this.handleExit(rt, runId)));
      this.transition(rt, 'running', { kind: 'adopted', message: `${name} ${found}` }, 'started');
      if (info.via !== 'pid-file') {
        const logs = info.outputCaptured ? { logs: logFiles(this.paths, name, this.platform) } : {};
        const runId = rt.runMarker ? { runId: rt.runMarker } : {};
        rt.pidWrite = writePidFile(pidFile(this.paths, name, this.platform), { pid: info.pid, processStartTime: info.processStartTime, command: info.commandLine, name, startedAt: info.startedAt, ...logs, ...runId }).catch(() => undefined);
        await rt.pidWrite;
      }
      return this.toStatus(rt);
    });
  }

  /**
   * Carries on the supervision a previous host left (its state file) for an agent whose process
   * was not found: waiting to retry → the retry happens at its time; given up or failed → that
   * state with its reason; running, or a start under way → it ended while no host watched, and
   * its restart policy decides (its exit status is unknown). Only for an agent this engine has not
   * touched yet; null when there was nothing to carry on.
   */
  async resume(name: string, saved: PersistedState): Promise<AgentStatus | null> {
    const rt = this.runtime(name);
    return this.serial(rt, async () => {
      if (rt.state !== 'stopped' || rt.runId !== 0 || rt.runMarker !== null || this.closed) return null;
      const decision = resumeDecision(name, saved, resolveRestart(rt.def.restart, this.opts.restartDefaults), Date.now(), this.opts.random);
      if (decision.action === 'none') {
        this.persistState(rt); // its policy does not restart it: nothing to carry on
        return null;
      }
      rt.restarts = saved.restarts;
      rt.crashes = decision.crashes;
      rt.lastError = decision.lastError;
      rt.exitCode = saved.exitCode;
      rt.signal = saved.signal;
      rt.runMarker = saved.runId;
      if (decision.action === 'restore') {
        this.restoreState(rt, decision.to, { kind: 'policy', message: decision.message });
        return this.toStatus(rt);
      }
      rt.nextAttemptAt = Date.now() + decision.delayMs;
      this.restoreState(rt, 'backoff', { kind: 'policy', message: decision.message });
      this.scheduleRetry(rt, decision.delayMs, { kind: 'policy', message: `restart policy: ${decision.message}` });
      return this.toStatus(rt);
    });
  }

  /** Puts a fresh runtime into the state a previous host left it in (not a lifecycle step: nothing ran here). */
  private restoreState(rt: Runtime, to: 'backoff' | 'crashed' | 'errored', reason: TransitionReason): void {
    const from = rt.state;
    rt.state = to;
    rt.since = Date.now();
    this.persistState(rt);
    this.emit({ type: 'state', name: rt.def.name, from, to, reason, at: rt.since, status: this.toStatus(rt) });
  }

  // ── shutdown ───────────────────────────────────────────────────────────────

  /** Stops following output; agents keep running (they outlive the manager) unless `stopAgents`. */
  async close(opts: { stopAgents?: boolean } = {}): Promise<void> {
    const all = [...this.runtimes.values()];
    this.closed = true; // from here on no exit is acted on and nothing is restarted
    for (const rt of all) this.clearBackoff(rt);
    if (opts.stopAgents) await Promise.all(all.map((rt) => this.serial(rt, () => this.doStop(rt, false))));
    await Promise.all(all.map((rt) => rt.stateWrite)); // what the next host carries on is on disk
    for (const rt of all) {
      this.clearBackoff(rt);
      if (rt.exitPoll) clearInterval(rt.exitPoll);
      rt.child?.unref();
      (rt.child?.stdin as { unref?: () => void } | null | undefined)?.unref?.();
      await rt.output.close();
    }
  }
}
