// Run history: one record per finished run of an agent (how it started, how it ended, what it used).
import { z } from 'zod';

/** How many runs the history keeps by default. */
export const DEFAULT_HISTORY_RETENTION = 1_000;

export const RUN_STARTED_BY = ['user', 'autostart', 'restart', 'adopted', 'on-demand'] as const;
export const RunStartedBySchema = z.enum(RUN_STARTED_BY);
export type RunStartedBy = z.infer<typeof RunStartedBySchema>;

export const RUN_ENDINGS = ['exited', 'crashed', 'stopped-by-user', 'killed-by-user', 'limit', 'health', 'host-lost', 'idle'] as const;
export const RunEndingSchema = z.enum(RUN_ENDINGS);
export type RunEnding = z.infer<typeof RunEndingSchema>;

export const RunRecordSchema = z.object({
  /** Unique: `${name}-${startedAt}-${pid}`. */
  id: z.string().min(1),
  name: z.string().min(1),
  pid: z.number().int().nullable(),
  /** Epoch ms. */
  startedAt: z.number(),
  /** Epoch ms. */
  endedAt: z.number(),
  durationMs: z.number().min(0),
  startedBy: RunStartedBySchema,
  ended: RunEndingSchema,
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  /** The agent's restart count when the run ended. */
  restarts: z.number().int().min(0),
  /** Highest memory of the whole tree seen during the run; null when never sampled. */
  peakMemoryMB: z.number().nullable(),
  /** Mean CPU of the whole tree over the run's samples (100 = one core); null when never sampled. */
  avgCpuPercent: z.number().nullable(),
  /** What the engine said about the end of the run. */
  message: z.string(),
});
export type RunRecord = z.infer<typeof RunRecordSchema>;

/** A run still in progress (not yet in the history file). */
export const OpenRunSchema = z.object({
  name: z.string(),
  pid: z.number().int().nullable(),
  startedAt: z.number(),
  startedBy: RunStartedBySchema,
});
export type OpenRun = z.infer<typeof OpenRunSchema>;
