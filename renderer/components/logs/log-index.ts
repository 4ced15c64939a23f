// Which lines of an agent's log the view shows, kept up to date as lines arrive. A log of 100,000
// lines gets new lines many times a second: when the log only grew at the end (and lost lines at
// the start), only the new lines are examined.
import type { LogStream } from '../../../shared/status.js';
import { ringAt, ringLast } from '../../store/ring.js';
import type { AgentLog, LogEntry } from '../../store/types.js';
import { plainText } from './ansi.js';
import { makeMatcher, type LogMatcher } from './search.js';

export type StreamFilter = LogStream | 'all';

export interface LogIndex {
  /** The log this index describes. */
  log: AgentLog | undefined;
  stream: StreamFilter;
  query: string;
  matcher: LogMatcher | null;
  /** Positions in `log.lines` of the lines of the chosen stream; null: every line. */
  inStream: number[] | null;
  /** Positions of the lines of the chosen stream that match the query; null when there is no query. */
  matching: number[] | null;
}

/** How `next` came from `prev` when it is `prev` with lines appended and the oldest dropped; null otherwise (a backlog merged in the middle). */
export function appendedSince(prev: AgentLog, next: AgentLog): { appended: number; dropped: number } | null {
  const appended = next.nextSeq - prev.nextSeq;
  const dropped = next.dropped - prev.dropped;
  if (appended < 0 || dropped < 0 || next.lines.length !== prev.lines.length + appended - dropped) return null;
  const kept = prev.lines.length - dropped;
  // the kept lines must be the same entries in the same places: the first and the last of them
  // tell (a backlog merged among them moves the last one). With none kept, every line is new.
  if (kept > 0) {
    if (ringAt(next.lines, 0) !== ringAt(prev.lines, dropped)) return null;
    if (ringAt(next.lines, kept - 1) !== ringLast(prev.lines)) return null;
  }
  return { appended, dropped };
}

/** The positions in [from, to) of the lines that pass the filters. */
function scan(log: AgentLog, from: number, to: number, keep: (line: LogEntry) => boolean): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) {
    const line = ringAt(log.lines, i);
    if (line && keep(line)) out.push(i);
  }
  return out;
}

/** `positions` after the log lost its `dropped` oldest lines, with `added` appended. */
function shift(positions: number[], dropped: number, added: number[]): number[] {
  if (dropped === 0) return added.length === 0 ? positions : positions.concat(added);
  const out: number[] = [];
  for (const p of positions) if (p >= dropped) out.push(p - dropped);
  for (const p of added) out.push(p);
  return out;
}

/** The index of `log` for the filters, reusing `prev` where the log only grew. */
export function updateLogIndex(prev: LogIndex | null, log: AgentLog | undefined, stream: StreamFilter, query: string): LogIndex {
  const sameFilters = prev !== null && prev.stream === stream && prev.query === query;
  if (sameFilters && prev.log === log) return prev;
  const matcher = sameFilters ? prev.matcher : makeMatcher(query);
  const inStream = (line: LogEntry) => stream === 'all' || line.stream === stream;
  const matches = (line: LogEntry) => inStream(line) && matcher !== null && matcher.test(plainText(line.text));
  const base = { log, stream, query, matcher };
  if (!log) return { ...base, inStream: stream === 'all' ? null : [], matching: matcher ? [] : null };

  const delta = sameFilters && prev.log ? appendedSince(prev.log, log) : null;
  if (delta && prev) {
    const from = Math.max(0, log.lines.length - delta.appended);
    return {
      ...base,
      inStream: prev.inStream && shift(prev.inStream, delta.dropped, scan(log, from, log.lines.length, inStream)),
      matching: prev.matching && shift(prev.matching, delta.dropped, scan(log, from, log.lines.length, matches)),
    };
  }
  return {
    ...base,
    inStream: stream === 'all' ? null : scan(log, 0, log.lines.length, inStream),
    matching: matcher ? scan(log, 0, log.lines.length, matches) : null,
  };
}

/** The positions the view shows as rows: the matching lines when only those are wanted, else the lines of the stream; null: every line. */
export function rowPositions(index: LogIndex, onlyMatching: boolean): number[] | null {
  if (onlyMatching && index.matching) return index.matching;
  return index.inStream;
}

/** How many of the ascending `positions` are below `limit`. */
export function countBelow(positions: readonly number[], limit: number): number {
  let lo = 0;
  let hi = positions.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((positions[mid] as number) < limit) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
