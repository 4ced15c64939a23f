// Which files a log search reads, in which order, and how it finds its place again. A search looks
// at the files as they were when it began (newest first); its cursor names each file still to read
// by its identity and the bytes around the place to go on from, never by a path, so a rotation
// between two pages (`x.log` copied to `x.log.1`, `.1` renamed `.2`) moves no line into a page twice
// and leaves none out.
import { createHash } from 'node:crypto';
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { LogStream } from '../../../shared/status.js';
import { AgentTrayError } from '../errors.js';
import { fileError } from '../io-errors.js';
import { copyingName, rotatedName } from './rotate.js';

/** Bytes on each side of a place that identify it. */
const ANCHOR_SIDE = 32;

/** The bytes around a place in a file: [at - before, at + after), hashed. */
export interface Anchor {
  hash: string;
  before: number;
  after: number;
}

/** One file still to read: its bytes [0, end), newest first. */
export interface PendingFile {
  stream: LogStream;
  /** The file's identity (inode, or Windows' file index) when the search began. */
  ino: string;
  /** Every byte from here on was searched. */
  end: number;
  anchor: Anchor;
  /** Newlines before `end` (for line numbers); null: not counted. */
  newlines: number | null;
  /** Where the file was last seen (this request only; a cursor carries no path). */
  path?: string;
}

/** A log file as it is now. */
interface Candidate {
  path: string;
  ino: string;
  size: number;
  mtimeMs: number;
  /** 0 for the live file, n for `.n`, -1 for a copy being placed. */
  rank: number;
}

/** The hash of `bytes`: enough to tell two places apart, short enough for a cursor. */
function hashOf(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('base64url').slice(0, 16);
}

/** The anchor of place `at`, from a buffer that holds the file's bytes [bufAt, bufAt + buf.length) around it. */
export function anchorIn(buf: Buffer, bufAt: number, at: number): Anchor {
  const from = Math.max(bufAt, at - ANCHOR_SIDE);
  const to = Math.min(bufAt + buf.length, at + ANCHOR_SIDE);
  return { hash: hashOf(buf.subarray(from - bufAt, to - bufAt)), before: at - from, after: to - at };
}

/** The anchor of a file's end, read from the file. */
async function endAnchor(file: string, end: number): Promise<Anchor> {
  const handle = await open(file, 'r').catch((err: unknown) => {
    throw fileError(err, file, 'read');
  });
  try {
    const length = Math.min(ANCHOR_SIDE, end);
    const buf = Buffer.alloc(length);
    await handle.read(buf, 0, length, end - length);
    return { hash: hashOf(buf), before: length, after: 0 };
  } finally {
    await handle.close();
  }
}

/** Whether `file` holds, around `at`, the bytes the anchor was made of. */
async function anchorHolds(file: string, at: number, anchor: Anchor): Promise<boolean> {
  const handle = await open(file, 'r').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null; // rotated away since it was listed
    throw fileError(err, file, 'read');
  });
  if (!handle) return false;
  try {
    const length = anchor.before + anchor.after;
    const buf = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buf, 0, length, at - anchor.before);
    return bytesRead === length && hashOf(buf) === anchor.hash;
  } finally {
    await handle.close();
  }
}

/** The live file, its rotated copies (`.1`, `.2`, … whatever `keep` was) and a copy being placed, as they are now. */
async function candidates(live: string, withCopying: boolean): Promise<Candidate[]> {
  const dir = path.dirname(live);
  const base = path.basename(live);
  const names: { path: string; rank: number }[] = [{ path: live, rank: 0 }];
  for (const entry of await readdir(dir).catch(() => [] as string[])) {
    const m = entry.startsWith(`${base}.`) ? /^\d+$/.exec(entry.slice(base.length + 1)) : null;
    if (m) names.push({ path: rotatedName(live, Number(m[0])), rank: Number(m[0]) });
  }
  if (withCopying) names.push({ path: copyingName(live), rank: -1 });
  const found = await Promise.all(
    names.map(async ({ path: p, rank }) => {
      const s = await stat(p, { bigint: true }).catch(() => null);
      return s && s.isFile() ? { path: p, ino: s.ino.toString(), size: Number(s.size), mtimeMs: Number(s.mtimeMs), rank } : null;
    }),
  );
  return found.filter((c): c is Candidate => c !== null).sort((a, b) => a.rank - b.rank);
}

