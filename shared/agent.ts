// The agent definition: the zod schema is the single source of the type, the validation
// messages and the JSON Schema that editors use for agents.json.
import { z } from 'zod';

export const AGENT_NAME_MAX_LENGTH = 64;

/** Device names that Windows refuses as file names, with or without an extension. */
const WINDOWS_RESERVED_NAME = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/** Why `name` cannot name an agent (it becomes a file name), or null when it can. */
export function agentNameProblem(name: string): string | null {
  if (name.length === 0) return 'the name is empty; give the agent a name such as "researcher"';
  if (name.length > AGENT_NAME_MAX_LENGTH) {
    return `the name is ${name.length} characters long; use at most ${AGENT_NAME_MAX_LENGTH}`;
  }
  if (!/^[A-Za-z0-9._-]+$/.test(name)) {
    return `"${name}" has characters other than letters, digits, "-", "_" and "."; the name becomes a file name, so use only those`;
  }
  if (/^\.+$/.test(name) || name.endsWith('.')) {
    return `"${name}" cannot be a file name on every platform (it is only dots or ends with a dot); choose another name`;
  }
  if (WINDOWS_RESERVED_NAME.test(name)) {
    return `"${name}" is a reserved device name on Windows; choose another name`;
  }
  return null;
}

export const AgentNameSchema = z
  .string()
  .superRefine((name, ctx) => {
    const problem = agentNameProblem(name);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  // for editors: the JSON Schema carries the pattern the check above enforces (and more)
  .meta({ pattern: `^[A-Za-z0-9._-]{1,${AGENT_NAME_MAX_LENGTH}}$` });

/** Signals an agent may ask to be stopped with (POSIX only; Windows has none). */
export const STOP_SIGNALS = ['SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'] as const;
export type StopSignal = (typeof STOP_SIGNALS)[number];

export const DEFAULT_STOP_TIMEOUT_MS = 10_000;
export const DEFAULT_STOP_INSIST_MS = 5_000;

const noNul = (what: string) =>
  z.string().refine((s) => !s.includes('\0'), { message: `${what} contains a NUL byte, which no operating system passes on; remove it` });

/** Why `key` cannot name an environment variable on every platform, or null when it can. */
export function envNameProblem(key: string): string | null {
  if (key.length === 0) return 'the variable name is empty; remove the entry or give it a name';
  if (key.includes('=')) return 'the variable name contains "=", which ends a name in the environment block (the rest would become a value); remove it';
  if (key.includes('\0')) return 'the variable name contains a NUL byte, which no operating system passes on; remove it';
  return null;
}

/** Environment variables: names without "=" or NUL (each refusal names the variable), values without NUL. */
const EnvSchema = z
  .record(z.string().meta({ pattern: '^[^=\\u0000]+$' }), noNul('the value'))
  .superRefine((env, ctx) => {
    for (const key of Object.keys(env)) {
      const problem = envNameProblem(key);
      if (problem) ctx.addIssue({ code: 'custom', path: [key], message: problem });
    }
  });

/** A variable name that may be listed in secretEnv: a valid environment name. */
const SecretEnvNameSchema = z
  .string()
  .superRefine((key, ctx) => {
    const problem = envNameProblem(key);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  })
  .meta({ pattern: '^[^=\\u0000]+$' });

/** One env file path, or a list of them (later files win). */
const EnvFileSchema = z.union([noNul('envFile').pipe(z.string().min(1, 'envFile is empty; give the path of a .env file')), z.array(noNul('envFile').pipe(z.string().min(1, 'an envFile entry is empty; give the path of a .env file'))).min(1).max(32)]);

export const StopSettingsSchema = z
  .object({
    signal: z.enum(STOP_SIGNALS).optional().describe('Signal sent to the process group first (POSIX). Default SIGTERM.'),
    timeoutMs: z.number().int().min(0).max(600_000).optional().describe('How long to wait after the first signal. Default 10000.'),
    insistMs: z.number().int().min(0).max(600_000).optional().describe('How long to wait after the second signal before SIGKILL. Default 5000.'),
    command: z.array(noNul('stop.command')).min(1).optional().describe('A shutdown command run with the agent\'s cwd and env (Windows has no signals), e.g. ["ollama", "stop"].'),
    stdin: z.string().optional().describe('A line written to the agent\'s stdin to ask it to stop.'),
  })
  .strict();

const ms = (max = 86_400_000) => z.number().int().min(0).max(max);

export const RESTART_POLICIES = ['no', 'on-failure', 'always'] as const;
export const RestartSettingsSchema = z
  .object({
    policy: z.enum(RESTART_POLICIES).optional().describe('no | on-failure (exit code not 0) | always. Default on-failure.'),
    maxRestarts: z.number().int().min(0).max(1000).optional().describe('Give up after more than this many restarts within windowMs. Default 5.'),
    windowMs: ms().optional().describe('The window of the restart budget. Default 60000.'),
    stableMs: ms().optional().describe('After running this long without a crash the backoff starts again from initialMs. Default 30000.'),
    backoff: z
      .object({
        initialMs: ms(3_600_000).optional().describe('Default 1000.'),
        factor: z.number().min(1).max(10).optional().describe('Default 2.'),
        maxMs: ms(3_600_000).optional().describe('Default 30000.'),
      })
      .strict()
      .optional(),
  })
  .strict();

export const HealthSettingsSchema = z
  .object({
    http: z.object({ url: z.url({ protocol: /^https?$/ }).describe('Healthy on a 2xx answer to GET.') }).strict().optional(),
    tcp: z.object({ host: z.string().min(1).optional().describe('Default 127.0.0.1.'), port: z.number().int().min(1).max(65_535) }).strict().optional(),
    command: z.array(noNul('health.command')).min(1).optional().describe('Healthy when it exits 0; runs with the agent\'s cwd and env.'),
    intervalMs: ms().min(100).optional().describe('Default 10000.'),
    timeoutMs: ms().min(10).optional().describe('Default 2000.'),
    startPeriodMs: ms().optional().describe('Grace after a start before failures count. Default 5000.'),
    failureThreshold: z.number().int().min(1).max(100).optional().describe('Consecutive failures to turn unhealthy. Default 3.'),
    successThreshold: z.number().int().min(1).max(100).optional().describe('Consecutive successes to turn healthy. Default 1.'),
    restartOnFailure: z.boolean().optional().describe('Restart the agent when it turns unhealthy. Default false.'),
  })
  .strict()
  .refine((h) => [h.http, h.tcp, h.command].filter(Boolean).length <= 1, { message: 'give one probe only: http, tcp or command' });

export const LIMIT_ACTIONS = ['warn', 'restart', 'stop'] as const;
export const LimitsSchema = z
  .object({
    maxMemoryMB: z.number().positive().optional().describe('Memory (RSS) of the whole process tree.'),
    maxCpuPercent: z.number().positive().optional().describe('CPU of the whole tree, 100 = one core, sustained over sustainMs.'),
    sustainMs: ms().optional().describe('How long the CPU must stay over the limit. Default 30000.'),
    maxRuntimeMs: ms(30 * 86_400_000).min(1).optional().describe('For batch agents: the longest a run may take.'),
    maxFileHandles: z.number().int().positive().optional().describe('Open file handles of the whole tree.'),
    maxGpuMemoryMB: z.number().positive().optional().describe('GPU memory of the whole tree (NVIDIA, from nvidia-smi); not checked where it is not known.'),
    action: z.enum(LIMIT_ACTIONS).optional().describe('What a breach does: warn, restart or stop. Default warn.'),
  })
  .strict();

export const PRIORITIES = ['low', 'normal', 'high'] as const;

/** What a dependency must be before its dependent starts (see README, "Stacks"). */
export const DEPENDENCY_CONDITIONS = ['started', 'healthy', 'ready', 'completed'] as const;
export const DependencyConditionSchema = z.enum(DEPENDENCY_CONDITIONS);
export type DependencyCondition = z.infer<typeof DependencyConditionSchema>;

/** A group name: a tag, with the characters of an agent name. */
export const GroupNameSchema = z
  .string()
  .min(1, 'a group name is empty')
  .max(64, 'a group name is longer than 64 characters')
  .regex(/^[A-Za-z0-9._-]+$/, 'a group name has characters other than letters, digits, "-", "_" and "."');

/** A regular expression in a definition: refused when it does not compile, naming the field. */
const RegexSchema = z
  .string()
  .min(1, 'the regular expression is empty')
  .max(1000)
  .superRefine((source, ctx) => {
    try {
      new RegExp(source);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `not a valid regular expression: ${(err as Error).message}` });
    }
  });

