// @vitest-environment jsdom
// The chart wrapper: uPlot is created once, fed with setData, destroyed on unmount; an empty
// state under two points; the point count on the wrapper; nothing drawn where there is no canvas.
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { canDrawCharts, formatValue, TimeSeriesChart } from '../../../../renderer/components/chart/TimeSeriesChart.js';
import { readPalette, withAlpha } from '../../../../renderer/components/chart/palette.js';

const { plots, FakePlot } = vi.hoisted(() => {
  interface Plot {
    opts: {
      width: number;
      height: number;
      series: { label?: string; stroke?: unknown }[];
      legend?: { show?: boolean };
      hooks?: { setCursor?: ((u: { cursor: { idx: number | null } }) => void)[] };
      axes: { incrs: (u: unknown, i: number, min: number, max: number, dim: number) => number[]; splits: (u: unknown, i: number, min: number, max: number, incr: number) => number[]; values: (u: unknown, splits: number[], i: number, space: number, incr: number) => string[] }[];
    };
    data: unknown;
    target: HTMLElement;
    width: number;
    height: number;
    setData: ReturnType<typeof vi.fn>;
    setSize: ReturnType<typeof vi.fn>;
    redraw: ReturnType<typeof vi.fn>;
    destroy: ReturnType<typeof vi.fn>;
  }
  const plots: Plot[] = [];
  class FakePlot {
    width: number;
    height: number;
    setData = vi.fn();
    setSize = vi.fn();
    redraw = vi.fn();
    destroy = vi.fn();
    constructor(
      public opts: Plot['opts'],
      public data: unknown,
      public target: HTMLElement,
    ) {
      this.width = opts.width;
      this.height = opts.height;
      plots.push(this as unknown as Plot);
    }
  }
  return { plots, FakePlot };
});

vi.mock('uplot', () => ({ default: FakePlot }));

/** What uPlot needs to draw, which jsdom lacks: matchMedia and a 2D canvas context. */
function stubCanvas() {
  vi.stubGlobal('matchMedia', (query: string) => ({ matches: false, media: query, addEventListener: vi.fn(), removeEventListener: vi.fn() }));
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(() => ({}) as unknown as CanvasRenderingContext2D);
}

const T0 = 1_781_000_000;
const series = (n: number, from = 1000) => ({ t: Array.from({ length: n }, (_, i) => from + i), values: Array.from({ length: n }, (_, i) => i * 1.5) });

