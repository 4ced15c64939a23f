// The command table's contract: every command any client (tray, window, REST API, CLI) can issue,
// defined once with its input schema, its result schema and its HTTP route. Handlers live in
// electron/app/; hosts are thin transports that look commands up here.
import { z } from 'zod';
import { AgentDefinitionSchema, AgentNameSchema, GroupNameSchema } from './agent.js';
import { DiscoveryResultSchema, OrphanSchema } from './discovery.js';
import { ExportInputSchema, ExportResultSchema } from './export.js';
import { ImportRequestSchema, ImportResultSchema } from './import.js';
import { AgentEnvSchema, SecretEntrySchema, SecretStoreInfoSchema } from './env.js';
import { OpenRunSchema, RunRecordSchema } from './history.js';
import { SettingsChangeSchema, SettingsSchema } from './settings.js';
import { GroupSummarySchema, StackGraphSchema } from './stack.js';
import { AgentStatusSchema, AlertSchema, LogStreamSchema, ResourceSampleSchema, StopResultSchema, ViolationSchema } from './status.js';

const NameInput = z.object({ name: AgentNameSchema });
const GroupInput = z.object({ group: GroupNameSchema });

/** A yes/no flag, also as "true"/"false" in a query string. */
const FlagSchema = z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).default(false);

/** The settings as clients see them (without the editor's `$schema` link). */
const PublicSettingsSchema = SettingsSchema.omit({ $schema: true });

/** A duration in ms, also accepted as "90s", "2m", "500ms" (for query strings and the CLI). */
export const DurationMsSchema = z.union([
  z.number().int().min(0).max(3_600_000),
  z
    .string()
    .regex(/^\d+(\.\d+)?(ms|s|m)?$/, 'use a number of milliseconds or a duration such as "500ms", "90s", "2m"')
    .transform((text) => parseDuration(text))
    .pipe(z.number().int().min(0).max(3_600_000)),
]);

/** "90s" → 90000, "2m" → 120000, "500ms" or "500" → 500. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  if (!m) return Number.NaN;
  const n = Number(m[1]);
  return Math.round(m[2] === 'm' ? n * 60_000 : m[2] === 's' ? n * 1000 : n);
}

export const BulkResultSchema = z.object({
  results: z.array(
    z.object({
      name: z.string(),
      ok: z.boolean(),
      status: AgentStatusSchema.optional(),
      error: z.object({ code: z.string(), message: z.string() }).optional(),
    }),
  ),
  /** kill-all: every pid that was ended. */
  killedPids: z.array(z.number().int()).optional(),
});
export type BulkResult = z.infer<typeof BulkResultSchema>;

export const ApiLogLineSchema = z.object({ ts: z.string().describe('ISO 8601 time the line was read'), stream: LogStreamSchema, text: z.string() });
export type ApiLogLine = z.infer<typeof ApiLogLineSchema>;

/** A line of an agent's log files that a search found. */
export const LogSearchMatchSchema = z.object({
  ts: z.string().nullable().describe('The time the line begins with (ISO 8601), or null: lines on disk carry no time of their own'),
  stream: LogStreamSchema,
  text: z.string().describe('The line as written (a line over 16 KiB: the piece of it that matched)'),
  file: z.string().describe('The log file the line is in, by its name in the logs folder (`web.out.log`, `web.out.log.1`)'),
  line: z.number().int().nullable().describe('1-based line number in that file; null where the file was not counted (over 16 MiB)'),
});
export type LogSearchMatch = z.infer<typeof LogSearchMatchSchema>;

export const LogSearchResultSchema = z.object({
  matches: z.array(LogSearchMatchSchema).describe('Newest first'),
  cursor: z.string().nullable().describe('Pass it back as `cursor` for older matches; null when every file was searched to its start'),
  scannedBytes: z.number().int(),
  truncated: z.boolean().describe('The search stopped at a bound (limit, bytes, time) with older lines still to look at'),
});
export type LogSearchResult = z.infer<typeof LogSearchResultSchema>;

