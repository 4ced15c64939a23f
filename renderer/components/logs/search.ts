// The log's search: one case-insensitive matcher for filtering and highlighting, so that a line
// counted as a match is a line with something highlighted.
import { escapeRegExp } from '../../../shared/regexp.js';

export interface LogMatcher {
  /** The query as typed. */
  query: string;
  /** True when the text contains the query. */
  test(text: string): boolean;
  /** Where the query occurs in the text: [start, end) ranges, in order, not overlapping. */
  ranges(text: string): [number, number][];
}

/** A matcher for `query`, or null when the query is empty (nothing to match). */
export function makeMatcher(query: string): LogMatcher | null {
  if (query === '') return null;
  const source = escapeRegExp(query);
  const once = new RegExp(source, 'i');
  return {
    query,
    test: (text) => once.test(text),
    ranges(text) {
      const all = new RegExp(source, 'gi');
      const out: [number, number][] = [];
      for (let m = all.exec(text); m !== null; m = all.exec(text)) out.push([m.index, m.index + m[0].length]);
      return out;
    },
  };
}
