// settings.json: the person's settings. The sandbox part can be changed in this file only, never
// through the API (a client that could loosen the sandbox would make it pointless).
import { z } from 'zod';
import { HealthSettingsSchema, LimitsSchema, RestartSettingsSchema } from './agent.js';

export const SandboxSettingsSchema = z
  .object({
    allowedCommands: z
      .array(z.string().min(1))
      .optional()
      .describe('When set, only these executables may be an agent\'s command (or stop command): a name matches any path with that file name, a full path only itself.'),
    restrictedPaths: z
      .array(z.string().min(1))
      .optional()
      .describe('No agent cwd may be inside these directories. Default: the system directories of the platform.'),
    allowedEnv: z
      .array(z.string().min(1))
      .default([])
      .describe('Variables that inject code into a process (LD_PRELOAD, NODE_OPTIONS, …) that agents may set nevertheless.'),
  })
  .strict();
export type SandboxSettings = z.output<typeof SandboxSettingsSchema>;

/** No concurrency limit unless the person sets one (a personal stack may run any number of agents). */
export const DEFAULT_MAX_CONCURRENT: number | null = null;
export const DEFAULT_SAMPLE_INTERVAL_MS = 2_000;
/** The local API's port: `agent-tray serve`'s default, and the tray app's. */
export const DEFAULT_API_PORT = 4821;

export const ApiSettingsSchema = z
  .object({
    enabled: z.boolean().default(true).describe('The tray app serves the local REST API (what the CLI and the browser window talk to). `agent-tray serve` always does.'),
    port: z.number().int().min(0).max(65_535).default(DEFAULT_API_PORT).describe('Its port on 127.0.0.1; when taken, the tray app uses any free port (the CLI finds it through the data directory). 0: any free port.'),
  })
  .strict();
export type ApiSettings = z.output<typeof ApiSettingsSchema>;

export const MetricsSettingsSchema = z
  .object({
    public: z
      .boolean()
      .default(false)
      .describe('GET /metrics answers without the API token, for a Prometheus on this machine. Only while the API listens on loopback (127.0.0.1, ::1, localhost); on any other address it is ignored with a warning and /metrics keeps needing the token.'),
  })
  .strict();
export type MetricsSettings = z.output<typeof MetricsSettingsSchema>;

export const McpSettingsSchema = z
  .object({
    allowEdits: z.boolean().default(false).describe('`agent-tray mcp` also offers add_agent, edit_agent and remove_agent to AI clients (docs/mcp.md). Edited in settings.json only.'),
  })
  .strict();
export type McpSettings = z.output<typeof McpSettingsSchema>;

export const SettingsSchema = z
  .object({
    $schema: z.string().optional(),
    sandbox: SandboxSettingsSchema.default({ allowedEnv: [] }),
    maxConcurrent: z
      .number()
      .int()
      .min(1)
      .max(1000)
      .nullable()
      .default(DEFAULT_MAX_CONCURRENT)
      .describe('How many agents may run at once; absent or null: no limit (the default).'),
    historyRetention: z.number().int().min(10).max(1_000_000).default(1_000).describe('How many runs the history keeps.'),
    onQuit: z.enum(['leave-running', 'stop-all']).default('leave-running').describe('When Agent Tray quits: leave agents running (they are re-adopted next time) or stop them all.'),
    sampleIntervalMs: z.number().int().min(250).max(60_000).default(DEFAULT_SAMPLE_INTERVAL_MS).describe('How often CPU and memory are read (at least 2000 on Windows).'),
    startAgentsOnLaunch: z.boolean().default(true).describe('Start the agents marked `autostart` when Agent Tray starts.'),
    notifications: z.boolean().default(true).describe('Desktop notifications when an agent crashes, gives up or turns unhealthy (tray app).'),
    api: ApiSettingsSchema.default({ enabled: true, port: DEFAULT_API_PORT }),
    metrics: MetricsSettingsSchema.default({ public: false }).describe('The Prometheus endpoint GET /metrics (docs/metrics.md).'),
    mcp: McpSettingsSchema.default({ allowEdits: false }).describe('The MCP server for AI clients, `agent-tray mcp` (docs/mcp.md).'),
    defaults: z
      .object({
        restart: RestartSettingsSchema.optional(),
        health: HealthSettingsSchema.optional().describe('Timings only (intervalMs, timeoutMs, …); probes are per agent.'),
        limits: LimitsSchema.optional(),
      })
      .strict()
      .default({})
      .describe('Defaults for every agent that does not set its own.'),
  })
  .strict();
export type Settings = z.output<typeof SettingsSchema>;

/** What a client may change at run time: every setting but the sandbox (settings.json only). */
export const SettingsChangeSchema = z
  .object({
    /** null removes the limit. */
    maxConcurrent: z.number().int().min(1).max(1000).nullable(),
    historyRetention: z.number().int().min(10).max(1_000_000),
    onQuit: z.enum(['leave-running', 'stop-all']),
    sampleIntervalMs: z.number().int().min(250).max(60_000),
    startAgentsOnLaunch: z.boolean(),
    notifications: z.boolean(),
    /** Merged into the current `api`: `{ "port": 5000 }` changes the port only. */
    api: z.object({ enabled: z.boolean(), port: z.number().int().min(0).max(65_535) }).partial().strict(),
    /** Merged into the current `metrics`; applies at once. */
    metrics: z.object({ public: z.boolean() }).partial().strict(),
    /** Merged into the current `defaults` key by key (`restart`, `health`, `limits` each replaced whole). */
    defaults: SettingsSchema.shape.defaults.unwrap(),
  })
  .partial()
  .strict();
export type SettingsChange = z.output<typeof SettingsChangeSchema>;

/** Settings that take effect only when the host starts again. */
export const RESTART_NEEDED_SETTINGS: readonly (keyof SettingsChange)[] = ['api', 'defaults'];
