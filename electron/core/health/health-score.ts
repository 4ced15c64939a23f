// The 0–100 health score of an agent: recent probe results, restarts and limit violations
// weighed together, capped by the health state.
import type { HealthState, ProbeResult } from '../../../shared/status.js';

export interface HealthScoreInput {
  state: HealthState;
  /** The recent probe results, oldest first (empty when the agent has no probe or none ran yet). */
  recent: readonly ProbeResult[];
  /** Automatic restarts within the window the caller counts over. */
  restartsInWindow: number;
  /** Limit violations within the same window. */
  violationsInWindow: number;
}

/** Points the probe results can cost (most weight). */
export const PROBE_WEIGHT = 60;
/** Points one restart costs, and the most restarts can cost together. */
export const RESTART_COST = 10;
export const RESTART_CAP = 40;
/** Points one limit violation costs, and the most violations can cost together. */
export const VIOLATION_COST = 10;
export const VIOLATION_CAP = 30;
/** The highest score an unhealthy agent can have. */
export const UNHEALTHY_CAP = 30;

/**
 * The success ratio of `recent`, newer results weighing more: of n results the i-th (0 = oldest)
 * weighs n + i, so the newest weighs about twice the oldest and every failure still costs (with
 * 20 results, each failure costs at least 2 points of the score). 1 when empty.
 */
export function weightedSuccessRatio(recent: readonly ProbeResult[]): number {
  if (recent.length === 0) return 1;
  const n = recent.length;
  let total = 0;
  let good = 0;
  recent.forEach((r, i) => {
    total += n + i;
    if (r.ok) good += n + i;
  });
  return good / total;
}

/** A count as a whole number ≥ 0 (NaN and negatives count as 0). */
function count(n: number): number {
  return Number.isFinite(n) && n > 0 ? Math.floor(n) : 0;
}

/**
 * score = 100
 *       − PROBE_WEIGHT × (1 − r)                          r: weightedSuccessRatio(recent), 1 without probes
 *       − min(RESTART_CAP, RESTART_COST × restarts)
 *       − min(VIOLATION_CAP, VIOLATION_COST × violations)
 * rounded and clamped to 0–100; then 'unhealthy' caps it at UNHEALTHY_CAP and 'zombie' makes it 0.
 * So an agent with no probe ('unknown', no results) is scored on its restarts and violations only,
 * and an agent whose probes all pass with no restarts and no violations scores 100.
 */
export function healthScore(input: HealthScoreInput): number {
  if (input.state === 'zombie') return 0;
  const probeCost = PROBE_WEIGHT * (1 - weightedSuccessRatio(input.recent));
  const restartCost = Math.min(RESTART_CAP, RESTART_COST * count(input.restartsInWindow));
  const violationCost = Math.min(VIOLATION_CAP, VIOLATION_COST * count(input.violationsInWindow));
  let score = Math.round(100 - probeCost - restartCost - violationCost);
  score = Math.max(0, Math.min(100, score));
  if (input.state === 'unhealthy') score = Math.min(score, UNHEALTHY_CAP);
  return score;
}
