// The alerts file (`<data dir>/alerts.jsonl`): the kept alerts, one JSON line each, oldest first,
// with their read flag, so that alerts survive a host restart. Every change rewrites the file
// atomically (0600), serialized, bounded to the newest `limit` alerts; reading skips a torn or
// invalid line (a hand edit, an older format) instead of failing the host's start.
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { AlertSchema, type Alert } from '../../shared/status.js';
import { fileError } from '../core/io-errors.js';

/** Alerts name agents and their failures: the owner's only. */
const FILE_MODE = 0o600;

/** How many alerts the file keeps by default. */
export const DEFAULT_ALERTS_KEPT = 500;

/** Parses the text of an alerts file, skipping lines that are not a valid alert; never throws. */
export function parseAlerts(text: string): Alert[] {
  const alerts: Alert[] = [];
  for (const part of text.split('\n')) {
    const line = part.trim();
    if (line === '') continue;
    try {
      const parsed = AlertSchema.safeParse(JSON.parse(line));
      if (parsed.success) alerts.push(parsed.data);
    } catch {
      // a torn or hand-broken line: skipped
    }
  }
  return alerts;
}

export class AlertStore {
  private pending: Promise<void> = Promise.resolve();

  private constructor(
    readonly file: string,
    readonly limit: number,
    /** What the file held when opened (newest `limit`, oldest first). */
    readonly loaded: Alert[],
  ) {}

  /** Reads the alerts kept in `file` (none when it does not exist). */
  static async open(file: string, limit = DEFAULT_ALERTS_KEPT): Promise<AlertStore> {
    const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '';
      throw fileError(err, file, 'read');
    });
    return new AlertStore(file, limit, parseAlerts(text).slice(-limit));
  }

  /** Replaces the file's content with `alerts` (the newest `limit` of them), after every earlier save. */
  save(alerts: readonly Alert[]): Promise<void> {
    const text = alerts
      .slice(-this.limit)
      .map((a) => `${JSON.stringify(a)}\n`)
      .join('');
    const next = this.pending.then(async () => {
      // a failure keeps its errno (ENOSPC, EACCES…) for the host's io-error event
      await mkdir(dirname(this.file), { recursive: true });
      await writeFileAtomic(this.file, text, { mode: FILE_MODE });
    });
    this.pending = next.catch(() => undefined);
    return next;
  }

  /** Resolves once every save asked for so far has finished. */
  flush(): Promise<void> {
    return this.pending;
  }
}
