// The rows of the log view: stream and search filters, updated line by line as the log grows.
import { describe, expect, it } from 'vitest';
import { appendedSince, countBelow, rowPositions, updateLogIndex } from '../../../../renderer/components/logs/log-index.js';
import { appendLogLines, mergeLogBacklog } from '../../../../renderer/store/reducers.js';
import { emptyRing } from '../../../../renderer/store/ring.js';
import type { AgentLog, LogEntry } from '../../../../renderer/store/types.js';
import type { LogLine } from '../../../../shared/status.js';

const emptyLog = (cap = 1000): AgentLog => ({ lines: emptyRing<LogEntry>(cap), nextSeq: 0, backlog: 'none', dropped: 0, expected: null });
const out = (text: string, at = 1): LogLine => ({ stream: 'stdout', at, text });
const err = (text: string, at = 1): LogLine => ({ stream: 'stderr', at, text });

describe('updateLogIndex', () => {
  it('shows every line without filters (no position list at all)', () => {
    const log = appendLogLines(emptyLog(), [out('a'), err('b')]);
    const index = updateLogIndex(null, log, 'all', '');
    expect(index.inStream).toBeNull();
    expect(index.matching).toBeNull();
    expect(rowPositions(index, true)).toBeNull();
  });

  it('filters by stream and by query (on the text without colour codes)', () => {
    const log = appendLogLines(emptyLog(), [out('Error one'), err('\x1b[31mERR\x1b[0mOR two'), out('fine'), err('warning')]);
    const index = updateLogIndex(null, log, 'all', 'error');
    expect(index.matching).toEqual([0, 1]);
    expect(rowPositions(index, true)).toEqual([0, 1]);
    expect(rowPositions(index, false)).toBeNull();
    const stderr = updateLogIndex(index, log, 'stderr', 'error');
    expect(stderr.inStream).toEqual([1, 3]);
    expect(stderr.matching).toEqual([1]);
  });

  it('returns the same index for the same log and filters', () => {
    const log = appendLogLines(emptyLog(), [out('a')]);
    const index = updateLogIndex(null, log, 'stdout', 'a');
    expect(updateLogIndex(index, log, 'stdout', 'a')).toBe(index);
  });

  it('updates incrementally as lines arrive and the oldest drop, with the same result as from scratch', () => {
    let log = emptyLog(5);
    let index = updateLogIndex(null, log, 'stderr', 'x');
    const batches: LogLine[][] = [[out('x1'), err('x2')], [err('y3'), err('x4')], [out('x5'), err('x6'), err('x7')], [err('x8')]];
    for (const batch of batches) {
      const prev = log;
      log = appendLogLines(log, batch);
      expect(appendedSince(prev, log)).not.toBeNull();
      index = updateLogIndex(index, log, 'stderr', 'x');
      const fresh = updateLogIndex(null, log, 'stderr', 'x');
      expect(index.inStream).toEqual(fresh.inStream);
      expect(index.matching).toEqual(fresh.matching);
    }
    // kept: x4 x5(stdout) x6 x7 x8
    expect(log.dropped).toBe(3);
    expect(index.matching).toEqual([0, 2, 3, 4]);
  });

  it('starts again when a backlog is merged before the live lines', () => {
    const live = appendLogLines(emptyLog(), [err('live x', 5000)]);
    const index = updateLogIndex(null, live, 'all', 'x');
    const merged = mergeLogBacklog(live, [{ ts: new Date(1000).toISOString(), stream: 'stderr', text: 'old x' }]);
    expect(appendedSince(live, merged)).toBeNull();
    expect(updateLogIndex(index, merged, 'all', 'x').matching).toEqual([0, 1]);
  });

  it('describes a missing log as empty', () => {
    const index = updateLogIndex(null, undefined, 'stdout', 'q');
    expect(index.inStream).toEqual([]);
    expect(index.matching).toEqual([]);
  });
});

describe('countBelow', () => {
  it('counts the positions below a limit', () => {
    expect(countBelow([], 3)).toBe(0);
    expect(countBelow([0, 2, 4, 6], 0)).toBe(0);
    expect(countBelow([0, 2, 4, 6], 3)).toBe(2);
    expect(countBelow([0, 2, 4, 6], 4)).toBe(2);
    expect(countBelow([0, 2, 4, 6], 99)).toBe(4);
  });
});
