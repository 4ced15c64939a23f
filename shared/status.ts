// What the engine says about an agent: its state, its status, and the events that change them.
// Zod schemas, so the API validates and documents (OpenAPI) the same shapes the code uses.
import { z } from 'zod';
import { DependencyConditionSchema } from './agent.js';

export const AGENT_STATES = ['stopped', 'waiting', 'starting', 'running', 'stopping', 'backoff', 'crashed', 'errored'] as const;
export const AgentStateSchema = z.enum(AGENT_STATES);
export type AgentState = z.infer<typeof AgentStateSchema>;

/** Why a transition happened. `kind` is for programs, `message` for people. */
export const REASON_KINDS = [
  'user', // a person (or a script on their behalf) asked
  'spawned', // the operating system confirmed the spawn
  'spawn-failed', // the spawn was refused: missing cwd, missing executable, permissions
  'exited', // the process exited on its own
  'stopped', // a stop finished: every process of the tree is gone
  'health',
  'limit',
  'policy',
  'adopted', // found running after Agent Tray restarted, and taken back under supervision
  'on-demand', // an on-demand agent's relay: a client connected (start), or nobody for idleStopMs (stop)
] as const;
export type ReasonKind = (typeof REASON_KINDS)[number];

export const TransitionReasonSchema = z.object({
  kind: z.enum(REASON_KINDS),
  message: z.string(),
  exitCode: z.number().int().nullable().optional(),
  signal: z.string().nullable().optional(),
});
export type TransitionReason = z.infer<typeof TransitionReasonSchema>;

/** Why an agent last failed, with the stderr lines that explain it. */
export const LastErrorSchema = z.object({
  message: z.string(),
  at: z.number(),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  stderr: z.array(z.string()),
});
export type LastError = z.infer<typeof LastErrorSchema>;

export const HEALTH_STATES = ['healthy', 'unhealthy', 'starting', 'unknown', 'zombie'] as const;
export const HealthStateSchema = z.enum(HEALTH_STATES);
export type HealthState = z.infer<typeof HealthStateSchema>;

/** One health probe's answer. */
export const ProbeResultSchema = z.object({
  at: z.number(),
  ok: z.boolean(),
  durationMs: z.number(),
  /** What was seen: "HTTP 200", "connection refused", "exit code 1", "timed out after 2000 ms". */
  detail: z.string(),
});
export type ProbeResult = z.infer<typeof ProbeResultSchema>;

/** An agent's health probe as configured: what it asks and how often (the host's defaults filled in). */
export const ProbeSummarySchema = z.object({
  kind: z.enum(['http', 'tcp', 'command']),
  /** The URL, host:port or command line it probes. */
  target: z.string(),
  intervalMs: z.number(),
});
export type ProbeSummary = z.infer<typeof ProbeSummarySchema>;

/** One reading of an agent's whole process tree. */
export const ResourceSampleSchema = z.object({
  at: z.number(),
  /** CPU of the whole tree; 100 = one core fully busy. */
  cpuPercent: z.number(),
  /** Resident memory of the whole tree, MB. */
  memoryMB: z.number(),
  threads: z.number().int().nullable(),
  fileHandles: z.number().int().nullable(),
  /** How many processes the tree had. */
  processes: z.number().int(),
  /** GPU memory of the tree's processes (nvidia-smi), MB; null where not known (no NVIDIA GPU, Windows WDDM). */
  gpuMemoryMB: z.number().nullable().optional(),
});
export type ResourceSample = z.infer<typeof ResourceSampleSchema>;

export const LIMIT_KINDS = ['memory', 'cpu', 'runtime', 'fileHandles', 'gpuMemory'] as const;
/** A breach of one of an agent's limits, and what was done about it. */
export const ViolationSchema = z.object({
  at: z.number(),
  kind: z.enum(LIMIT_KINDS),
  value: z.number(),
  limit: z.number(),
  action: z.enum(['warn', 'restart', 'stop']),
  message: z.string(),
});
export type Violation = z.infer<typeof ViolationSchema>;

