// Secret values in an agent's output are masked before a line is kept in memory or sent to a
// client: a literal replace (no regular expression to build or to go wrong), longest value first.
import { LOG_MASK_MIN_LENGTH, LOG_SECRET_MASK } from '../../../shared/env.js';

export type Masker = (text: string) => string;

/** A function that masks every value of `values` (each line of a multi-line one) of at least LOG_MASK_MIN_LENGTH characters; null when none is that long. */
export function secretMasker(values: Iterable<string>): Masker | null {
  const pieces = new Set<string>();
  for (const value of values) {
    for (const piece of value.split(/\r?\n/)) {
      const trimmed = piece.trim();
      if (trimmed.length >= LOG_MASK_MIN_LENGTH) pieces.add(trimmed);
    }
  }
  if (pieces.size === 0) return null;
  const ordered = [...pieces].sort((a, b) => b.length - a.length); // a value that contains another is masked whole
  return (text) => {
    let out = text;
    for (const piece of ordered) if (out.includes(piece)) out = out.split(piece).join(LOG_SECRET_MASK);
    return out;
  };
}