export const SummarySchema = z.object({
  total: z.number().int(),
  running: z.number().int(),
  stopped: z.number().int(),
  crashed: z.number().int(),
  errored: z.number().int(),
  /** Agents whose processes are alive or about to be (starting, running, stopping). */
  activeProcesses: z.number().int(),
  /** null: no concurrency limit is set (the default). */
  maxConcurrent: z.number().int().nullable(),
  /** Active agents as a share of the limit; null without a limit. */
  utilizationPercent: z.number().nullable(),
  /** False only when a limit is set and reached. */
  canStartNew: z.boolean(),
  activePids: z.array(z.number().int()),
  totalCpuPercent: z.number(),
  totalMemoryMB: z.number(),
  /** GPU memory of the active agents, MB; null where not known (no nvidia-smi, or an agent's figure is n/a). */
  totalGpuMemoryMB: z.number().nullable().optional(),
  /** The NVIDIA GPUs' memory at the last sample; absent where none is known. */
  gpus: z.array(z.object({ index: z.number().int(), totalMB: z.number().nullable(), usedMB: z.number().nullable() })).optional(),
  healthy: z.number().int(),
  unhealthy: z.number().int(),
  /** Configuration files (agents.json, settings.json) that do not load now; GET /api/config says why. */
  configErrors: z.number().int(),
  /** Writes that failed since the host started (an agent's log on a full disk, a rotation, the run history, a state file); the `disk` alerts name the files. */
  writeFailures: z.number().int(),
});
export type Summary = z.infer<typeof SummarySchema>;

/** Whether a configuration file loads, and when the content in force was loaded. */
export const ConfigFileStatusSchema = z.object({
  file: z.string(),
  /** False while the file on disk does not load; the last good content stays in force. */
  ok: z.boolean(),
  error: z.object({ message: z.string(), line: z.number().int().nullable(), column: z.number().int().nullable() }).nullable(),
  /** When the content in force was read or written (epoch ms). */
  loadedAt: z.number(),
});
export type ConfigFileStatus = z.infer<typeof ConfigFileStatusSchema>;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

export interface CommandSpec<I extends z.ZodType, O extends z.ZodType> {
  summary: string;
  input: I;
  output: O;
  /** The REST route. Path parameters, query and body are merged into the input; `body` names the input field that takes the whole body instead. */
  http: { method: HttpMethod; path: string; body?: string };
}

/** Declares a command spec with its types kept. */
function command<I extends z.ZodType, O extends z.ZodType>(spec: CommandSpec<I, O>): CommandSpec<I, O> {
  return spec;
}

