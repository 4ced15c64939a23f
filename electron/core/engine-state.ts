// The engine's bookkeeping: definitions, the event stream, statuses, transitions (each one
// persisted for the next host), the concurrency limit and the per-agent queue. The operations
// that start, stop and adopt processes build on it in engine.ts.
import path from 'node:path';
import { AgentDefinitionSchema, type AgentDefinition, type AgentDefinitionInput } from '../../shared/agent.js';
import { formatIssues } from '../../shared/issues.js';
import { DEFAULT_MAX_CONCURRENT } from '../../shared/settings.js';
import type { AgentState, AgentStatus, EngineEvent, LifecycleName, LogLine, LogStream, TransitionReason } from '../../shared/status.js';
import { resolveAgentEnv, type ResolvedEnv } from './agent-env.js';
import type { EngineOptions, Listener, Runtime, SupervisionStatus } from './engine-types.js';
import { AgentTrayError, unknownAgent } from './errors.js';
import { ioErrorEvent } from './io-error-event.js';
import { AgentOutput } from './logs/agent-output.js';
import { dataPaths, logFiles, type DataPaths } from './paths.js';
import { mergeEnv } from './platform/spawn-options.js';
import { removeState, stateFile, writeState, type PersistedState } from './run-state.js';
import { fileSecretStore } from './secrets/secret-files.js';
import type { SecretStore } from './secrets/secret-store.js';
import type { DependencyView } from './stack/conditions.js';
import { observeStack, type StackHost } from './stack/observe.js';
import { agentUrl } from './url-detect.js';
import { observeUrl, type UrlHost } from './url-observe.js';
import { newReadiness, readinessMeasure, readyFields } from './stack/readiness.js';
import { canTransition, isActive } from './state-machine.js';
import { EMPTY_HISTORY, resolveRestart, type ResolvedRestart } from './supervision/restart-policy.js';
import type { OnDemandHooks } from './on-demand/hooks.js';
import { withInternalPort } from './on-demand/port-env.js';

const NO_SUPERVISION: SupervisionStatus = { health: 'unknown', healthScore: 100, violations: 0, stats: null };

export abstract class EngineState {
  readonly paths: DataPaths;
  protected readonly platform: NodeJS.Platform;
  protected readonly env: Record<string, string | undefined>;
  protected readonly definitions = new Map<string, AgentDefinition>();
  protected readonly runtimes = new Map<string, Runtime>();
  protected readonly listeners = new Set<Listener>();
  protected concurrency: number | null;
  /** After close(): the engine no longer acts on exits nor restarts anything (its agents live on). */
  protected closed = false;
  protected supervision: (name: string) => SupervisionStatus = () => NO_SUPERVISION;
  /** On-demand agents' relays (on-demand/relay.ts): the internal port of a start, and their status. */
  protected readonly onDemandHooks = new Map<string, OnDemandHooks>();
  private readonly definitionWatchers = new Set<() => void>();
  /** Where secretEnv values are read at each start. */
  readonly secrets: SecretStore | null;

  constructor(protected readonly opts: EngineOptions) {
    this.concurrency = opts.maxConcurrent ?? DEFAULT_MAX_CONCURRENT;
    this.platform = opts.platform ?? process.platform;
    this.env = opts.env ?? process.env;
    this.paths = dataPaths(path.resolve(opts.dataDir), this.platform);
    this.secrets = opts.secrets === undefined ? fileSecretStore(this.paths.root) : opts.secrets;
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
    for (const [name, rt] of this.runtimes) if (!names.has(name) && !isActive(rt.state)) this.drop(name, rt);
    for (const w of this.definitionWatchers) w();
  }

  /** Calls `watcher` after each setDefinitions (the on-demand relays follow the definitions); returns the unsubscribe function. */
  onDefinitions(watcher: () => void): () => void {
    this.definitionWatchers.add(watcher);
    return () => this.definitionWatchers.delete(watcher);
  }

