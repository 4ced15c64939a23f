// The soak's figures, pure: the per-iteration line, the summary of all iterations, and the
// closing line.

/**
 * The p-th percentile (0–100, nearest rank) of the finite numbers, or null when there are none.
 * @param {number[]} values @param {number} p
 */
export function percentile(values, p) {
  const xs = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  const rank = Math.max(1, Math.ceil((p / 100) * xs.length));
  return xs[Math.min(rank, xs.length) - 1];
}

/**
 * @typedef {{
 *   iteration: number, action: string, startedFirst?: boolean, delayMs: number, actionDone: boolean, restartMs: number | null,
 *   violations: { name: string, kind: string, state: string, pids: number[], hostPid: number | null }[],
 *   lostSaves: { name: string, expected: string[], found: string }[],
 *   unparsable: { file: string, error: string }[], stillUnparsable: string[],
 *   leftover: number, killed: number, saves: { acked: number, unanswered: number, refused: number },
 *   running: number, total: number, after: 'left-running' | 'stop-all', error?: string,
 * }} Iteration
 */

/** True when the iteration kept every invariant. @param {Iteration} it */
export const passed = (it) => !it.error && it.violations.length === 0 && it.lostSaves.length === 0 && it.unparsable.length === 0 && it.leftover === 0;

/** How many agents of one kind of violation an iteration line names (the JSON has them all). */
const SHOWN = 3;

/** The items by key, in the order keys first appear. @template T @param {T[]} items @param {(t: T) => string} key */
function groupBy(items, key) {
  const out = new Map();
  for (const item of items) out.set(key(item), [...(out.get(key(item)) ?? []), item]);
  return out;
}

/** One line for an iteration. @param {Iteration} it @param {number} of */
export function iterationLine(it, of) {
  const width = String(of).length;
  const saves = it.action === 'saves' ? ` (${it.saves.acked} saves answered, ${it.saves.unanswered} not)` : '';
  const first = it.startedFirst ? ' (after a start-all)' : '';
  const head = `[${String(it.iteration).padStart(width)}/${of}] ${it.action.padEnd(9)}${first} kill at ${String(it.delayMs).padStart(3)} ms${it.actionDone ? ' (after it answered)' : ''}${saves}`;
  const restart = it.restartMs === null ? 'no host' : `host up in ${Math.round(it.restartMs)} ms`;
  const still = it.stillUnparsable?.length ? `, ${it.stillUnparsable.join(' and ')} still unparsable from before` : '';
  const body = `${restart}, ${it.running}/${it.total} running${still}, then ${it.after}`;
  if (passed(it)) return `${head}: ok; ${body}`;
  const what = [];
  if (it.error) what.push(it.error);
  for (const [kind, list] of groupBy(it.violations, (v) => v.kind)) {
    const shown = list.slice(0, SHOWN).map((v) => `${v.name} (host: ${v.state}${v.hostPid ? ` pid ${v.hostPid}` : ''}; pids ${v.pids.join(',') || 'none'})`);
    what.push(`${kind} x${list.length}: ${shown.join(', ')}${list.length > SHOWN ? ', …' : ''}`);
  }
  for (const l of it.lostSaves) what.push(`lost save ${l.name} (expected ${l.expected.join(' or ')}, found ${l.found})`);
  for (const u of it.unparsable) what.push(`unparsable ${u.file}: ${u.error}`);
  if (it.leftover) what.push(`${it.leftover} processes left after stop-all`);
  return `${head}: FAIL ${what.join('; ')}; ${body}`;
}

/** Whole milliseconds, null kept. @param {number | null} ms */
const round = (ms) => (ms === null ? null : Math.round(ms));

/**
 * The summary of a run.
 * @param {Iteration[]} iterations
 * @param {{ leftoverAtEnd: number, durationS: number }} end
 */
export function summarize(iterations, end) {
  const kills = {};
  for (const it of iterations) {
    const k = (kills[it.action] ??= { kills: 0, duringAction: 0 });
    k.kills++;
    if (!it.actionDone) k.duringAction++;
  }
  const byKind = {};
  for (const it of iterations) for (const v of it.violations) byKind[v.kind] = (byKind[v.kind] ?? 0) + 1;
  const restarts = iterations.map((it) => it.restartMs).filter((v) => typeof v === 'number');
  const pass = iterations.filter(passed).length;
  const sum = (f) => iterations.reduce((s, it) => s + f(it), 0);
  return {
    iterations: iterations.length,
    passed: pass,
    failed: iterations.length - pass,
    killsPerPhase: kills,
    duplicates: byKind.duplicate ?? 0,
    violationsByKind: byKind,
    agentsWithViolations: sum((it) => it.violations.length),
    lostSaves: sum((it) => it.lostSaves.length),
    saves: { acked: sum((it) => it.saves.acked), unanswered: sum((it) => it.saves.unanswered), refused: sum((it) => it.saves.refused) },
    unparsableFiles: sum((it) => it.unparsable.length),
    leftoverAfterStopAll: sum((it) => it.leftover),
    leftoverAtEnd: end.leftoverAtEnd,
    escapedProcessesKilled: sum((it) => it.killed),
    hostErrors: iterations.filter((it) => it.error).length,
    hostRestartMs: { p50: round(percentile(restarts, 50)), max: restarts.length ? round(Math.max(...restarts)) : null, count: restarts.length },
    durationS: end.durationS,
  };
}

/** The closing line: iterations that kept every invariant, and those that did not. @param {{ passed: number, iterations: number }} s */
export const closingLine = (s) => `${s.passed} passed, ${s.iterations - s.passed} failed`;
