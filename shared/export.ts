// The export contract: the targets Agent Tray writes its agents for, and what an export answers
// (files, and what could not be carried over, per agent and field).
import { z } from 'zod';

export const EXPORT_TARGETS = ['process-compose', 'systemd', 'kubernetes'] as const;
export const ExportTargetSchema = z.enum(EXPORT_TARGETS);
export type ExportTarget = z.infer<typeof ExportTargetSchema>;

export const ExportFileSchema = z.object({
  path: z.string().describe('A file name relative to the output folder, e.g. agent-tray-web.service'),
  content: z.string(),
});
export type ExportFile = z.infer<typeof ExportFileSchema>;

export const ExportLostSchema = z.object({
  agent: z.string(),
  field: z.string().describe('The definition field, as in agents.json: `restart.backoff.factor`, `dependsOn.db`, `image`'),
  reason: z.string().describe('Why the target cannot express it, or what was done instead'),
});
export type ExportLost = z.infer<typeof ExportLostSchema>;

export const ExportResultSchema = z.object({
  target: ExportTargetSchema,
  files: z.array(ExportFileSchema),
  lost: z.array(ExportLostSchema).describe('What the target cannot express, per agent and field; never dropped silently'),
  notes: z.array(z.string()).describe('What to do with the files: how to install or start them, what to create first'),
});
export type ExportResult = z.infer<typeof ExportResultSchema>;

/** A list given as one comma-separated string, repeated query keys, or an array. */
const ListSchema = z.union([z.string(), z.array(z.string())]).transform((v) =>
  (Array.isArray(v) ? v : [v])
    .flatMap((s) => s.split(','))
    .map((s) => s.trim())
    .filter((s) => s.length > 0),
);

export const ExportInputSchema = z.object({
  to: ExportTargetSchema.describe('process-compose | systemd | kubernetes'),
  names: ListSchema.optional().describe('Only these agents (and what they depend on), comma-separated; default: every agent'),
  image: ListSchema.optional().describe('kubernetes: container images, NAME=IMAGE for one agent or IMAGE for every agent without its own; comma-separated or repeated'),
});
