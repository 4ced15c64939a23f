// The supervision engine: starts agents, knows exactly what state each is in, captures their
// output, and stops them together with every process they started. Plain Node, no Electron.
// Bookkeeping (definitions, events, statuses, persisted state) is in engine-state.ts, waiting for
// dependencies in stack/stack-engine.ts; this file holds the operations on processes: start, exit,
// stop, adoption, resumption, shutdown.
import { closeSync } from 'node:fs';
import path from 'node:path';
import { DEFAULT_STOP_INSIST_MS, DEFAULT_STOP_TIMEOUT_MS } from '../../shared/agent.js';
import type { AgentStatus, LifecycleName, StopPhase, StopResult, TransitionReason } from '../../shared/status.js';
import { askToStop } from './ask-to-stop.js';
import type { AdoptInfo, Runtime, StartMode } from './engine-types.js';
import { AgentTrayError, unknownAgent } from './errors.js';
import { describeExit } from './exit-description.js';
import { logFiles, pidFile } from './paths.js';
import { commandLine, removePidFile, writePidFile } from './pid-file.js';
import { AGENT_MARKER_VARIABLE, DATA_DIR_VARIABLE, RUN_ID_VARIABLE } from './platform/marker-variables.js';
import { portHolder } from './platform/port-free.js';
import { processStartTime } from './platform/process-table.js';
import { mergeEnv } from './platform/spawn-options.js';
import { WinExitWaiter } from './platform/win-exit-waiter.js';
import { defaultWinHelper, type WinHelper } from './platform/win-helper.js';
import { preflight } from './preflight.js';
import { applyPriority } from './priority.js';
import { withInternalPort } from './on-demand/port-env.js';
import { newRunId, type PersistedState } from './run-state.js';
import { DependencyWait } from './stack/dependency-wait.js';
import { newReadiness } from './stack/readiness.js';
import { StackEngine } from './stack/stack-engine.js';
import { isActive, stateAfterExit } from './state-machine.js';
import { beginStopProgress, nextStopProgress } from './stop-progress.js';
import { stopProcessTree, type TreeStopOutcome } from './stop-tree.js';
import { pollExit, spawnAgent, type ExitStatus, type Spawned } from './spawn-agent.js';
import { stopWindowsTree } from './stop-windows.js';
import { stopStragglers } from './stragglers.js';
import { resumeDecision } from './supervision/resume.js';
import { decideAfterExit, EMPTY_HISTORY, resolveRestart } from './supervision/restart-policy.js';

export type { AdoptInfo, EngineOptions, SupervisionStatus } from './engine-types.js';
/** The variables every agent gets, so that its processes can be recognised as ours: of which agent, data directory and run. */
export { AGENT_MARKER_VARIABLE, DATA_DIR_VARIABLE, RUN_ID_VARIABLE };

export class Engine extends StackEngine {
  // ── start ──────────────────────────────────────────────────────────────────

  /** Starts an agent, its dependencies first (see launch); an agent that is already running is left alone and its status returned. `reason`: who asked, when not a person (an on-demand relay). */
  async start(name: string, reason?: TransitionReason): Promise<AgentStatus> {
    return this.launch(this.runtime(name), { automatic: false, ...(reason ? { reason } : {}) });
  }

  /**
   * Starts the agent at its turn in its queue (after `before`, unless that says no). One with
   * dependencies first waits for them in `waiting`, outside its queue so that a stop can cancel the
   * wait. Resolves once it runs (or a stop cancelled the wait); rejects when it could not start.
   */
  private async launch(rt: Runtime, mode: StartMode, before?: () => Promise<boolean>): Promise<AgentStatus> {
    const step = await this.serial(rt, async () => {
      if (before && !(await before())) return this.toStatus(rt);
      return rt.wait ?? this.beginWait(rt, mode) ?? this.doStart(rt, mode); // a start while it waits joins that wait
    });
    return step instanceof DependencyWait ? this.afterWait(rt, step, mode) : step;
  }