export const COMMANDS = {
  listAgents: command({
    summary: 'The status of every agent',
    input: z.object({}),
    output: z.object({ agents: z.array(AgentStatusSchema) }),
    http: { method: 'GET', path: '/api/agents' },
  }),
  getAgent: command({
    summary: 'The status of one agent',
    input: NameInput,
    output: AgentStatusSchema,
    http: { method: 'GET', path: '/api/agents/:name' },
  }),
  getDefinition: command({
    summary: 'The definition of one agent, as in agents.json',
    input: NameInput,
    output: AgentDefinitionSchema,
    http: { method: 'GET', path: '/api/agents/:name/definition' },
  }),
  agentEnv: command({
    summary: "The agent's own variables and where each comes from (its definition's env, an envFile, the secret store; secrets masked), as its next start reads them, and what would stop that start (a missing env file, a secret without a value). Never the host's environment",
    input: NameInput,
    output: AgentEnvSchema,
    http: { method: 'GET', path: '/api/agents/:name/env' },
  }),
  listSecrets: command({
    summary: "The names of an agent's secrets (never their values): stored in the secret store, and declared in its secretEnv; and where this host keeps secrets",
    input: NameInput,
    output: z.object({ secrets: z.array(SecretEntrySchema), store: SecretStoreInfoSchema }),
    http: { method: 'GET', path: '/api/agents/:name/secrets' },
  }),
  setSecret: command({
    summary: "Store a secret variable of an agent in the secret store (never in agents.json): its name joins the agent's secretEnv and leaves its env; injected from the agent's next start",
    input: z.object({
      name: AgentNameSchema,
      key: z.string().min(1).max(256).describe('The variable name'),
      value: z.string().max(65_536).refine((v) => !v.includes('\0'), { message: 'the value contains a NUL byte, which no operating system passes on; remove it' }),
    }),
    output: z.object({ key: z.string(), secretEnv: z.array(z.string()), store: SecretStoreInfoSchema }),
    http: { method: 'PUT', path: '/api/agents/:name/secrets/:key' },
  }),
  removeSecret: command({
    summary: "Remove a secret of an agent from the secret store and its name from the agent's secretEnv",
    input: z.object({ name: AgentNameSchema, key: z.string().min(1).max(256) }),
    output: z.object({ key: z.string(), removed: z.boolean(), secretEnv: z.array(z.string()) }),
    http: { method: 'DELETE', path: '/api/agents/:name/secrets/:key' },
  }),
  createAgent: command({
    summary: 'Add an agent; saved to agents.json',
    input: z.object({ definition: AgentDefinitionSchema }),
    output: AgentStatusSchema,
    http: { method: 'POST', path: '/api/agents', body: 'definition' },
  }),
  updateAgent: command({
    summary:
      'Replace an agent\'s definition; saved to agents.json. A running agent uses it from its next start, unless restart=true: then it is stopped (its whole tree), changed and started again, and the answer is its new status. A rename moves its logs (rotated ones too) and run history to the new name; renaming an agent that runs (or waits to start) needs restart=true (Stop, rename, start), else 409',
    input: z.object({
      name: AgentNameSchema,
      definition: AgentDefinitionSchema,
      restart: FlagSchema.describe('When the agent runs, starts, waits or backs off: stop it, apply the change (a rename included), start it again under its (new) name. In the query string: ?restart=true. Ignored for an agent that does not run'),
    }),
    output: AgentStatusSchema,
    http: { method: 'PUT', path: '/api/agents/:name', body: 'definition' },
  }),
  removeAgent: command({
    summary: 'Remove an agent from agents.json; a running agent must be stopped first, or pass stop=true',
    input: z.object({ name: AgentNameSchema, stop: FlagSchema }),
    output: z.object({ removed: z.string(), stopped: StopResultSchema.nullable() }),
    http: { method: 'DELETE', path: '/api/agents/:name' },
  }),
  startAgent: command({
    summary: 'Start an agent; answers when it is running, or 409 with the reason and its errored status in details.status',
    input: NameInput,
    output: AgentStatusSchema,
    http: { method: 'POST', path: '/api/agents/:name/start' },
  }),
  stopAgent: command({
    summary: 'Stop an agent and every process it started; answers when they are gone. With withDependents=true, the agents that depend on it (directly or not) are stopped first, dependents before their dependencies',
    input: z.object({ name: AgentNameSchema, withDependents: FlagSchema.describe('Stop the agents that depend on it first') }),
    output: AgentStatusSchema.extend({
      stop: StopResultSchema,
      /** withDependents: how each dependent's stop ended, in the order they were stopped. */
      dependents: z.array(StopResultSchema).optional(),
      /** Without withDependents: agents that depend on it and still run (or wait to start). */
      dependentsRunning: z.array(z.string()).optional(),
    }),
    http: { method: 'POST', path: '/api/agents/:name/stop' },
  }),
  restartAgent: command({
    summary: 'Stop, then start an agent',
    input: NameInput,
    output: AgentStatusSchema,
    http: { method: 'POST', path: '/api/agents/:name/restart' },
  }),
  killAgent: command({
    summary: 'End an agent\'s whole process tree at once',
    input: NameInput,
    output: AgentStatusSchema.extend({ stop: StopResultSchema }),
    http: { method: 'POST', path: '/api/agents/:name/kill' },
  }),
  ensureAgent: command({
    summary: 'Start an agent unless it is running (after its dependencies); answers once it is running and ready by its own measure (its readyLine matched; else healthy, when it has a health probe), or with the reason it could not be within timeoutMs',
    input: z.object({ name: AgentNameSchema, timeoutMs: DurationMsSchema.default(60_000) }),
    output: AgentStatusSchema,
    http: { method: 'POST', path: '/api/agents/:name/ensure' },
  }),
  startAll: command({
    summary: 'Start every agent (each after its dependencies, independent ones at once)',
    input: z.object({}),
    output: BulkResultSchema,
    http: { method: 'POST', path: '/api/agents/start-all' },
  }),
  stopAll: command({
    summary: 'Stop every agent: dependents before their dependencies, the agents of one level at once',
    input: z.object({}),
    output: BulkResultSchema,
    http: { method: 'POST', path: '/api/agents/stop-all' },
  }),
  killAll: command({
    summary: 'Kill every agent\'s process tree at once',
    input: z.object({}),
    output: BulkResultSchema,
    http: { method: 'POST', path: '/api/agents/kill-all' },
  }),
  listGroups: command({
    summary: 'The groups (tags of agents.json) with their agents and how many of them run',
    input: z.object({}),
    output: z.object({ groups: z.array(GroupSummarySchema) }),
    http: { method: 'GET', path: '/api/groups' },
  }),
  startGroup: command({
    summary: 'Start every agent of a group (each after its dependencies, also those outside the group)',
    input: GroupInput,
    output: BulkResultSchema,
    http: { method: 'POST', path: '/api/groups/:group/start' },
  }),
  stopGroup: command({
    summary: 'Stop every agent of a group: dependents before their dependencies, the agents of one level at once; agents outside the group are left alone',
    input: GroupInput,
    output: BulkResultSchema,
    http: { method: 'POST', path: '/api/groups/:group/stop' },
  }),
  getGraph: command({
    summary: 'The dependency graph: a node per agent (state, groups, ready, health), an edge per dependsOn entry (from the dependent to its dependency, the condition, whether it holds now)',
    input: z.object({}),
    output: StackGraphSchema,
    http: { method: 'GET', path: '/api/graph' },
  }),
  agentLogs: command({
    summary: 'The most recent output lines of an agent',
    input: z.object({
      name: AgentNameSchema,
      lines: z.coerce.number().int().min(1).max(1000).default(100),
      stream: z.enum(['stdout', 'stderr', 'all']).default('all'),
    }),
    output: z.object({ lines: z.array(ApiLogLineSchema) }),
    http: { method: 'GET', path: '/api/agents/:name/logs' },
  }),
  searchLogs: command({
    summary:
      "Search the agent's log files on disk (the live files and their rotated copies), newest line first. Bounded: `limit` matches, about 64 MiB read and 3 s per request; `cursor` goes on with older lines. With `Accept: application/x-ndjson` the matches stream as they are found",
    input: z.object({
      name: AgentNameSchema,
      q: z.string().min(1, 'give the text to search for').max(1000).describe('The text to find (a substring, case-insensitive unless caseSensitive), or a regular expression with regex=true'),
      regex: FlagSchema.describe('Take q as a JavaScript regular expression, matched against each line'),
      caseSensitive: FlagSchema,
      stream: z.enum(['stdout', 'stderr', 'all']).default('all'),
      limit: z.coerce.number().int().min(1).max(1000).default(200),
      cursor: z.string().min(1).max(8192).optional().describe('The cursor of the previous answer, for older matches'),
    }),
    output: LogSearchResultSchema,
    http: { method: 'GET', path: '/api/agents/:name/logs/search' },
  }),
  getLimits: command({
    summary: 'The concurrency limit and how much of it is used',
    input: z.object({}),
    output: z.object({ maxConcurrent: z.number().int().nullable().describe('null: no limit'), activeProcesses: z.number().int() }),
    http: { method: 'GET', path: '/api/limits' },
  }),
  setLimits: command({
    summary: 'Change the concurrency limit at run time (saved to settings.json; null removes it); running agents are left alone',
    input: z.object({ maxConcurrent: z.number().int().min(1).max(1000).nullable() }),
    output: z.object({ oldLimit: z.number().int().nullable(), newLimit: z.number().int().nullable() }),
    http: { method: 'PUT', path: '/api/limits' },
  }),
  agentStats: command({
    summary: 'The resource history of an agent (CPU, memory, threads, file handles, GPU memory), oldest first',
    input: z.object({ name: AgentNameSchema, since: z.coerce.number().min(0).default(0).describe('Only samples after this time (epoch ms)') }),
    output: z.object({ samples: z.array(ResourceSampleSchema) }),
    http: { method: 'GET', path: '/api/agents/:name/stats' },
  }),
  agentViolations: command({
    summary: 'The limit breaches of an agent since it was last started by a person',
    input: NameInput,
    output: z.object({ violations: z.array(ViolationSchema) }),
    http: { method: 'GET', path: '/api/agents/:name/violations' },
  }),
  listAlerts: command({
    summary: 'The kept alerts (the newest 500, kept across host restarts in alerts.jsonl), oldest first, each with its read flag',
    input: z.object({
      since: z.coerce.number().int().min(0).default(0).describe('Only alerts with a larger id'),
      agent: AgentNameSchema.optional().describe('Only alerts about this agent'),
      severity: AlertSchema.shape.severity.optional().describe('Only alerts of this severity'),
    }),
    output: z.object({ alerts: z.array(AlertSchema) }),
    http: { method: 'GET', path: '/api/alerts' },
  }),
  markAlertsRead: command({
    summary: 'Mark alerts read: those named by `ids`, or every kept alert with `all: true`',
    input: z
      .object({ ids: z.array(z.number().int().min(1)).optional(), all: z.boolean().optional() })
      .refine((v) => (v.ids !== undefined) !== (v.all === true), { message: 'send either `ids` (a list of alert ids) or `all: true`' }),
    output: z.object({ marked: z.number().int() }),
    http: { method: 'POST', path: '/api/alerts/read' },
  }),
  clearAlerts: command({
    summary: 'Forget every kept alert (also in alerts.jsonl)',
    input: z.object({}),
    output: z.object({ cleared: z.number().int() }),
    http: { method: 'DELETE', path: '/api/alerts' },
  }),
  discover: command({
    summary: 'Find configured agents that are already running (PID file, port, command line) and take them back under supervision',
    input: z.object({}),
    output: z.object({ results: z.array(DiscoveryResultSchema) }),
    http: { method: 'POST', path: '/api/discover' },
  }),
  listOrphans: command({
    summary: 'Processes Agent Tray started that no supervised run owns: their agent is no longer configured, or they outlived a run that ended (a daemon that left its tree)',
    input: z.object({}),
    output: z.object({ orphans: z.array(OrphanSchema) }),
    http: { method: 'GET', path: '/api/orphans' },
  }),
  cleanupOrphans: command({
    summary: 'Stop every orphan with its whole process tree',
    input: z.object({}),
    output: z.object({ stopped: z.array(z.object({ name: z.string(), pid: z.number().int(), outcome: z.string(), pids: z.array(z.number().int()) })) }),
    http: { method: 'POST', path: '/api/orphans/cleanup' },
  }),
  stopOrphan: command({
    summary: 'Stop one orphan with its whole process tree, only if it is still an orphan',
    input: z.object({ pid: z.coerce.number().int().min(1) }),
    output: z.object({ stopped: z.object({ name: z.string(), pid: z.number().int(), outcome: z.string(), pids: z.array(z.number().int()) }) }),
    http: { method: 'POST', path: '/api/orphans/:pid/stop' },
  }),
  history: command({
    summary: 'Every run of every agent, newest first: how it started and ended, restarts, peak memory, average CPU',
    input: z.object({ agent: AgentNameSchema.optional(), limit: z.coerce.number().int().min(1).max(10_000).default(100) }),
    output: z.object({ runs: z.array(RunRecordSchema), inProgress: z.array(OpenRunSchema) }),
    http: { method: 'GET', path: '/api/history' },
  }),
  getConfig: command({
    summary: 'Whether agents.json and settings.json load: a hand edit that does not is named with its line and column while the last good configuration stays in force',
    input: z.object({}),
    output: z.object({ files: z.array(ConfigFileStatusSchema) }),
    http: { method: 'GET', path: '/api/config' },
  }),
  getSettings: command({
    summary: 'The settings, and whether this host can start at login',
    input: z.object({}),
    output: z.object({
      settings: PublicSettingsSchema,
      /** Start at login: null where the host cannot (the headless host). */
      startAtLogin: z.boolean().nullable(),
      settingsFile: z.string(),
      /** Where agents' secrets are kept (encrypted by the keychain, or a 0600 file and why). */
      secrets: SecretStoreInfoSchema.optional(),
    }),
    http: { method: 'GET', path: '/api/settings' },
  }),
  updateSettings: command({
    summary: 'Change settings (never the sandbox: that is edited in settings.json only); saved atomically',
    input: z.object({ changes: SettingsChangeSchema }),
    output: z.object({
      settings: PublicSettingsSchema,
      /** The changed settings that take effect only after Agent Tray starts again. */
      appliesAfterRestart: z.array(z.string()),
    }),
    http: { method: 'PUT', path: '/api/settings', body: 'changes' },
  }),
  setStartAtLogin: command({
    summary: 'Start the desktop app at login, or not',
    input: z.object({ enabled: z.boolean() }),
    output: z.object({ startAtLogin: z.boolean() }),
    http: { method: 'PUT', path: '/api/settings/start-at-login' },
  }),
  openLogFolder: command({
    summary: "Show the agent's log files in the file manager (desktop app); always answers with their folder",
    input: NameInput,
    output: z.object({ folder: z.string(), stdout: z.string(), stderr: z.string(), opened: z.boolean() }),
    http: { method: 'POST', path: '/api/agents/:name/logs/open' },
  }),
  importAgents: command({
    summary:
      'Import agents from a Procfile, a process-compose.yaml or a PM2 ecosystem file (.json, .yaml, .config.js/.cjs with allowCode): each agent as it would be created, or skipped with the reason (a name taken: never overwritten; the schema or the sandbox refuses it), with what could not be carried over. dryRun saves nothing; else every agent that can be created is saved in one write. A Docker Compose file is refused (400) naming the supported formats; a .js file without allowCode is refused (409)',
    input: ImportRequestSchema,
    output: ImportResultSchema,
    http: { method: 'POST', path: '/api/import' },
  }),
  exportAgents: command({
    summary:
      'The saved agents written for another tool: a process-compose.yaml, systemd user units (one .service per agent, a .target per group, INSTALL.md) or Kubernetes manifests (ConfigMap, Deployment, Service per agent). Answers the files and, per agent and field, what the target cannot express (never dropped silently), with the steps to use them. Nothing is written on the host',
    input: ExportInputSchema,
    output: ExportResultSchema,
    http: { method: 'GET', path: '/api/export' },
  }),
  summary: command({
    summary: 'How many agents are in each state',
    input: z.object({}),
    output: SummarySchema,
    http: { method: 'GET', path: '/api/summary' },
  }),
} as const;

export type CommandName = keyof typeof COMMANDS;
export type CommandInput<C extends CommandName> = z.input<(typeof COMMANDS)[C]['input']>;
export type CommandArgs<C extends CommandName> = z.output<(typeof COMMANDS)[C]['input']>;
export type CommandResult<C extends CommandName> = z.output<(typeof COMMANDS)[C]['output']>;

/** Every command name, in table order. */
export const COMMAND_NAMES = Object.keys(COMMANDS) as CommandName[];
