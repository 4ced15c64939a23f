// What supervision must remember across a restart of the host, one small file per agent
// (`run/<name>.state.json`): the state it was in (waiting for its dependencies, a start under way,
// running, waiting to retry, given up), the run id it was started with, when it became ready, the
// restart budget spent, the next attempt and the last error. Written before a spawn (the intent)
// and on every transition; a new host reads it at discovery and carries on where the old one stopped.
import { readFile, rm, mkdir } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { LastErrorSchema } from '../../shared/status.js';
import type { DataPaths } from './paths.js';

export const PersistedStateSchema = z.object({
  name: z.string(),
  /** The lifecycle state when it was written; `starting` is the intent recorded before a spawn. */
  state: z.enum(['waiting', 'starting', 'running', 'backoff', 'crashed', 'errored']),
  /** The run id the agent's processes carry in AGENT_TRAY_RUN_ID (null before the first start). */
  runId: z.string().nullable(),
  at: z.number(),
  restarts: z.number().int().min(0),
  crashes: z.object({ restartTimes: z.array(z.number()), attempt: z.number().int().min(0) }),
  nextAttemptAt: z.number().nullable(),
  lastError: LastErrorSchema.nullable(),
  exitCode: z.number().int().nullable(),
  signal: z.string().nullable(),
  /** When the run became ready (its readyLine matched), so that a next host that takes it back knows. */
  readyAt: z.number().nullable().optional(),
  /** On-demand agents: the internal port of the run, so that a next host's relay forwards there. */
  internalPort: z.number().int().positive().nullable().optional(),
});
export type PersistedState = z.infer<typeof PersistedStateSchema>;

/** The state file of agent `name` (beside its PID file). */
export function stateFile(paths: DataPaths, name: string): string {
  return path.join(paths.run, `${name}.state.json`);
}

/** Writes the state atomically (0600: last errors may quote secrets from stderr). */
export async function writeState(file: string, state: PersistedState): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFileAtomic(file, `${JSON.stringify(state)}\n`, { mode: 0o600, fsync: false });
}

/** Reads a state file; null when there is none or it cannot be understood (it is only a memory, never a reason to fail). */
export async function readState(file: string): Promise<PersistedState | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return null;
  }
  try {
    const parsed = PersistedStateSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** Removes a state file; no error when it is already gone. */
export async function removeState(file: string): Promise<void> {
  await rm(file, { force: true });
}

/** A fresh run id: unique per start, short enough to read in a process listing. */
export function newRunId(now = Date.now()): string {
  return `${now.toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
