// Pure memory trend over an agent's sample history: how fast it grows and when it reaches its limit.
import type { ResourceSample } from '../../../shared/status.js';

export interface MemoryTrend {
  /** Least-squares slope of memoryMB over the window, MB per minute (0 with fewer than two samples). */
  slopeMBPerMinute: number;
  /** Minutes until the newest reading, growing at that slope, reaches the limit; null when not growing, too few samples, or already over. */
  minutesToLimit: number | null;
}

export interface MemoryTrendOptions {
  /** How far back from the newest sample to look; default 5 minutes. */
  windowMs?: number;
  /** The fewest samples in the window for an estimate; default 5. */
  minSamples?: number;
}

/** The least-squares slope of memory over the last windowMs of history and the minutes left until limitMB. */
export function memoryTrend(history: readonly ResourceSample[], limitMB: number, opts: MemoryTrendOptions = {}): MemoryTrend {
  const windowMs = opts.windowMs ?? 300_000;
  const minSamples = Math.max(2, opts.minSamples ?? 5);
  const newest = history.reduce<ResourceSample | null>((a, s) => (a === null || s.at >= a.at ? s : a), null);
  if (newest === null) return { slopeMBPerMinute: 0, minutesToLimit: null };
  const window = history.filter((s) => s.at >= newest.at - windowMs && s.at <= newest.at);
  const slope = leastSquaresSlope(window.map((s) => [(s.at - newest.at) / 60_000, s.memoryMB]));
  const enough = window.length >= minSamples;
  const minutesToLimit = enough && slope > 0 && newest.memoryMB < limitMB ? (limitMB - newest.memoryMB) / slope : null;
  return { slopeMBPerMinute: slope, minutesToLimit };
}

/** The slope of the least-squares line through points [x, y]; 0 with fewer than two distinct x. */
function leastSquaresSlope(points: readonly (readonly [number, number])[]): number {
  const n = points.length;
  if (n < 2) return 0;
  let sx = 0;
  let sy = 0;
  for (const [x, y] of points) {
    sx += x;
    sy += y;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  for (const [x, y] of points) {
    sxy += (x - mx) * (y - my);
    sxx += (x - mx) * (x - mx);
  }
  return sxx > 0 ? sxy / sxx : 0;
}

/** A memory size for people: MB below 1024 MB, else GB with at most one decimal ("512 MB", "2 GB", "1.5 GB"). */
export function formatMB(mb: number): string {
  if (Math.round(mb) < 1024) return `${Math.round(mb)} MB`;
  return `${Math.round((mb / 1024) * 10) / 10} GB`;
}

/** "researcher will reach its 2 GB limit in about 6 minutes". */
export function describeTrend(name: string, limitMB: number, minutes: number): string {
  const rounded = Math.round(minutes);
  let when: string;
  if (minutes < 1) when = 'in less than a minute';
  else if (rounded < 90) when = `in about ${rounded} minute${rounded === 1 ? '' : 's'}`;
  else {
    const hours = Math.round((minutes / 60) * 10) / 10;
    when = `in about ${hours} hour${hours === 1 ? '' : 's'}`;
  }
  return `${name} will reach its ${formatMB(limitMB)} limit ${when}`;
}
