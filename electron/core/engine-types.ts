// The engine's types: its options, what discovery hands it, and its memory of one agent.
import type { ChildProcess } from 'node:child_process';
import type { AgentDefinition, RestartSettings } from '../../shared/agent.js';
import type { AgentState, AgentStatus, EngineEvent, StopProgress, TransitionReason, WindowsSpawn } from '../../shared/status.js';
import type { OwnVariable } from './agent-env.js';
import type { AgentOutput } from './logs/agent-output.js';
import type { SecretStore } from './secrets/secret-store.js';
import type { WinHelper } from './platform/win-helper.js';
import type { PersistedState } from './run-state.js';
import type { DependencyWait } from './stack/dependency-wait.js';
import type { RunReadiness } from './stack/readiness.js';
import type { CrashHistory } from './supervision/restart-policy.js';

/** What the supervision layer adds to an agent's status (health, violations, resource use). */
export type SupervisionStatus = Pick<AgentStatus, 'health' | 'healthScore' | 'violations' | 'stats' | 'probe' | 'lastProbe'>;

/**
 * How a start came about: a person (or script) asked, or the supervisor restarts it. `keepBudget`:
 * a person's start carried on by a new host (the restart budget spent so far still counts).
 */
export type StartMode = { automatic: false; keepBudget?: boolean; reason?: TransitionReason } | { automatic: true; reason: TransitionReason };

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
    /** How often the free space under the logs is checked while an agent runs (default 10 s). */
    diskCheckMs?: number;
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
  /** Windows: the helper that spawns, stops and inspects agents (undefined: the one found beside Agent Tray; null: none). */
  winHelper?: WinHelper | null;
  /** Where secretEnv values are read at each start (undefined: <dataDir>/secrets.json; null: none). */
  secrets?: SecretStore | null;
  /** Checks the variables of a start (env files, secrets) against the host's rules; throws to refuse the start. */
  checkEnv?: (def: AgentDefinition, variables: readonly OwnVariable[]) => void;
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
  /** On-demand agents: the internal port its run was given (from its PID file), so that the relay resumes. */
  internalPort?: number | null;
}

export type Listener = (event: EngineEvent) => void;

/** Everything the engine knows of one agent. */
export interface Runtime {
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
  /** The state the next write will record (null: remove the file); undefined when no write waits. */
  stateToWrite?: PersistedState | null | undefined;
  adopted: boolean;
  outputCaptured: boolean;
  conflict: AgentStatus['conflict'];
  /** Adopted runs: the timer that polls the pid, since there is no child handle. */
  exitPoll: NodeJS.Timeout | null;
  pidWrite: Promise<void>;
  /** A kill arrived while a graceful stop was waiting. */
  escalated: boolean;
  /** While `stopping`: its phase and clock (AgentStatus.stopping). */
  stopping?: StopProgress | null;
  /** The restart policy's memory of recent crashes. */
  crashes: CrashHistory;
  backoffTimer: NodeJS.Timeout | null;
  nextAttemptAt: number | null;
  /** Operations on one agent run one after another. */
  queue: Promise<unknown>;
  /** The root process's creation time as Windows reports it (the helper's spawn, or discovery): stops and exit polls check it. */
  createdMs?: number | null;
  /** Windows: how the current run was started. */
  windows?: WindowsSpawn | null;
  /** In `waiting`: the start waiting for its dependencies. */
  wait: DependencyWait | null;
  /** The current run's readiness (readyLine, probe or running). */
  readiness: RunReadiness;
  /** The first local URL the current run printed (reset on each start); undefined or null: none yet. */
  detectedUrl?: string | null;
  /** When a run last ended on its own with exit code 0 (what `completed` asks of a one-shot). */
  completedAt: number | null;
  /** The variables of its own the current run started with (env files, env, secrets), for its stop and health commands. */
  ownEnv?: Record<string, string> | null;
  /** On-demand agents: the internal port the current run was given (its relay forwards there); null: none. */
  internalPort?: number | null;
}