beforeEach(() => {
  plots.length = 0;
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('TimeSeriesChart', () => {
  it('creates the chart once and gives it new data with setData', async () => {
    stubCanvas();
    const first = series(3);
    const { rerender, container } = render(<TimeSeriesChart title="CPU" unit="%" series={first} ariaLabel="CPU of alpha" />);
    await waitFor(() => expect(plots).toHaveLength(1));
    const plot = plots[0];
    expect(plot?.data).toEqual([first.t, first.values]);
    expect(plot?.target).toBe(screen.getByRole('img', { name: 'CPU of alpha' }));
    expect(plot?.opts.series[1]?.label).toBe('CPU');
    const wrapper = container.querySelector('.ts-chart') as HTMLElement;
    await waitFor(() => expect(wrapper.dataset.drawn).toBe('true'));
    expect(wrapper.dataset.points).toBe('3');
    expect(plot?.setData).not.toHaveBeenCalled();

    const next = series(5);
    rerender(<TimeSeriesChart title="CPU" unit="%" series={next} ariaLabel="CPU of alpha" />);
    expect(plot?.setData).toHaveBeenCalledTimes(1);
    expect(plot?.setData).toHaveBeenLastCalledWith([next.t, next.values]);
    expect(wrapper.dataset.points).toBe('5');
    expect(plots).toHaveLength(1);
    expect(screen.getByText('6 %')).toBeTruthy(); // the latest value: 4 × 1.5

    // the same data again: nothing to draw
    rerender(<TimeSeriesChart title="CPU" unit="%" series={next} ariaLabel="CPU of alpha" />);
    expect(plot?.setData).toHaveBeenCalledTimes(1);
  });

  it("shows no uPlot legend: the caption gives the value under the cursor and its time, else the latest", async () => {
    stubCanvas();
    const data = { t: [T0, T0 + 1, T0 + 2], values: [10, 12.5, 30] };
    const { container } = render(<TimeSeriesChart title="CPU" unit="%" series={data} ariaLabel="CPU of alpha" />);
    await waitFor(() => expect(plots).toHaveLength(1));
    const plot = plots[0]!;
    expect(plot.opts.legend?.show).toBe(false);
    const caption = container.querySelector('figcaption') as HTMLElement;
    expect(caption.textContent).toBe('CPU30 %');
    act(() => plot.opts.hooks?.setCursor?.forEach((hook) => hook({ cursor: { idx: 1 } })));
    expect(caption.querySelector('.ts-chart__value')?.textContent).toBe('12.5 %');
    expect(caption.querySelector('.ts-chart__time')?.textContent).toMatch(/^ at \d\d:\d\d:\d\d$/);
    act(() => plot.opts.hooks?.setCursor?.forEach((hook) => hook({ cursor: { idx: null } })));
    expect(caption.textContent).toBe('CPU30 %');
    expect(caption.querySelector('.ts-chart__time')).toBeNull();
  });

  it('gives uPlot whole-second time ticks with HH:MM:SS labels and round value ticks with the unit', async () => {
    stubCanvas();
    render(<TimeSeriesChart title="Memory" unit="MB" series={{ t: [T0, T0 + 3], values: [40, 45] }} ariaLabel="Memory" />);
    await waitFor(() => expect(plots).toHaveLength(1));
    const [x, y] = plots[0]!.opts.axes;
    const [step] = x!.incrs(null, 0, T0, T0 + 3, 300);
    expect(step).toBe(1);
    const ticks = x!.splits(null, 0, T0 + 0.5, T0 + 3, step!);
    expect(ticks).toEqual([T0 + 1, T0 + 2, T0 + 3]);
    for (const label of x!.values(null, ticks, 0, 0, step!)) expect(label).toMatch(/^\d\d:\d\d:\d\d$/);
    const [ystep] = y!.incrs(null, 1, 0, 50, 90);
    expect(y!.values(null, y!.splits(null, 1, 0, 50, ystep!), 1, 0, ystep!)).toEqual(['0 MB', '20 MB', '40 MB']);
  });

  it('destroys the chart on unmount', async () => {
    stubCanvas();
    const { unmount } = render(<TimeSeriesChart title="Memory" unit="MB" series={series(4)} ariaLabel="Memory of alpha" />);
    await waitFor(() => expect(plots).toHaveLength(1));
    unmount();
    expect(plots[0]?.destroy).toHaveBeenCalledTimes(1);
  });

  it('creates nothing when unmounted before uPlot loaded', async () => {
    stubCanvas();
    const { unmount } = render(<TimeSeriesChart title="Memory" unit="MB" series={series(4)} ariaLabel="Memory of alpha" />);
    unmount();
    await act(async () => {
      await import('uplot');
    });
    expect(plots).toHaveLength(0);
  });

  it('shows the empty state under two points', async () => {
    stubCanvas();
    const { container, rerender } = render(<TimeSeriesChart title="CPU" unit="%" series={series(1)} ariaLabel="CPU" emptyText="No samples yet." />);
    expect(screen.getByText('No samples yet.')).toBeTruthy();
    expect((container.querySelector('.ts-chart') as HTMLElement).dataset.points).toBe('1');
    rerender(<TimeSeriesChart title="CPU" unit="%" series={series(2)} ariaLabel="CPU" emptyText="No samples yet." />);
    expect(screen.queryByText('No samples yet.')).toBeNull();
  });

  it('draws nothing where there is no canvas (jsdom), but still shows the title and the count', async () => {
    expect(canDrawCharts()).toBe(false);
    const { container } = render(<TimeSeriesChart title="CPU" unit="%" series={series(3)} ariaLabel="CPU" />);
    await act(async () => {});
    expect(plots).toHaveLength(0);
    const wrapper = container.querySelector('.ts-chart') as HTMLElement;
    expect(wrapper.dataset.points).toBe('3');
    expect(wrapper.dataset.drawn).toBe('false');
    expect(screen.getByText('CPU')).toBeTruthy();
  });

  it('reads its colours from the design tokens', () => {
    document.documentElement.style.setProperty('--accent', '#102030');
    document.documentElement.style.setProperty('--muted', '#777777');
    const palette = readPalette(document.documentElement, '--accent');
    expect(palette.line).toBe('#102030');
    expect(palette.fill).toBe('rgba(16, 32, 48, 0.14)');
    expect(palette.text).toBe('#777777');
    expect(withAlpha('rgb(1, 2, 3)', 0.5)).toBe('rgba(1, 2, 3, 0.5)');
    expect(withAlpha('red', 0.5)).toBe('red');
    document.documentElement.style.removeProperty('--accent');
    document.documentElement.style.removeProperty('--muted');
  });

  it('formats values with their unit', () => {
    expect(formatValue(12.345, '%')).toBe('12.3 %');
    expect(formatValue(0.25, '%')).toBe('0.25 %');
    expect(formatValue(512, 'MB')).toBe('512 MB');
    expect(formatValue(2, '')).toBe('2');
    expect(formatValue(null, 'MB')).toBe('—');
  });
});