  protected async doStart(rt: Runtime, mode: StartMode, reason?: TransitionReason): Promise<AgentStatus> {
    if (rt.state === 'running') return this.toStatus(rt);
    if (this.closed) throw new AgentTrayError('conflict', `Agent "${rt.def.name}" was not started: Agent Tray is shutting down`);
    if (mode.automatic && rt.state !== 'backoff' && rt.state !== 'stopped' && rt.state !== 'waiting') return this.toStatus(rt); // a person acted meanwhile
    const def = this.definitions.get(rt.def.name);
    if (!def) throw unknownAgent(rt.def.name, [...this.definitions.keys()]);
    this.clearBackoff(rt);
    try {
      this.checkConcurrency(rt);
    } catch (err) {
      // the slot was taken while it waited (for a retry, or for its dependencies): it cannot start, say why
      if (mode.automatic || rt.state === 'waiting') rt.lastError = { message: (err as Error).message, at: Date.now(), exitCode: rt.exitCode, signal: rt.signal, stderr: [] };
      if (rt.state === 'backoff' || rt.state === 'waiting') this.transition(rt, rt.state === 'backoff' ? 'crashed' : 'errored', { kind: 'policy', message: (err as Error).message });
      throw err;
    }
    if (mode.automatic) rt.restarts++;
    else if (!mode.keepBudget) {
      rt.restarts = 0;
      rt.crashes = EMPTY_HISTORY;
    }
    rt.def = def;
    rt.runMarker = newRunId();
    rt.readiness = newReadiness(def); // each run is ready on its own
    rt.detectedUrl = null; // and prints its own URL
    rt.internalPort = null; // an on-demand run gets its own below
    this.transition(rt, 'starting', reason ?? mode.reason ?? { kind: 'user', message: 'start requested' });

    const cwd = path.resolve(this.paths.root, def.cwd ?? '.');
    let env: Record<string, string>;
    let executable: string;
    let args: readonly string[];
    let port: number | undefined;
    try {
      const own = await this.ownEnv(def); // env files, env and secrets, read at each start
      port = await this.onDemandHooks.get(def.name)?.internalPort(); // on-demand: its relay holds def.port
      rt.internalPort = port ?? null;
      const run = withInternalPort(def.args, own.values, port);
      args = run.args;
      rt.ownEnv = run.env;
      rt.output.setSecrets(own.secretValues);
      env = { ...mergeEnv(this.env, run.env, this.platform), [AGENT_MARKER_VARIABLE]: def.name, [DATA_DIR_VARIABLE]: this.paths.root, [RUN_ID_VARIABLE]: rt.runMarker };
      executable = await preflight({ name: def.name, command: def.command, cwd, env, platform: this.platform });
      await this.checkPortFree(rt, port ?? def.port);
    } catch (err) {
      this.fail(rt, err);
      throw err;
    }

    let fds: { stdoutFd: number; stderrFd: number } | null = null;
    let started: Spawned;
    try {
      fds = rt.output.openForChild();
      await rt.output.follow();
      // the intent (state `starting` with this run id, and an on-demand agent's internal port) is on disk before the
      // process exists, so a host killed from here on leaves a trace that the next one follows (discovery by markers)
      if (rt.internalPort !== null) this.persistState(rt);
      await rt.stateWrite;
      started = await spawnAgent({
        platform: this.platform,
        helper: this.platform === 'win32' ? this.winHelper() : null,
        executable,
        args,
        cwd,
        env,
        stopStdin: def.stop?.stdin !== undefined,
        fds,
        files: logFiles(this.paths, def.name, this.platform),
        watchExit: (pid, createdMs) => this.pollExit(rt, pid, createdMs),
      });
      rt.exited = started.exited;
      const runId = ++rt.runId;
      void started.exited.then(() => this.serial(rt, () => this.handleExit(rt, runId)));
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

    rt.child = started.child;
    rt.pid = started.pid;
    rt.createdMs = started.createdMs;
    rt.windows = started.windows;
    rt.adopted = false;
    rt.outputCaptured = true;
    rt.conflict = null;
    rt.startedAt = Date.now();
    rt.exitCode = null;
    rt.signal = null;
    const note = rt.windows?.note ? ` (${rt.windows.note})` : '';
    this.transition(rt, 'running', { kind: 'spawned', message: `started as pid ${rt.pid}${note}` }, mode.automatic ? 'restarted' : 'started');
    if (rt.windows?.note) this.emit({ type: 'log', name: def.name, lines: [{ stream: 'stderr', at: Date.now(), text: `Agent Tray: ${rt.windows.note}` }] });
    const priorityProblem = applyPriority(rt.pid, def.priority, this.platform);
    if (priorityProblem) this.emit({ type: 'log', name: def.name, lines: [{ stream: 'stderr', at: Date.now(), text: priorityProblem }] });
    rt.pidWrite = this.recordPid(rt, executable, args);
    await rt.pidWrite;
    return this.toStatus(rt);
  }

  /** The Windows helper the engine uses (null: none); only asked on Windows. */
  private winHelper(): WinHelper | null {
    return this.opts.winHelper === undefined ? defaultWinHelper() : this.opts.winHelper;
  }

  /** Windows: the engine's one resident exit waiter (its helper process starts at the first question, ends with close()). */
  private exitWaiter: WinExitWaiter | null = null;

  /** Resolves when `pid` has exited (no child handle tells): the Windows exit waiter, else polling; see pollExit(). */
  private pollExit(rt: Runtime, pid: number, createdMs: number | null): Promise<ExitStatus> {
    const helper = this.platform === 'win32' && createdMs !== null ? this.winHelper() : null;
    const waiter = helper ? (this.exitWaiter ??= new WinExitWaiter(helper)) : null;
    return pollExit({ pid, createdMs, platform: this.platform, helper, waiter, intervalMs: this.opts.adoptedPollMs ?? 1_000, holder: rt });
  }

  /** Writes the PID file of the run just started; `args` as given to the process (an on-demand agent's with its port in them). */
  private async recordPid(rt: Runtime, executable: string, args: readonly string[]): Promise<void> {
    const pid = rt.pid;
    if (pid === null) return;
    try {
      await writePidFile(pidFile(this.paths, rt.def.name, this.platform), {
        pid,
        processStartTime: rt.createdMs ?? (await processStartTime(pid, this.platform).catch(() => null)),
        command: commandLine(executable, args),
        name: rt.def.name,
        startedAt: rt.startedAt ?? Date.now(),
        ...(rt.runMarker ? { runId: rt.runMarker } : {}),
        ...(rt.internalPort != null ? { internalPort: rt.internalPort } : {}),
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

  /** Starts the agent again after `delayMs`, as its restart policy says (failures show as errored/crashed). */
  private scheduleRetry(rt: Runtime, delayMs: number, reason: TransitionReason): void {
    rt.backoffTimer = setTimeout(() => {
      rt.backoffTimer = null;
      this.launch(rt, { automatic: true, reason }).catch(() => undefined); // with dependencies: it waits for them again
    }, delayMs);
    rt.backoffTimer.unref();
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
    if (to === 'stopped') rt.completedAt = now; // what `completed` asks of a one-shot
    const unknown = code === null && signal === null ? (rt.adopted ? 'it was adopted' : rt.windows?.helper ? 'the Windows helper could not wait for it' : null) : null;
    const how = unknown ? `exited (its exit status is unknown: ${unknown})` : describeExit(code, signal);
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

  /** Stops an agent and every process it started: ask, wait, insist, kill. `reason`: who asked, when not a person (an idle on-demand agent). */
  async stop(name: string, reason?: TransitionReason): Promise<StopResult> {
    const rt = this.runtime(name);
    return this.serial(rt, () => this.doStop(rt, false, reason));
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
    return this.launch(rt, { automatic: false }, async () => {
      await this.doStop(rt, false);
      return true;
    });
  }

  /**
   * Restarts a running agent for the supervisor (a failed health check, a limit): it counts in
   * `restarts` but never against the crash budget. Nothing happens if the agent no longer runs.
   */
  async restartFor(name: string, reason: TransitionReason): Promise<AgentStatus> {
    const rt = this.runtime(name);
    return this.launch(rt, { automatic: true, reason }, async () => {
      if (rt.state !== 'running') return false;
      await this.doStop(rt, false, reason);
      return true;
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
    if (rt.state === 'waiting') {
      this.stopWaiting(rt, immediate, reason);
      return notRunning;
    }
    if (rt.state !== 'running') {
      if (rt.state === 'crashed' || rt.state === 'errored' || rt.state === 'backoff') {
        this.clearBackoff(rt);
        this.transition(rt, 'stopped', reason ?? { kind: 'user', message: `cleared from ${rt.state}` }, 'stopped');
      }
      return notRunning;
    }
    const started = Date.now();
    rt.stopping = beginStopProgress(immediate, started);
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
    rt.stopping = null;
    const survivors = tree.survivors.length ? `; still alive: ${tree.survivors.join(', ')}` : '';
    const notes = tree.notes?.length ? `; ${tree.notes.join('; ')}` : '';
    this.transition(rt, 'stopped', {
      kind: 'stopped',
      message: `${name} stopped in ${durationMs} ms (${outcome === 'graceful' ? 'it exited when asked' : outcome === 'insisted' ? 'it exited when asked again' : 'it was killed'})${survivors}${notes}`,
      exitCode: rt.exitCode,
      signal: rt.signal,
    }, 'stopped');
    return { name, exitCode: rt.exitCode, signal: rt.signal, durationMs, outcome, pids: tree.pids, ...(tree.survivors.length ? { survivors: tree.survivors } : {}) };
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

  private stopTree(rt: Runtime, immediate: boolean): Promise<TreeStopOutcome & { notes?: string[] }> {
    const pid = rt.pid as number;
    const s = rt.def.stop ?? {};
    const ask = askToStop(rt.def, rt.child, { root: this.paths.root, env: this.env, platform: this.platform, own: rt.ownEnv ?? null });
    const timeoutMs = s.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
    const onPhase = (phase: StopPhase, forceAt: number | null) => this.stopPhase(rt, phase, forceAt);
    if (this.platform === 'win32') {
      return stopWindowsTree({ pid, createdMs: rt.createdMs ?? null, timeoutMs, insistMs: s.insistMs ?? DEFAULT_STOP_INSIST_MS, immediate, helper: this.winHelper(), onPhase, ...(ask ? { ask } : {}) });
    }
    return stopProcessTree({ pid, signal: s.signal ?? 'SIGTERM', timeoutMs, insistMs: s.insistMs ?? DEFAULT_STOP_INSIST_MS, immediate, platform: this.platform, onPhase, ...(ask ? { ask } : {}) });
  }

  /** A stop moved on (its next phase, or the kill's time became known): the status says so, in an agent-updated event. */
  private stopPhase(rt: Runtime, phase: StopPhase, forceAt: number | null): void {
    if (rt.state !== 'stopping' || !rt.stopping) return;
    const next = nextStopProgress(rt.stopping, phase, forceAt, Date.now());
    if (!next) return;
    rt.stopping = next;
    this.emit({ type: 'agent-updated', name: rt.def.name, status: this.toStatus(rt) });
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
      rt.wait?.cancel(); // found running: nothing to wait for
      rt.wait = null;
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
      // an on-demand agent's relay forwards there again (the state file's port only when it speaks of this run)
      rt.internalPort = info.internalPort ?? (info.saved && (!info.runId || info.runId === info.saved.runId) ? (info.saved.internalPort ?? null) : null);
      this.transition(rt, 'starting', { kind: 'adopted', message: found });
      rt.child = null;
      rt.pid = info.pid;
      rt.createdMs = info.processStartTime;
      rt.windows = null;
      rt.startedAt = info.startedAt;
      rt.exitCode = null;
      rt.signal = null;
      rt.adopted = true;
      rt.outputCaptured = info.outputCaptured;
      rt.conflict = null;
      rt.readiness = newReadiness(def);
      // its readyLine matched in this run before Agent Tray restarted
      if (info.saved?.readyAt != null && (!info.runId || info.runId === info.saved.runId)) rt.readiness.at = info.saved.readyAt;
      rt.ownEnv = null;
      rt.output.setSecrets(await this.knownSecrets(def)); // its lines are masked as if this host had started it
      if (info.outputCaptured) await rt.output.follow({ history: true }); // the lines written before the restart, then the new ones
      const runId = ++rt.runId;
      rt.exited = this.pollExit(rt, info.pid, this.platform === 'win32' ? info.processStartTime : null);
      void rt.exited.then(() => this.serial(rt, () => this.handleExit(rt, runId)));
      this.transition(rt, 'running', { kind: 'adopted', message: `${name} ${found}` }, 'started');
      if (info.via !== 'pid-file') {
        const logs = info.outputCaptured ? { logs: logFiles(this.paths, name, this.platform) } : {};
        const runId = rt.runMarker ? { runId: rt.runMarker } : {};
        const port = rt.internalPort != null ? { internalPort: rt.internalPort } : {};
        rt.pidWrite = writePidFile(pidFile(this.paths, name, this.platform), { pid: info.pid, processStartTime: info.processStartTime, command: info.commandLine, name, startedAt: info.startedAt, ...logs, ...runId, ...port }).catch(() => undefined);
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
      rt.output.setSecrets(await this.knownSecrets(rt.def));
      await rt.output.loadHistory().catch(() => undefined); // the lines that explain the crash, as before the restart
      if (decision.action === 'restore') {
        this.restoreState(rt, decision.to, { kind: 'policy', message: decision.message });
        return this.toStatus(rt);
      }
      if (decision.action === 'wait') {
        // it waits again; its dependencies are started once discovery has taken back what runs (startResumedWaits)
        const mode = { automatic: false, keepBudget: true } as const;
        const wait = this.beginWait(rt, mode, { kind: 'policy', message: decision.message }, true);
        // (no dependencies any more: the start that was asked for goes ahead)
        void (wait ? this.afterWait(rt, wait, mode) : this.launch(rt, mode)).catch(() => undefined);
        return this.toStatus(rt);
      }
      rt.nextAttemptAt = Date.now() + decision.delayMs;
      this.restoreState(rt, 'backoff', { kind: 'policy', message: decision.message });
      this.scheduleRetry(rt, decision.delayMs, { kind: 'policy', message: `restart policy: ${decision.message}` });
      return this.toStatus(rt);
    });
  }

  // ── shutdown ───────────────────────────────────────────────────────────────

  /** Stops following output; agents keep running (they outlive the manager) unless `stopAgents`. */
  async close(opts: { stopAgents?: boolean } = {}): Promise<void> {
    const all = [...this.runtimes.values()];
    this.closed = true; // from here on no exit is acted on and nothing is restarted
    for (const rt of all) this.clearBackoff(rt);
    if (opts.stopAgents) await Promise.all(all.map((rt) => this.serial(rt, () => this.doStop(rt, false))));
    for (const rt of all) rt.wait?.cancel(); // still `waiting` on disk: the next host waits again
    // an exit noticed just before closing may still be recording its run (its state file): let it finish, so that
    // nothing is written into the data directory after close() resolved
    await Promise.all(all.map((rt) => rt.queue));
    await Promise.all(all.map((rt) => rt.stateWrite)); // what the next host carries on is on disk
    for (const rt of all) {
      this.clearBackoff(rt);
      if (rt.exitPoll) clearInterval(rt.exitPoll);
      rt.exitPoll = null; // a poll under way sees it and stops
      rt.child?.unref();
      (rt.child?.stdin as { unref?: () => void } | null | undefined)?.unref?.();
      await rt.output.close();
    }
    this.exitWaiter?.close();
  }
}