export const AlertSchema = z.object({
  id: z.number().int(),
  at: z.number(),
  severity: z.enum(['warning', 'critical']),
  /** crashed, gave-up, errored, unhealthy, zombie, limit, memory-trend, utilization, disk (a file that cannot be written), port-conflict (an on-demand agent's public port taken) */
  kind: z.string(),
  /** The agent it is about; null for host-wide alerts (utilization). */
  name: z.string().nullable(),
  message: z.string(),
  /** Marked read by a person (POST /api/alerts/read); absent from hosts before alerts were kept. */
  read: z.boolean().optional(),
});
export type Alert = z.infer<typeof AlertSchema>;

/** Windows: how the agent's process was started, and what that means for it. */
export const WindowsSpawnSchema = z.object({
  /** True: started by agent-tray-helper.exe; false: by Node, without it (it ends with Agent Tray, and a console window may show). */
  helper: z.boolean(),
  /** The CreateProcessW flags the helper reports it used (CREATE_NO_WINDOW, CREATE_BREAKAWAY_FROM_JOB, …). */
  flags: z.array(z.string()),
  /** It left Agent Tray's job object: it keeps running when Agent Tray ends. */
  breakaway: z.boolean(),
  /** What a person should know about this start (no breakaway, no helper, no stop.stdin), or null. */
  note: z.string().nullable(),
});
export type WindowsSpawn = z.infer<typeof WindowsSpawnSchema>;

export const STOP_PHASES = ['asking', 'insisting', 'killing'] as const;
/**
 * Where a stop stands, while the agent is `stopping`: asked (its stop.command or stop.stdin, or the
 * first signal / CTRL_BREAK), asked again (the second signal), or killed. Times are epoch ms on the
 * host's clock; `forceAt` is when the kill will be forced (null when unknown).
 */
export const StopProgressSchema = z.object({
  phase: z.enum(STOP_PHASES),
  /** When the stop began. */
  askedAt: z.number(),
  /** When the current phase began. */
  phaseSince: z.number(),
  forceAt: z.number().nullable(),
});
export type StopProgress = z.infer<typeof StopProgressSchema>;
export type StopPhase = StopProgress['phase'];

export const AgentStatusSchema = z.object({
  name: z.string(),
  state: AgentStateSchema,
  /** When the agent entered its current state (epoch ms). */
  since: z.number(),
  pid: z.number().int().nullable(),
  /** When the current (or last) run started (epoch ms). */
  startedAt: z.number().nullable(),
  uptimeMs: z.number().nullable(),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  restarts: z.number().int(),
  lastError: LastErrorSchema.nullable(),
  port: z.number().int().nullable(),
  /** What the agent serves: its definition's url, else the first local URL this run printed, else http://127.0.0.1:{port}/; null when none. */
  url: z.string().nullable().optional(),
  urlSource: z.enum(['definition', 'output', 'port']).nullable().optional(),
  /** On-demand agents only: Agent Tray's listener on the public port, the agent's internal port, open connections, idle since when. */
  onDemand: z
    .object({
      listening: z.boolean(),
      publicPort: z.number().int(),
      internalPort: z.number().int().nullable(),
      idleSince: z.number().nullable(),
      connections: z.number().int(),
      /** Why Agent Tray does not listen on the public port (another program holds it); absent while all is well. */
      problem: z.string().optional(),
    })
    .optional(),
  health: HealthStateSchema,
  /** 0–100: recent probe results, restarts and limit violations weighed together. */
  healthScore: z.number().int().min(0).max(100),
  /** Its health probe, or null when it has none (then `health` is only ever `unknown` or `zombie`); absent where nothing supervises (an engine alone). */
  probe: ProbeSummarySchema.nullable().optional(),
  /** The answer of its latest health probe in this run (every probe, not only those that changed the health); null before the first. */
  lastProbe: ProbeResultSchema.nullable().optional(),
  /** In backoff: when the next start is due (epoch ms). */
  nextAttemptAt: z.number().nullable(),
  /** Limit breaches since the person last started the agent. */
  violations: z.number().int(),
  /** The latest resource reading of the whole tree, while it runs. */
  stats: ResourceSampleSchema.nullable(),
  /** Taken back under supervision after Agent Tray restarted (no child handle; its exit is polled). */
  adopted: z.boolean(),
  /** False when the running process was found by port or command line and was never ours: no output is captured. */
  outputCaptured: z.boolean(),
  /** Another process holds the agent's port (found by discovery or a refused start). */
  conflict: z.object({ port: z.number().int(), pid: z.number().int().nullable(), commandLine: z.string().nullable(), message: z.string() }).nullable(),
  /** True when the agent was removed from agents.json while it ran: it keeps running until it stops, then it is gone. */
  removed: z.boolean().optional(),
  /** Windows, while it runs: how it was started (see WindowsSpawnSchema). */
  windows: WindowsSpawnSchema.optional(),
  /** Stacks: what it depends on (from its definition), and in `waiting` the conditions not met yet. */
  dependsOn: z.record(z.string(), DependencyConditionSchema).optional(),
  waitingFor: z.array(z.object({ agent: z.string(), condition: DependencyConditionSchema })).optional(),
  /** Its readyLine matched in this run (or, without one, what `ready` falls back to); when. */
  ready: z.boolean().optional(),
  readyAt: z.number().nullable().optional(),
  groups: z.array(z.string()).optional(),
  /** Only while `stopping`: its phase and clock (see StopProgressSchema). */
  stopping: StopProgressSchema.optional(),
});
export type AgentStatus = z.infer<typeof AgentStatusSchema>;
export type OnDemandStatus = NonNullable<AgentStatus['onDemand']>;

