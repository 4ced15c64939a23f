// Small statistics over the samples: median with min and max, grouping, ratios. Pure.

/**
 * Median, min and max of the finite numbers in `values` (null when there are none).
 * @param {(number | null | undefined)[]} values
 * @returns {{ median: number, min: number, max: number, count: number } | null}
 */
export function summarize(values) {
  const xs = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (xs.length === 0) return null;
  const mid = Math.floor(xs.length / 2);
  const median = xs.length % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
  return { median, min: xs[0], max: xs[xs.length - 1], count: xs.length };
}

/**
 * The ratio of two medians, or null when either is missing or the divisor is 0.
 * @param {{ median: number } | null | undefined} a
 * @param {{ median: number } | null | undefined} b
 */
export function ratio(a, b) {
  if (!a || !b || !b.median) return null;
  return a.median / b.median;
}

/**
 * The values of one metric over the samples that match.
 * @param {{ tool: string, scenario: string, n: number, ok: boolean, metrics: Record<string, unknown> }[]} samples
 * @param {{ tool: string, scenario: string, n?: number, metric: string }} which
 * @returns {number[]}
 */
export function metricValues(samples, which) {
  return samples
    .filter((s) => s.ok && s.tool === which.tool && s.scenario === which.scenario && (which.n === undefined || s.n === which.n))
    .map((s) => s.metrics[which.metric])
    .filter((v) => typeof v === 'number' && Number.isFinite(v));
}

/** Summary of one metric of one tool (and N). @param {Parameters<typeof metricValues>[0]} samples @param {Parameters<typeof metricValues>[1]} which */
export function metricSummary(samples, which) {
  return summarize(metricValues(samples, which));
}
