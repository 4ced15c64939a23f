// The data directory lock: one manager (the tray app or `agent-tray serve`) per data directory,
// because two managers must never supervise the same agents. The lock file also tells clients
// (the CLI) where the running host listens. It is its owner's only (0600), like every data file.
import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';
import { AgentTrayError } from '../core/errors.js';
import { fileError } from '../core/io-errors.js';
import { isProcessAlive, processStartTime } from '../core/platform/process-table.js';

export const LOCK_FILE = 'host.lock';
const LOCK_MODE = 0o600;

export const HostLockSchema = z.object({
  pid: z.number().int().positive(),
  processStartTime: z.number().nullable(),
  /** `run`: `agent-tray run` in a terminal, which serves no API (url stays null). */
  kind: z.enum(['serve', 'tray', 'run']),
  startedAt: z.number(),
  /** Where the API listens, once it does (without the token). */
  url: z.string().nullable(),
});
export type HostLock = z.infer<typeof HostLockSchema>;

/** The lock file of a data directory. */
export function lockFile(dataDir: string): string {
  return path.join(dataDir, LOCK_FILE);
}

/** The lock's content, or null when there is no lock or its holder is gone (a stale lock). */
export async function readLiveLock(dataDir: string): Promise<HostLock | null> {
  let text: string;
  try {
    text = await readFile(lockFile(dataDir), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw fileError(err, lockFile(dataDir), 'read');
  }
  let parsed: HostLock;
  try {
    parsed = HostLockSchema.parse(JSON.parse(text));
  } catch {
    return null; // unreadable: a crash while writing it; treat as stale
  }
  if (!isProcessAlive(parsed.pid)) return null;
  if (parsed.processStartTime !== null) {
    const start = await processStartTime(parsed.pid).catch(() => null);
    if (start !== null && start !== parsed.processStartTime) return null; // the pid was recycled
  }
  return parsed;
}

export interface HeldLock {
  readonly info: HostLock;
  /** Records where the API listens. */
  setUrl(url: string): Promise<void>;
  /** Removes the lock (only if it is still ours). */
  release(): Promise<void>;
}

/** Takes the lock of `dataDir` for this process; throws `host-locked` naming the holder when another live host has it. */
export async function acquireLock(dataDir: string, kind: HostLock['kind']): Promise<HeldLock> {
  const file = lockFile(dataDir);
  const info: HostLock = { pid: process.pid, processStartTime: await processStartTime(process.pid).catch(() => null), kind, startedAt: Date.now(), url: null };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeNewLock(file, info);
      return held(file, info);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw fileError(err, file, 'create');
      const holder = await readLiveLock(dataDir);
      if (holder) {
        const what = holder.kind === 'tray' ? 'the Agent Tray app' : holder.kind === 'run' ? '`agent-tray run` (in a terminal)' : '`agent-tray serve`';
        throw new AgentTrayError('host-locked', `Another manager already supervises ${dataDir}: ${what}, pid ${holder.pid}, since ${new Date(holder.startedAt).toISOString()}${holder.url ? `, at ${holder.url}` : ''}`, {
          hint:
            holder.kind === 'run'
              ? 'Two managers must never supervise the same agents: stop that `agent-tray run` first (Ctrl-C in its terminal), or choose another --data-dir'
              : 'Two managers must never supervise the same agents: use that one (the CLI talks to it), stop it first, or choose another --data-dir',
          details: { holder },
        });
      }
      await rm(file, { force: true }); // stale: its holder is gone
    }
  }
  throw new AgentTrayError('host-locked', `Could not take the lock ${file}: another process keeps creating it`, { hint: 'Check which process writes it, then try again' });
}

/** Creates the lock file (failing with EEXIST when there is one) and writes `info`; a lock that could not be written whole is removed. */
async function writeNewLock(file: string, info: HostLock): Promise<void> {
  const handle = await open(file, 'wx', LOCK_MODE);
  try {
    await handle.writeFile(`${JSON.stringify(info)}\n`);
  } catch (err) {
    await handle.close().catch(() => undefined);
    await rm(file, { force: true }).catch(() => undefined); // an empty lock (a full disk) would only be read as stale
    throw err;
  }
  await handle.close();
}

function held(file: string, info: HostLock): HeldLock {
  let current = info;
  return {
    get info() {
      return current;
    },
    async setUrl(url: string) {
      current = { ...current, url };
      try {
        await writeFileAtomic(file, `${JSON.stringify(current)}\n`, { mode: LOCK_MODE });
      } catch (err) {
        throw fileError(err, file, 'write');
      }
    },
    async release() {
      try {
        const onDisk = HostLockSchema.parse(JSON.parse(await readFile(file, 'utf8')));
        if (onDisk.pid === current.pid && onDisk.startedAt === current.startedAt) await rm(file, { force: true });
      } catch {
        // gone or unreadable: nothing of ours to remove
      }
    },
  };
}