  /** The internal port of an on-demand agent's current run (given at its start, or recorded by the host that started it); null: not running, or none. */
  internalPort(name: string): number | null {
    const rt = this.runtimes.get(name);
    return rt && isActive(rt.state) ? (rt.internalPort ?? null) : null;
  }

  /** Registers an on-demand agent's relay (a newer one replaces the older). */
  setOnDemand(name: string, hooks: OnDemandHooks): void {
    this.onDemandHooks.set(name, hooks);
  }

  /** Removes an on-demand agent's relay, if `hooks` are still the registered ones (not a newer relay's). */
  clearOnDemand(name: string, hooks: OnDemandHooks): void {
    if (this.onDemandHooks.get(name) === hooks) this.onDemandHooks.delete(name);
  }

  /** Forgets an agent that is no longer defined: its pending retry, and what a next host would carry on (a new agent of that name starts afresh). */
  protected drop(name: string, rt: Runtime): void {
    this.clearBackoff(rt);
    rt.wait?.cancel();
    this.runtimes.delete(name);
    const file = stateFile(this.paths, name);
    rt.stateToWrite = undefined;
    rt.stateWrite = rt.stateWrite.then(() => removeState(file)).catch((err: unknown) => this.reportIoError(name, file, err));
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
    this.drop(name, rt);
    return true;
  }

  protected parseDefinition(def: AgentDefinitionInput, at: PropertyKey[]): AgentDefinition {
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
    const own = isActive(this.runtime(name).state) ? this.runtime(name).ownEnv : null;
    // a run taken back by this host: its definition's variables, with an on-demand agent's port as its start gave it
    const adopted = own ?? withInternalPort([], def.env ?? {}, this.internalPort(name) ?? undefined).env;
    return { cwd: path.resolve(this.paths.root, def.cwd ?? '.'), env: mergeEnv(this.env, adopted, this.platform) };
  }

  /** An agent's own variables for a start (env files, env, secrets; the first problem throws), checked by the host's rules (the sandbox). */
  protected async ownEnv(def: AgentDefinition): Promise<ResolvedEnv> {
    const resolved = await resolveAgentEnv(def, { root: this.paths.root, platform: this.platform, secrets: this.secrets }, true);
    this.opts.checkEnv?.(def, resolved.variables);
    return resolved;
  }

  /** The secret values of an agent's definition, as far as they can be read (for masking the output of a run this engine did not start). */
  protected async knownSecrets(def: AgentDefinition): Promise<string[]> {
    const resolved = await resolveAgentEnv(def, { root: this.paths.root, platform: this.platform, secrets: this.secrets }, false).catch(() => null);
    return resolved?.secretValues ?? [];
  }

