// Where an agent's variables come from (its definition, its env files, the secret store) and the
// secret commands' shapes: the contract of GET /api/agents/:name/env and /api/agents/:name/secrets.
import { z } from 'zod';

/** What a secret's value is shown as, everywhere (the window, the API). */
export const SECRET_MASK = '••••••';
/** What a secret's value becomes in a log line. */
export const LOG_SECRET_MASK = '***';
/** Secret values shorter than this are not masked in logs (too many false hits: "1", "true"). */
export const LOG_MASK_MIN_LENGTH = 6;

export const ENV_SOURCES = ['definition', 'envFile', 'secret'] as const;
export const EnvSourceSchema = z.enum(ENV_SOURCES);
export type EnvSource = z.infer<typeof EnvSourceSchema>;

export const EnvVariableSchema = z.object({
  key: z.string(),
  value: z.string().describe(`The value; a secret's is "${SECRET_MASK}"`),
  source: EnvSourceSchema,
  file: z.string().optional().describe('source envFile: the file (absolute path) it comes from'),
  overrides: z
    .array(z.object({ source: EnvSourceSchema, file: z.string().optional() }))
    .optional()
    .describe('Earlier layers that set the same variable and lose to this one'),
});
export type EnvVariable = z.infer<typeof EnvVariableSchema>;

export const EnvProblemSchema = z.object({
  code: z.string(),
  message: z.string(),
  file: z.string().optional(),
  key: z.string().optional(),
});
export type EnvProblem = z.infer<typeof EnvProblemSchema>;

export const AgentEnvSchema = z.object({
  variables: z.array(EnvVariableSchema).describe("The agent's own variables, in the order they win (never the host's environment)"),
  errors: z.array(EnvProblemSchema).describe('What would stop its next start: a missing env file, a secret without a value'),
});
export type AgentEnv = z.infer<typeof AgentEnvSchema>;

/** Where the secrets of this host live. */
export const SecretStoreInfoSchema = z.object({
  kind: z.enum(['file', 'safe-storage']).describe('file: a 0600 JSON file; safe-storage: encrypted with the OS keychain (Electron safeStorage)'),
  file: z.string(),
  note: z.string().nullable().describe('Why the desktop app fell back to the file, or null'),
});
export type SecretStoreInfo = z.infer<typeof SecretStoreInfoSchema>;

export const SecretEntrySchema = z.object({
  key: z.string(),
  stored: z.boolean().describe('A value is in the secret store'),
  declared: z.boolean().describe("The key is in the agent's secretEnv (injected at start)"),
});
export type SecretEntry = z.infer<typeof SecretEntrySchema>;
