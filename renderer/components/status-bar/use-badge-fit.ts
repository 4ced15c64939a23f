// Measures the status bar's room and its badges (in a hidden ruler) after each render and decides
// how they fit one row. Where nothing can be measured (jsdom, before layout) every badge is shown.
import { useLayoutEffect, useState, type RefObject } from 'react';
import { fitBadges, type Fit } from './badge-fit.js';

const GAP = 6;

/** The fit for `count` badges: `row` is the badges' box, `ruler` holds each badge in full, then a dot, then "+N more". */
export function useBadgeFit(row: RefObject<HTMLElement | null>, ruler: RefObject<HTMLElement | null>, count: number): Fit {
  const [fit, setFit] = useState<Fit>({ mode: 'full', shown: count });
  const [width, setWidth] = useState(0);

  // the row's width follows the window
  useLayoutEffect(() => {
    const el = row.current;
    if (!el) return;
    const read = () => setWidth(el.clientWidth);
    read();
    if (typeof ResizeObserver === 'undefined') {
      window.addEventListener('resize', read);
      return () => window.removeEventListener('resize', read);
    }
    const observer = new ResizeObserver(read);
    observer.observe(el);
    return () => observer.disconnect();
  }, [row]);

  // badges change width as uptimes tick: measure after every render, update only on a change
  useLayoutEffect(() => {
    const items = ruler.current ? Array.from(ruler.current.children) as HTMLElement[] : [];
    let next: Fit = { mode: 'full', shown: count };
    if (width > 0 && items.length === count + 2) {
      const widths = items.map((i) => i.offsetWidth);
      next = fitBadges({ available: width, fullWidths: widths.slice(0, count), dotWidth: widths[count] ?? 0, moreWidth: widths[count + 1] ?? 0, gap: GAP });
    }
    if (next.mode !== fit.mode || next.shown !== fit.shown) setFit(next);
  });

  return fit.shown > count ? { ...fit, shown: count } : fit;
}
