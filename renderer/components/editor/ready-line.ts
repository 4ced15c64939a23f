// The ready line's live test: the regular expression tried on an agent's recent output lines, as
// the host tries it on each line of a run (the first match makes the agent ready). Pure.

export type ReadyLineTest =
  /** Nothing typed. */
  | { kind: 'blank' }
  /** It does not compile; `message` is the engine's reason. */
  | { kind: 'invalid'; message: string }
  /** No lines to try it on. */
  | { kind: 'no-lines' }
  /** `line` is the first of `lines` that matches; `matches` of them match in all. */
  | { kind: 'match'; line: string; matches: number; scanned: number }
  | { kind: 'no-match'; scanned: number };

/** Tries `source` on `lines` (oldest first). */
export function testReadyLine(source: string, lines: readonly string[]): ReadyLineTest {
  if (source === '') return { kind: 'blank' };
  let re: RegExp;
  try {
    re = new RegExp(source);
  } catch (err) {
    return { kind: 'invalid', message: (err as Error).message };
  }
  if (lines.length === 0) return { kind: 'no-lines' };
  let first: string | null = null;
  let matches = 0;
  for (const line of lines) {
    if (!re.test(line)) continue;
    matches++;
    first ??= line;
  }
  return first === null ? { kind: 'no-match', scanned: lines.length } : { kind: 'match', line: first, matches, scanned: lines.length };
}
