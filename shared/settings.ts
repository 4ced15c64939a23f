// settings.json: the person's settings. The sandbox part can be changed in this file only, never
// through the API (a client that could loosen the sandbox would make it pointless).
import { z } from 'zod';

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

export const SettingsSchema = z
  .object({
    $schema: z.string().optional(),
    sandbox: SandboxSettingsSchema.default({ allowedEnv: [] }),
  })
  .strict();
export type Settings = z.output<typeof SettingsSchema>;
