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

export const StopSettingsSchema = z
  .object({
    signal: z.enum(STOP_SIGNALS).optional().describe('Signal sent to the process group first (POSIX). Default SIGTERM.'),
    timeoutMs: z.number().int().min(0).max(600_000).optional().describe('How long to wait after the first signal. Default 10000.'),
    insistMs: z.number().int().min(0).max(600_000).optional().describe('How long to wait after the second signal before SIGKILL. Default 5000.'),
    command: z.array(noNul('stop.command')).min(1).optional().describe('A shutdown command run with the agent\'s cwd and env (Windows has no signals), e.g. ["ollama", "stop"].'),
    stdin: z.string().optional().describe('A line written to the agent\'s stdin to ask it to stop.'),
  })
  .strict();

export const AgentDefinitionSchema = z
  .object({
    name: AgentNameSchema.describe('Unique name: letters, digits, "-", "_", "." (at most 64).'),
    description: z.string().max(500).optional(),
    command: noNul('command').pipe(z.string().min(1, 'command is empty; name the program to run, e.g. "python3"')).describe('The program to run: a name on PATH or a path.'),
    args: z.array(noNul('an argument')).default([]).describe('Arguments passed to the command.'),
    cwd: z.string().optional().describe('Working directory. A relative path is taken from the data directory. Default: the data directory.'),
    env: z.record(z.string(), z.string()).default({}).describe('Variables merged over the manager\'s environment.'),
    port: z.number().int().min(1).max(65_535).optional().describe('The TCP port the agent listens on, if any.'),
    stop: StopSettingsSchema.optional(),
    discover: z
      .object({ script: z.string().min(1).describe('A string that appears in the agent\'s command line.') })
      .strict()
      .optional(),
  })
  .strict();

export type AgentDefinition = z.output<typeof AgentDefinitionSchema>;
export type AgentDefinitionInput = z.input<typeof AgentDefinitionSchema>;
export type StopSettings = z.output<typeof StopSettingsSchema>;

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