  protected emit(event: EngineEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // a failing subscriber must not break supervision or other subscribers
      }
    }
    observeStack(this.stackHost, event); // after every subscriber saw it: a `ready` it causes comes after it
    observeUrl(this.urlHost, event);
  }

  /** What the URL observer needs of the engine. */
  private readonly urlHost: UrlHost = { runtimes: this.runtimes, updated: (rt) => this.emit({ type: 'agent-updated', name: rt.def.name, status: this.toStatus(rt) }) };

  /** What the stack observer (readiness, waits) needs of the engine. */
  private readonly stackHost: StackHost = { runtimes: this.runtimes, emit: (e) => this.emit(e), persist: (rt) => this.persistState(rt) };

  /** What a dependent's wait reads of `agent` now; null when it is not defined. */
  protected dependencyView(agent: string): DependencyView | null {
    if (!this.definitions.has(agent)) return null;
    const rt = this.runtime(agent);
    const health = this.supervision(agent).health;
    const { ready } = readyFields(readinessMeasure(rt.def, rt.readiness, rt.outputCaptured), rt.state, health, rt.readiness);
    return { state: rt.state, health, ready, completedAt: rt.completedAt, lastError: rt.lastError };
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

  /** The restart policy in force for an agent (its own settings over the host's defaults): an on-demand relay paces its starts by it. */
  restartPolicy(name: string): ResolvedRestart {
    return resolveRestart(this.effectiveDefinition(name).restart, this.opts.restartDefaults);
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

  protected toStatus(rt: Runtime): AgentStatus {
    const running = rt.state === 'running' || rt.state === 'stopping';
    // a running agent keeps the definition it started with; otherwise the current one applies
    const def = isActive(rt.state) ? rt.def : (this.definitions.get(rt.def.name) ?? rt.def);
    const supervision = this.supervision(rt.def.name);
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
      ...agentUrl(def, isActive(rt.state) ? (rt.detectedUrl ?? null) : null),
      nextAttemptAt: rt.state === 'backoff' ? rt.nextAttemptAt : null,
      adopted: running && rt.adopted,
      outputCaptured: !running || rt.outputCaptured,
      conflict: rt.conflict,
      ...(this.definitions.has(rt.def.name) ? {} : { removed: true }), // removed from agents.json while it ran
      ...(running && rt.windows ? { windows: rt.windows } : {}),
      ...(def.dependsOn && Object.keys(def.dependsOn).length > 0 ? { dependsOn: def.dependsOn } : {}),
      ...(def.groups?.length ? { groups: def.groups } : {}),
      ...(rt.state === 'waiting' && rt.wait ? { waitingFor: rt.wait.unmet() } : {}),
      ...(rt.state === 'stopping' && rt.stopping ? { stopping: rt.stopping } : {}),
      ...readyFields(readinessMeasure(rt.def, rt.readiness, rt.outputCaptured), rt.state, supervision.health, rt.readiness),
      ...supervision,
      ...(this.onDemandHooks.has(rt.def.name) ? { onDemand: { ...this.onDemandHooks.get(rt.def.name)!.status(), internalPort: this.internalPort(rt.def.name) } } : {}),
    };
  }

  protected runtime(name: string): Runtime {
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
      output: this.newOutput(name),
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
      wait: null,
      readiness: newReadiness(def),
      completedAt: null,
    };
    this.runtimes.set(name, rt);
    return rt;
  }

  /** The output (log files, followers, rings) of agent `name`. */
  private newOutput(name: string): AgentOutput {
    return new AgentOutput({
      files: logFiles(this.paths, name, this.platform),
      ringLines: this.opts.logs?.ringLines ?? 1000,
      maxBytes: this.opts.logs?.maxBytes ?? 10 * 1024 * 1024,
      keep: this.opts.logs?.keep ?? 3,
      ...(this.opts.logs?.diskCheckMs !== undefined ? { diskCheckMs: this.opts.logs.diskCheckMs } : {}),
      onLines: (lines) => this.emit({ type: 'log', name, lines }),
      // a log that cannot be rotated, or whose disk is full (the agent's lines are lost): counted, alerted; the agent runs on
      onIoError: (err, file) => this.emit(ioErrorEvent(err, file, name, 'rotate')),
    });
  }

  /**
   * Runs `op` in the agent's queue (after every operation under way on it, before any asked for
   * later) once its state file writes are done: what a rename of its files needs. `op` must not
   * start or stop that agent (it would wait for itself).
   */
  exclusive<T>(name: string, op: () => Promise<T>): Promise<T> {
    const rt = this.runtime(name);
    return this.serial(rt, async () => {
      do await rt.stateWrite;
      while (rt.stateToWrite !== undefined);
      return op();
    });
  }

  /**
   * Gives what the engine remembers of an agent that does not run (its lines in memory, restart
   * count, last error, a crashed or errored state) to its new name `def.name`; call it inside
   * exclusive(from), after the files were moved and before setDefinitions. A crashed or errored
   * state is written again under the new name (its file holds the name); the old state file goes.
   */
  renameRuntime(from: string, def: AgentDefinitionInput): void {
    const rt = this.runtimes.get(from);
    if (!rt) return;
    const parsed = this.parseDefinition(def, []);
    const to = parsed.name;
    if (isActive(rt.state) || rt.state === 'waiting' || rt.state === 'backoff') {
      throw new AgentTrayError('conflict', `Agent "${from}" is ${rt.state} and cannot be renamed to "${to}"`, { hint: 'Stop it first', details: { name: from } });
    }
    const other = this.runtimes.get(to);
    if (other && other !== rt) {
      if (isActive(other.state)) throw new AgentTrayError('conflict', `Agent "${from}" cannot be renamed to "${to}": an agent of that name removed from agents.json still runs`, { hint: `Stop "${to}" first`, details: { name: to } });
      this.clearBackoff(other);
      other.wait?.cancel();
    }
    const output = this.newOutput(to);
    output.takeLinesFrom(rt.output);
    rt.output = output;
    rt.def = parsed;
    this.runtimes.delete(from);
    this.runtimes.set(to, rt);
    const oldFile = stateFile(this.paths, from);
    if (rt.state !== 'stopped') {
      rt.stateWrite = rt.stateWrite.then(() => removeState(oldFile)).catch((err: unknown) => this.reportIoError(to, oldFile, err));
      this.persistState(rt);
    }
  }

  protected transition(rt: Runtime, to: AgentState, reason: TransitionReason, lifecycle?: LifecycleName): void {
    const from = rt.state;
    if (!canTransition(from, to)) throw new Error(`internal: agent "${rt.def.name}" cannot go from ${from} to ${to}`);
    rt.state = to;
    rt.since = Date.now();
    this.persistState(rt);
    this.emit({ type: 'state', name: rt.def.name, from, to, reason, at: rt.since, status: this.toStatus(rt), ...(lifecycle ? { lifecycle } : {}) });
  }

  /** Records what a later host needs to carry on supervising (see run-state.ts); a stopped agent leaves nothing. */
  protected persistState(rt: Runtime): void {
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
            ...(rt.readiness.at !== null && isActive(rt.state) ? { readyAt: rt.readiness.at } : {}),
            ...(rt.internalPort != null && isActive(rt.state) ? { internalPort: rt.internalPort } : {}),
          };
    // only the newest state matters: a write still waiting its turn takes the newest one with it
    const queued = rt.stateToWrite !== undefined;
    rt.stateToWrite = saved;
    if (queued) return;
    rt.stateWrite = rt.stateWrite.then(async () => {
      const next = rt.stateToWrite;
      rt.stateToWrite = undefined;
      if (next === undefined) return;
      await (next ? writeState(file, next) : removeState(file)).catch((err: unknown) => this.reportIoError(rt.def.name, file, err));
    });
  }

  /** A file the engine writes for an agent could not be written: an io-error event (counted and alerted) and a line in its log view; the agent runs on. */
  protected reportIoError(name: string, file: string, err: unknown): void {
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
  protected checkConcurrency(rt: Runtime): void {
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
  protected serial<T>(rt: Runtime, op: () => Promise<T>): Promise<T> {
    const run = rt.queue.then(op, op);
    rt.queue = run.catch(() => undefined);
    return run;
  }

  /** Records a port conflict that discovery found (shown on the agent until its next start). */
  setConflict(name: string, conflict: AgentStatus['conflict']): void {
    this.runtime(name).conflict = conflict;
  }

  protected clearBackoff(rt: Runtime): void {
    if (rt.backoffTimer) clearTimeout(rt.backoffTimer);
    rt.backoffTimer = null;
    rt.nextAttemptAt = null;
  }

  /** Puts a fresh runtime into the state a previous host left it in (not a lifecycle step: nothing ran here). */
  protected restoreState(rt: Runtime, to: 'backoff' | 'crashed' | 'errored', reason: TransitionReason): void {
    const from = rt.state;
    rt.state = to;
    rt.since = Date.now();
    this.persistState(rt);
    this.emit({ type: 'state', name: rt.def.name, from, to, reason, at: rt.since, status: this.toStatus(rt) });
  }
}
