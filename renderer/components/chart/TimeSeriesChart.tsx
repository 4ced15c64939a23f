// A small time-series chart: a uPlot canvas created once, fed new data with setData, resized with
// its box, destroyed on unmount. Its caption is the legend (the value under the cursor, else the
// latest); the axes' ticks and labels come from time-axis.ts. uPlot is loaded only where it can
// draw (it needs a canvas and matchMedia; jsdom has neither), so it also renders in tests without.
import { useEffect, useRef, useState } from 'react';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatClock } from '../../store/format.js';
import { readPalette, type ChartPalette } from './palette.js';
import { formatTimeTick, formatValueTick, timeLabelFormat, timeStep, timeTicks, valueRange, valueStep, valueTicks } from './time-axis.js';
import './chart.css';

export interface TimeSeries {
  /** Times in seconds (epoch), ascending. */
  t: number[];
  values: number[];
}

export interface TimeSeriesChartProps {
  title: string;
  /** Shown after values: "%", "MB". */
  unit: string;
  series: TimeSeries;
  /** Height of the plot in px (default 140). */
  height?: number;
  /** The chart's accessible name. */
  ariaLabel: string;
  /** The design token the line is drawn in (default --accent). */
  colourToken?: string;
  /** Shown instead of the plot while there are fewer than two points. */
  emptyText?: string;
}

const DEFAULT_HEIGHT = 140;
/** The width used until the box reports its own. */
const FALLBACK_WIDTH = 360;

/** True where uPlot can draw: a 2D canvas and matchMedia (which uPlot calls when it loads). */
export function canDrawCharts(): boolean {
  if (typeof window === 'undefined' || typeof window.matchMedia !== 'function') return false;
  try {
    return document.createElement('canvas').getContext('2d') !== null;
  } catch {
    return false;
  }
}

/** A value as axis and legend show it: "12.5 %", "512 MB". */
export function formatValue(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  const text = abs >= 100 || Number.isInteger(value) ? String(Math.round(value)) : value.toFixed(abs >= 10 ? 1 : 2).replace(/\.?0+$/, '');
  return unit ? `${text} ${unit}` : text;
}

/** The number of points both arrays have. */
function pointCount(series: TimeSeries): number {
  return Math.min(series.t.length, series.values.length);
}

function toData(series: TimeSeries): uPlot.AlignedData {
  const n = pointCount(series);
  const t = series.t.length === n ? series.t : series.t.slice(0, n);
  const v = series.values.length === n ? series.values : series.values.slice(0, n);
  return [t, v];
}

/** The width (px) a value axis needs for its longest label. */
function valueAxisSize(values: readonly (string | number | null)[] | undefined): number {
  const longest = Math.max(3, ...(values ?? []).map((v) => String(v ?? '').length));
  return Math.ceil(longest * 6.5) + 18;
}

/**
 * uPlot's options; colours are functions of `palette`, so a redraw picks up a new one. No legend of
 * uPlot's (the caption is the legend); ticks and labels from time-axis.ts; the cursor's point goes
 * to `onCursor` (its index, or null when it leaves).
 */
function chartOptions(props: { title: string; unit: string; width: number; height: number }, palette: { current: ChartPalette }, onCursor: (idx: number | null) => void): uPlot.Options {
  const { title, unit } = props;
  const axis = (extra: Partial<uPlot.Axis>): uPlot.Axis => ({
    stroke: () => palette.current.text,
    grid: { stroke: () => palette.current.grid, width: 1 },
    ticks: { stroke: () => palette.current.grid, width: 1 },
    font: '11px system-ui, sans-serif',
    ...extra,
  });
  return {
    width: props.width,
    height: props.height,
    class: 'ts-chart__uplot',
    cursor: { drag: { x: false, y: false } },
    legend: { show: false },
    scales: {
      x: { time: true },
      y: { range: (_u, _min, max) => valueRange(max) },
    },
    axes: [
      axis({
        space: 0,
        incrs: (_u, _i, min, max, dim) => [timeStep(max - min, dim)],
        splits: (_u, _i, min, max, incr) => timeTicks(min, max, incr),
        values: (_u, splits, _i, _space, incr) => splits.map((t) => formatTimeTick(t, timeLabelFormat(incr))),
      }),
      axis({
        space: 0,
        size: (_u, values) => valueAxisSize(values),
        incrs: (_u, _i, min, max, dim) => [valueStep(max - min, dim)],
        splits: (_u, _i, _min, max, incr) => valueTicks(max, incr),
        values: (_u, splits, _i, _space, incr) => splits.map((v) => formatValueTick(v, incr, unit)),
      }),
    ],
    series: [
      {},
      {
        label: title,
        stroke: () => palette.current.line,
        fill: () => palette.current.fill,
        width: 1.5,
        points: { show: false },
      },
    ],
    hooks: { setCursor: [(u) => onCursor(u.cursor.idx ?? null)] },
  };
}

