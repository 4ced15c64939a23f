// What the engine says about an agent: its state, its status, and the events that change them.

export const AGENT_STATES = ['stopped', 'starting', 'running', 'stopping', 'backoff', 'crashed', 'errored'] as const;
export type AgentState = (typeof AGENT_STATES)[number];

/** Why a transition happened. `kind` is for programs, `message` for people. */
export type ReasonKind =
  | 'user' // a person (or a script on their behalf) asked
  | 'spawned' // the operating system confirmed the spawn
  | 'spawn-failed' // the spawn was refused: missing cwd, missing executable, permissions
  | 'exited' // the process exited on its own
  | 'stopped' // a stop finished: every process of the tree is gone
  | 'health'
  | 'limit'
  | 'policy';

export interface TransitionReason {
  kind: ReasonKind;
  message: string;
  exitCode?: number | null;
  signal?: string | null;
}

/** Why an agent last failed, with the stderr lines that explain it. */
export interface LastError {
  message: string;
  at: number;
  exitCode: number | null;
  signal: string | null;
  stderr: string[];
}

export interface AgentStatus {
  name: string;
  state: AgentState;
  /** When the agent entered its current state (epoch ms). */
  since: number;
  pid: number | null;
  /** When the current (or last) run started (epoch ms). */
  startedAt: number | null;
  uptimeMs: number | null;
  exitCode: number | null;
  signal: string | null;
  restarts: number;
  lastError: LastError | null;
  port: number | null;
}

export type LogStream = 'stdout' | 'stderr';

export interface LogLine {
  stream: LogStream;
  /** When Agent Tray read the line (epoch ms). */
  at: number;
  text: string;
}

/** How a stop ended: which step of ask, wait, insist, kill it took. */
export interface StopResult {
  name: string;
  exitCode: number | null;
  signal: string | null;
  durationMs: number;
  /** 'graceful': gone after the first request; 'insisted': after the second; 'killed': SIGKILL or taskkill /F. */
  outcome: 'graceful' | 'insisted' | 'killed' | 'not-running';
  /** Every pid of the tree that was ended. */
  pids: number[];
}

export type EngineEvent =
  | { type: 'state'; name: string; from: AgentState; to: AgentState; reason: TransitionReason; at: number; status: AgentStatus }
  | { type: 'log'; name: string; lines: LogLine[] };