/**
 * The files of `streams` with something in them, newest first: each stream's files in rotation
 * order (live, .1, .2, …), the two streams merged by when each file was last written (stdout
 * first where equal). Which stream's line came first within that time is not known: the agent
 * writes the two files independently.
 */
export async function planFiles(files: Record<LogStream, string>, streams: readonly LogStream[]): Promise<PendingFile[]> {
  const lists = await Promise.all(streams.map(async (stream) => (await candidates(files[stream], false)).filter((c) => c.rank >= 0 && c.size > 0).map((c) => ({ stream, c }))));
  const merged: { stream: LogStream; c: Candidate }[] = [];
  const heads = lists.map(() => 0);
  for (;;) {
    let pick = -1;
    lists.forEach((list, i) => {
      const head = list[heads[i] as number];
      const best = pick === -1 ? undefined : lists[pick]?.[heads[pick] as number];
      if (head && (!best || head.c.mtimeMs > best.c.mtimeMs)) pick = i;
    });
    if (pick === -1) break;
    merged.push(lists[pick]![heads[pick]!]!);
    heads[pick]!++;
  }
  return Promise.all(
    merged.map(async ({ stream, c }) => ({ stream, ino: c.ino, end: c.size, anchor: await endAnchor(c.path, c.size), newlines: null, path: c.path })),
  );
}

/**
 * Where a pending file is now: the file of its stream with its identity that still holds its bytes
 * around `end`, else any file of the stream that does (the live file's bytes copied to `.1` by a
 * rotation). Null when none does: it was rotated past `keep` and deleted.
 */
export async function locate(pending: PendingFile, files: Record<LogStream, string>): Promise<string | null> {
  const all = await candidates(files[pending.stream], true);
  const usable = all.filter((c) => c.size >= pending.end + pending.anchor.after);
  const ordered = [...usable.filter((c) => c.ino === pending.ino), ...usable.filter((c) => c.ino !== pending.ino && c.rank !== 0), ...usable.filter((c) => c.ino !== pending.ino && c.rank === 0)];
  for (const c of ordered) if (await anchorHolds(c.path, pending.end, pending.anchor)) return c.path;
  return null;
}

// The cursor: the files still to read, as base64url JSON. It names the agent and the streams it
// belongs to, so that it is not used for another search by mistake.
interface CursorBody {
  v: 1;
  a: string;
  s: string;
  /** [stream, ino, end, anchor hash, before, after, newlines or -1] per file. */
  f: [string, string, number, string, number, number, number][];
}

/** The cursor that continues a search of `agent`'s `streams` with `pending`. */
export function encodeCursor(agent: string, streams: string, pending: readonly PendingFile[]): string {
  const body: CursorBody = {
    v: 1,
    a: agent,
    s: streams,
    f: pending.map((p) => [p.stream === 'stdout' ? 'o' : 'e', p.ino, p.end, p.anchor.hash, p.anchor.before, p.anchor.after, p.newlines ?? -1]),
  };
  return Buffer.from(JSON.stringify(body)).toString('base64url');
}

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0;

/** The files a cursor says are still to read; a bad-request for a cursor this search did not give out. */
export function decodeCursor(cursor: string, agent: string, streams: string): PendingFile[] {
  let body: CursorBody | null;
  try {
    body = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorBody;
  } catch {
    body = null;
  }
  const entries = body && body.v === 1 && Array.isArray(body.f) ? body.f : null;
  const valid =
    entries?.every((f) => Array.isArray(f) && (f[0] === 'o' || f[0] === 'e') && typeof f[1] === 'string' && isCount(f[2]) && typeof f[3] === 'string' && isCount(f[4]) && isCount(f[5]) && (f[6] === -1 || isCount(f[6]))) ?? false;
  if (!body || !entries || !valid) {
    throw new AgentTrayError('bad-request', 'The cursor is not one that a log search gave out (it may have been cut short)', { hint: 'Send the cursor exactly as the last answer gave it, or search again without one' });
  }
  if (body.a !== agent || body.s !== streams) {
    throw new AgentTrayError('bad-request', `The cursor continues a search of agent "${body.a}" (stream ${body.s}), not of "${agent}" (stream ${streams})`, {
      hint: 'Search again without a cursor, or with the agent and stream it was given for',
    });
  }
  return entries.map((f) => ({
    stream: f[0] === 'o' ? 'stdout' : 'stderr',
    ino: f[1],
    end: f[2],
    anchor: { hash: f[3], before: f[4], after: f[5] },
    newlines: f[6] === -1 ? null : f[6],
  }));
}