/** What the caption shows: the value under the cursor and its time, else the latest value. */
export function legendText(series: TimeSeries, cursorIdx: number | null, unit: string): { value: string; time: string | null } {
  const n = pointCount(series);
  if (cursorIdx !== null && cursorIdx >= 0 && cursorIdx < n) return { value: formatValue(series.values[cursorIdx], unit), time: formatClock((series.t[cursorIdx] as number) * 1000) };
  return { value: formatValue(n > 0 ? series.values[n - 1] : null, unit), time: null };
}

/** A chart of one series over time. */
export function TimeSeriesChart({ title, unit, series, height = DEFAULT_HEIGHT, ariaLabel, colourToken = '--accent', emptyText = 'Not enough samples yet.' }: TimeSeriesChartProps) {
  const hostRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<uPlot | null>(null);
  /** The series the chart shows (so the chart is not given the same data twice). */
  const shownRef = useRef<TimeSeries | null>(null);
  const latestRef = useRef({ series, title, unit, height, colourToken });
  latestRef.current = { series, title, unit, height, colourToken };
  const [drawn, setDrawn] = useState(false);
  /** The point under the cursor, or null. */
  const [cursorIdx, setCursorIdx] = useState<number | null>(null);

  // create the chart once (uPlot loads on first use), and end it with the component
  useEffect(() => {
    const host = hostRef.current;
    if (!host || !canDrawCharts()) return;
    let ended = false;
    let resize: ResizeObserver | null = null;
    let scheme: MediaQueryList | null = null;
    const palette = { current: readPalette(host, latestRef.current.colourToken) };
    const onScheme = () => {
      palette.current = readPalette(host, latestRef.current.colourToken);
      chartRef.current?.redraw(false);
    };
    void import('uplot').then(({ default: UPlot }) => {
      if (ended) return;
      const { series: data, title: t, unit: u, height: h } = latestRef.current;
      const chart = new UPlot(chartOptions({ title: t, unit: u, width: host.clientWidth || FALLBACK_WIDTH, height: h }, palette, (idx) => {
          if (!ended) setCursorIdx(idx);
        }), toData(data), host);
      chartRef.current = chart;
      shownRef.current = data;
      if (typeof ResizeObserver !== 'undefined') {
        resize = new ResizeObserver(() => {
          const width = host.clientWidth;
          if (width > 0 && width !== chart.width) chart.setSize({ width, height: latestRef.current.height });
        });
        resize.observe(host);
      }
      scheme = window.matchMedia('(prefers-color-scheme: dark)');
      scheme.addEventListener('change', onScheme);
      setDrawn(true);
    });
    return () => {
      ended = true;
      resize?.disconnect();
      scheme?.removeEventListener('change', onScheme);
      chartRef.current?.destroy();
      chartRef.current = null;
      shownRef.current = null;
    };
  }, []);

  // new data: drawn without creating the chart again
  useEffect(() => {
    const chart = chartRef.current;
    if (!chart || shownRef.current === series) return;
    chart.setData(toData(series));
    shownRef.current = series;
  }, [series, drawn]);

  useEffect(() => {
    const chart = chartRef.current;
    if (chart && chart.height !== height) chart.setSize({ width: chart.width, height });
  }, [height, drawn]);

  const n = pointCount(series);
  const legend = legendText(series, cursorIdx, unit);
  return (
    <figure className="ts-chart" data-points={n} data-drawn={drawn ? 'true' : 'false'}>
      <figcaption className="ts-chart__head">
        <span className="ts-chart__title">{title}</span>
        <span className="ts-chart__legend" title={legend.time ? 'Under the cursor' : 'The latest sample'}>
          <span className="ts-chart__value">{legend.value}</span>
          {legend.time && <span className="ts-chart__time"> at {legend.time}</span>}
        </span>
      </figcaption>
      <div className={n < 2 ? 'ts-chart__plot ts-chart__plot--empty' : 'ts-chart__plot'} style={{ minHeight: height }}>
        <div ref={hostRef} className="ts-chart__host" role="img" aria-label={ariaLabel} />
        {n < 2 && <p className="ts-chart__empty muted">{emptyText}</p>}
      </div>
    </figure>
  );
}
