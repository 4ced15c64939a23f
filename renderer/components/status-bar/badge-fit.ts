// Which badges the status bar shows, and how, so that it stays one row: failing and waiting agents
// first, full badges while they fit, then dots, then as many dots as fit and "+N more" for the rest.
import type { BadgeModel } from '../../store/selectors.js';

/** Failing (red) first, then waiting or changing (yellow), then running, then stopped; the host's order within each. */
export function orderBadges(badges: readonly BadgeModel[]): BadgeModel[] {
  const rank: Record<BadgeModel['colour'], number> = { red: 0, yellow: 1, green: 2, grey: 3 };
  return badges.map((b, i) => ({ b, i })).sort((x, y) => rank[x.b.colour] - rank[y.b.colour] || x.i - y.i).map((x) => x.b);
}

export interface FitInput {
  /** Room for the badges, in px. */
  available: number;
  /** Each badge's width in full (name, uptime), in the order shown. */
  fullWidths: readonly number[];
  /** A badge's width as a dot. */
  dotWidth: number;
  /** The "+N more" button's width. */
  moreWidth: number;
  /** The gap between two badges. */
  gap: number;
}

export interface Fit {
  mode: 'full' | 'dots';
  /** How many badges are shown in the row; the rest are behind "+N more". */
  shown: number;
}

/** The width of `count` items of `width` each with gaps between. */
function rowWidth(widths: readonly number[], gap: number): number {
  return widths.reduce((sum, w) => sum + w, 0) + Math.max(0, widths.length - 1) * gap;
}

/** The largest layout that fits `available`: every badge in full, else every badge as a dot, else dots and "+N more". */
export function fitBadges({ available, fullWidths, dotWidth, moreWidth, gap }: FitInput): Fit {
  const n = fullWidths.length;
  if (rowWidth(fullWidths, gap) <= available) return { mode: 'full', shown: n };
  if (n * dotWidth + (n - 1) * gap <= available) return { mode: 'dots', shown: n };
  // k dots, a gap, and the "+N more" button
  const room = available - moreWidth - gap;
  const shown = Math.max(0, Math.min(n, Math.floor((room + gap) / (dotWidth + gap))));
  return { mode: 'dots', shown };
}
