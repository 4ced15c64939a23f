// The import command's contract: a file another process manager reads (a Procfile, a
// process-compose.yaml, a PM2 ecosystem file) in, the agents it becomes out — each with what could
// not be carried over and why, and whether it is created or skipped.
import { z } from 'zod';

/** The formats an import understands (docker compose files are recognised only to be refused). */
export const IMPORT_FORMATS = ['procfile', 'process-compose', 'pm2'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** A setting of the source file that the agent does not get, and why. */
export const NotCarriedSchema = z.object({
  field: z.string().describe('The setting as the source file names it (`availability.exit_on_end`, `watch`)'),
  reason: z.string(),
});
export type NotCarried = z.infer<typeof NotCarriedSchema>;

/** A prefix for every imported name: the characters of an agent name. */
export const ImportPrefixSchema = z
  .string()
  .max(32, 'the prefix is longer than 32 characters')
  .regex(/^[A-Za-z0-9._-]*$/, 'the prefix has characters other than letters, digits, "-", "_" and "."');

export const ImportRequestSchema = z.object({
  fileName: z.string().min(1, 'give the file\'s name (it tells a Procfile from a PM2 file)').max(1000).describe('The file\'s name (a path is fine: only its last part is looked at)'),
  content: z.string().max(1_000_000, 'the file is larger than 1 MB; no process list is that long').describe('The file\'s text'),
  dryRun: z.boolean().default(false).describe('Only say what would be created; nothing is saved'),
  prefix: ImportPrefixSchema.optional().describe('Put in front of every name (a "-" is added unless it ends with "-", "_" or ".")'),
  allowCode: z.boolean().default(false).describe('A PM2 ecosystem .js/.cjs/.mjs file is code: it is read by running it in a separate Node process that sees only the file. Without allowCode such a file is refused (409)'),
  dir: z.string().min(1).max(4096).optional().describe('The absolute path of the folder the file is in: relative paths (cwd, scripts) are taken from it, it becomes the cwd of agents that name none, and env files found there (the .env beside a Procfile, env_file) are referred to with envFile, read at each start'),
  files: z
    .record(z.string().min(1).max(1000), z.string().max(1_000_000))
    .optional()
    .describe('For a client that cannot give dir (a browser): the env files the imported one refers to, by the name it uses (`.env`, an env_file); their values are copied into env'),
});
export type ImportRequest = z.input<typeof ImportRequestSchema>;

export const IMPORT_STATUSES = ['create', 'skip'] as const;

export const ImportedAgentSchema = z.object({
  name: z.string().describe('The agent\'s name here (the source name, made valid and prefixed)'),
  source: z.string().describe('The name in the imported file'),
  definition: z.looseObject({ name: z.string(), command: z.string(), args: z.array(z.string()).optional() }).describe('The definition it becomes (saved as it is when status is create)'),
  status: z.enum(IMPORT_STATUSES),
  reason: z.string().nullable().describe('Why it is skipped (a name taken, a sandbox rule, an invalid field); null when created'),
  notCarried: z.array(NotCarriedSchema),
});
export type ImportedAgent = z.infer<typeof ImportedAgentSchema>;

export const ImportResultSchema = z.object({
  format: z.enum(IMPORT_FORMATS),
  agents: z.array(ImportedAgentSchema),
  notes: z.array(z.string()).describe('About the file as a whole'),
  missingFiles: z.array(z.string()).describe('Files it refers to that were not given in `files` (their variables are missing)'),
  created: z.array(z.string()).describe('The agents saved (none for a dry run)'),
});
export type ImportResult = z.infer<typeof ImportResultSchema>;
