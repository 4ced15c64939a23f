// PID files: which process runs an agent, with the operating system's creation time of that
// process, so that a later session can tell the agent from an unrelated process that got its pid.
import { readFile, rm, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';

export const PidRecordSchema = z.object({
  pid: z.number().int().positive(),
  /** Creation time of `pid` as the OS reports it (epoch ms), null if it could not be read. */
  processStartTime: z.number().nullable(),
  /** The command line the agent was started with. */
  command: z.string(),
  name: z.string(),
  startedAt: z.number(),
  logs: z.object({ stdout: z.string(), stderr: z.string() }).optional(),
  /** The run id its processes carry in AGENT_TRAY_RUN_ID (absent in PID files of older versions). */
  runId: z.string().optional(),
  /** On-demand agents: the internal port the run was given (its relay forwards there after a host restart). */
  internalPort: z.number().int().positive().optional(),
});
export type PidRecord = z.infer<typeof PidRecordSchema>;

/** A PID file as found: ours (JSON), an older tool's bare number, or unreadable. */
export type PidFileContent =
  | { kind: 'record'; record: PidRecord }
  | { kind: 'legacy'; pid: number }
  | { kind: 'invalid'; reason: string };

/** Writes the PID file atomically, readable by its owner only. */
export async function writePidFile(path: string, record: PidRecord): Promise<void> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  await writeFileAtomic(path, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
}

/** Parses a PID file's text. */
export function parsePidFile(text: string): PidFileContent {
  const trimmed = text.trim();
  if (/^\d+$/.test(trimmed)) {
    const pid = Number(trimmed);
    return pid > 0 && Number.isSafeInteger(pid) ? { kind: 'legacy', pid } : { kind: 'invalid', reason: `${trimmed} is not a process id` };
  }
  let json: unknown;
  try {
    json = JSON.parse(trimmed);
  } catch (err) {
    return { kind: 'invalid', reason: `not JSON nor a number (${(err as Error).message})` };
  }
  const parsed = PidRecordSchema.safeParse(json);
  return parsed.success
    ? { kind: 'record', record: parsed.data }
    : { kind: 'invalid', reason: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') };
}

/** Reads a PID file; null when there is none. */
export async function readPidFile(path: string): Promise<PidFileContent | null> {
  try {
    return parsePidFile(await readFile(path, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Removes a PID file; no error when it is already gone. */
export async function removePidFile(path: string): Promise<void> {
  await rm(path, { force: true });
}

/** A command line as one readable string, double-quoting the parts with spaces, quotes or shell characters (backslashes stay as they are, for Windows paths). */
export function commandLine(command: string, args: readonly string[]): string {
  return [command, ...args].map((part) => (part !== '' && !/[\s"'`$;&|<>*?()]/.test(part) ? part : `"${part.replace(/"/g, '\\"')}"`)).join(' ');
}