/** Default of `startTimeoutMs`: how long a start may wait for its dependencies (model loads are slow). */
export const DEFAULT_START_TIMEOUT_MS = 600_000;

export const AgentDefinitionSchema = z
  .object({
    name: AgentNameSchema.describe('Unique name: letters, digits, "-", "_", "." (at most 64).'),
    description: z.string().max(500).optional(),
    command: noNul('command').pipe(z.string().min(1, 'command is empty; name the program to run, e.g. "python3"')).describe('The program to run: a name on PATH or a path.'),
    args: z.array(noNul('an argument')).default([]).describe('Arguments passed to the command.'),
    cwd: noNul('cwd').optional().describe('Working directory. A relative path is taken from the data directory. Default: the data directory.'),
    env: EnvSchema.default({}).describe('Variables merged over the manager\'s environment.'),
    envFile: EnvFileSchema.optional().describe('A dotenv file, or a list of them (later files win), read at each start; a relative path is taken from the agent\'s cwd. Its variables are merged under env (env wins). A missing file stops the start with an error naming it.'),
    secretEnv: z
      .array(SecretEnvNameSchema)
      .max(200)
      .optional()
      .describe('Names of variables whose values live in the secret store (agent-tray secret set NAME KEY, or the editor\'s "secret" box), never in agents.json; injected at start, masked in the window, the API and the logs.'),
    port: z.number().int().min(1).max(65_535).optional().describe('The TCP port the agent listens on, if any.'),
    url: z
      .string()
      .max(2048)
      .url('url must be a full web address, e.g. "http://127.0.0.1:7860/"')
      .refine((u) => /^https?:\/\//i.test(u), 'url must start with http:// or https://')
      .optional()
      .describe('The address of what the agent serves, opened by "Open" in the window, the tray and `agent-tray open NAME`. Default: the first local http(s) URL it prints after starting, else http://127.0.0.1:{port}/.'),
    stop: StopSettingsSchema.optional(),
    discover: z
      .object({ script: z.string().min(1).describe('A string that appears in the agent\'s command line.') })
      .strict()
      .optional(),
    autostart: z.boolean().optional().describe('Start this agent when Agent Tray starts. Default false.'),
    priority: z.enum(PRIORITIES).optional().describe('Operating system scheduling priority. Default normal.'),
    restart: RestartSettingsSchema.optional(),
    health: HealthSettingsSchema.optional(),
    limits: LimitsSchema.optional(),
    dependsOn: z
      .record(AgentNameSchema, DependencyConditionSchema)
      .optional()
      .describe('Agents that must meet a condition before this one starts: {"model": "healthy", "setup": "completed", "mcp": "started"}. Conditions: started (running), healthy (its probe passes), ready (its readyLine matched; else healthy with a probe; else started), completed (it ran and exited 0 since this start was asked for).'),
    readyLine: RegexSchema.optional().describe('A regular expression matched against each line the agent prints (stdout and stderr); the first match makes it ready for this run.'),
    groups: z.array(GroupNameSchema).max(32).optional().describe('Group names (tags): start or stop a group together.'),
    startTimeoutMs: ms().min(1).optional().describe('How long a start may wait for its dependencies. Default 600000 (10 minutes).'),
    onDemand: z
      .object({ idleStopMs: ms().min(100).describe('Stop the agent after this long with no open connection through Agent Tray.') })
      .strict()
      .optional()
      .describe('Start on the first connection to `port` and stop when idle: Agent Tray listens on `port` and relays to the agent, which gets an internal port in PORT (and ${PORT} in its args and env). Needs `port`.'),
  })
  .strict()
  .superRefine((def, ctx) => {
    if (def.dependsOn && Object.hasOwn(def.dependsOn, def.name)) {
      ctx.addIssue({ code: 'custom', path: ['dependsOn', def.name], message: `an agent cannot depend on itself (${def.name} → ${def.name})` });
    }
    if (def.onDemand && def.port === undefined) {
      ctx.addIssue({ code: 'custom', path: ['onDemand'], message: 'onDemand needs "port": the port Agent Tray listens on for the agent\'s clients; add "port" or remove "onDemand"' });
    }
    const secrets = def.secretEnv ?? [];
    secrets.forEach((key, i) => {
      if (secrets.indexOf(key) !== i) ctx.addIssue({ code: 'custom', path: ['secretEnv', i], message: `${key} is listed more than once; keep one` });
      else if (Object.hasOwn(def.env, key)) {
        ctx.addIssue({ code: 'custom', path: ['env', key], message: `${key} is also in secretEnv: a secret's value lives in the secret store, not in agents.json; remove it from env` });
      }
    });
  });

export type AgentDefinition = z.output<typeof AgentDefinitionSchema>;
export type AgentDefinitionInput = z.input<typeof AgentDefinitionSchema>;
export type StopSettings = z.output<typeof StopSettingsSchema>;
export type RestartSettings = z.output<typeof RestartSettingsSchema>;
export type HealthSettings = z.output<typeof HealthSettingsSchema>;
export type Limits = z.output<typeof LimitsSchema>;
export type OnDemandSettings = NonNullable<AgentDefinition['onDemand']>;
export type Priority = (typeof PRIORITIES)[number];

export const AgentsFileSchema = z
  .object({
    $schema: z.string().optional(),
    agents: z.array(AgentDefinitionSchema).default([]),
  })
  .strict()
  .superRefine((file, ctx) => {
    const seen = new Map<string, number>();
    file.agents.forEach((agent, index) => {
      const first = seen.get(agent.name);
      if (first !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['agents', index, 'name'],
          message: `the name "${agent.name}" is already used by agents[${first}]; names must be unique`,
        });
      } else seen.set(agent.name, index);
    });
  });

export type AgentsFile = z.output<typeof AgentsFileSchema>;
