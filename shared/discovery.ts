// What discovery, orphan search and the run history answer, as the API shows them.
import { z } from 'zod';

export const DiscoveryResultSchema = z.object({
  name: z.string(),
  /** adopted: taken back; managed: already supervised; conflict: another process holds its port; recycled-pid: its PID file named another process; not-running. */
  outcome: z.enum(['adopted', 'managed', 'conflict', 'recycled-pid', 'not-running']),
  via: z.enum(['pid-file', 'marker', 'port', 'command-line']).optional(),
  pid: z.number().int().nullable(),
  message: z.string(),
  /** Not running, but the previous host's supervision goes on: a retry is pending (backoff), or it stays crashed or errored. */
  resumed: z.enum(['backoff', 'crashed', 'errored']).optional(),
});
export type DiscoveryResult = z.infer<typeof DiscoveryResultSchema>;

export const OrphanSchema = z.object({
  /** The agent it was started for: no longer in agents.json, or configured but not running under supervision (a daemon it left behind). */
  name: z.string(),
  pid: z.number().int(),
  commandLine: z.string().nullable(),
  /** How it was recognised as ours. */
  via: z.enum(['pid-file', 'marker']),
  /** When it started (epoch ms); null where the platform did not say. Listed by GET /api/orphans only. */
  startedAt: z.number().nullable().optional(),
  /** Resident memory of its whole tree in MB; null where it could not be read (Windows). Listed by GET /api/orphans only. */
  memoryMB: z.number().nullable().optional(),
});
export type Orphan = z.infer<typeof OrphanSchema>;