export const LOG_STREAMS = ['stdout', 'stderr'] as const;
export const LogStreamSchema = z.enum(LOG_STREAMS);
export type LogStream = z.infer<typeof LogStreamSchema>;

export const LogLineSchema = z.object({
  stream: LogStreamSchema,
  /** When Agent Tray read the line (epoch ms). */
  at: z.number(),
  text: z.string(),
});
export type LogLine = z.infer<typeof LogLineSchema>;

/** How a stop ended: which step of ask, wait, insist, kill it took. */
export const StopResultSchema = z.object({
  name: z.string(),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  durationMs: z.number(),
  /** 'graceful': gone after the first request; 'insisted': after the second; 'killed': SIGKILL or taskkill /F. */
  outcome: z.enum(['graceful', 'insisted', 'killed', 'not-running']),
  /** Every pid of the tree that was ended. */
  pids: z.array(z.number().int()),
  /** Pids of the tree still alive after the last step (Windows refused to end them): the stop did not finish its work. */
  survivors: z.array(z.number().int()).optional(),
});
export type StopResult = z.infer<typeof StopResultSchema>;

/** The seeds' supervisor event names, carried by the state transitions they describe. */
export type LifecycleName = 'started' | 'stopped' | 'restarted' | 'crashed';

export type EngineEvent =
  | { type: 'state'; name: string; from: AgentState; to: AgentState; reason: TransitionReason; at: number; status: AgentStatus; lifecycle?: LifecycleName }
  | { type: 'log'; name: string; lines: LogLine[] }
  | { type: 'ready'; name: string; at: number; line: string | null }
  | { type: 'stats'; name: string; sample: ResourceSample }
  | { type: 'health-changed'; name: string; from: HealthState; to: HealthState; score: number; probe: ProbeResult | null; at: number }
  /** One health probe answered (every probe; `health-changed` follows when it changed the health). */
  | { type: 'probe'; name: string; probe: ProbeResult }
  | { type: 'limit-violated'; name: string; violation: Violation }
  /** The status changed within its state: a stop moved to its next phase (`stopping`). */
  | { type: 'agent-updated'; name: string; status: AgentStatus }
  /** A file could not be written (a full disk, a read-only file system, a refused permission): an agent's log (`name`) or a host file (`name` null); what was running goes on. */
  | { type: 'io-error'; name: string | null; file: string; code: string; message: string; at: number };
