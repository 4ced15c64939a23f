// The charts' ticks: whole seconds at least, labels that never overlap at any range and width,
// HH:MM:SS on short ranges and HH:MM on longer ones, on the local clock's round times; values at
// round numbers with their unit.
import { describe, expect, it } from 'vitest';
import {
  TIME_STEPS_S,
  formatTimeTick,
  formatValueTick,
  labelSpacePx,
  niceStep,
  timeLabelFormat,
  timeStep,
  timeTicks,
  valueRange,
  valueStep,
  valueTicks,
} from '../../../../renderer/components/chart/time-axis.js';

const T0 = 1_781_000_000; // epoch seconds

describe('time ticks', () => {
  it('never ticks under a second, even on a run of two seconds', () => {
    expect(timeStep(2, 600)).toBe(1);
    expect(timeTicks(T0 + 0.3, T0 + 2.7, 1)).toEqual([T0 + 1, T0 + 2]);
    expect(Math.min(...TIME_STEPS_S)).toBe(1);
  });

  it('steps through 1 s, 5 s, 10 s, 30 s, 1 min, 5 min … as the range grows', () => {
    const steps = [10, 60, 300, 900, 3600, 6 * 3600, 86_400].map((range) => timeStep(range, 400));
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    for (const s of steps) expect(TIME_STEPS_S).toContain(s);
    expect(timeStep(60, 400)).toBe(15);
    expect(timeStep(60, 900)).toBe(5);
    expect(timeStep(900, 300)).toBe(300);
  });

  it('labels with seconds under a minute, without from a minute, dates from a day', () => {
    expect(timeLabelFormat(1)).toBe('HH:MM:SS');
    expect(timeLabelFormat(30)).toBe('HH:MM:SS');
    expect(timeLabelFormat(60)).toBe('HH:MM');
    expect(timeLabelFormat(3600)).toBe('HH:MM');
    expect(timeLabelFormat(86_400)).toBe('MM-DD');
    expect(formatTimeTick(T0, 'HH:MM:SS')).toMatch(/^\d\d:\d\d:\d\d$/);
    expect(formatTimeTick(T0, 'HH:MM')).toMatch(/^\d\d:\d\d$/);
    expect(formatTimeTick(T0, 'MM-DD')).toMatch(/^\d\d-\d\d$/);
  });

  it('never lets two labels overlap, at any range from a second to a month and any width', () => {
    for (const range of [1, 3, 7, 20, 45, 90, 200, 600, 1000, 3000, 7200, 20_000, 86_400, 300_000, 2_600_000]) {
      for (const width of [120, 200, 280, 400, 640, 1000, 1600]) {
        const step = timeStep(range, width);
        const format = timeLabelFormat(step);
        const ticks = timeTicks(T0, T0 + range, step);
        const px = (step / range) * width;
        if (step !== TIME_STEPS_S.at(-1)) expect(px, `${range} s in ${width} px: step ${step}`).toBeGreaterThanOrEqual(labelSpacePx(format));
        const labels = ticks.map((t) => formatTimeTick(t, format));
        // within a day no two labels are the same
        if (range <= 86_400 && format !== 'MM-DD') expect(new Set(labels).size, `${range} s in ${width} px`).toBe(labels.length);
        // over days, the ticks at midnight say the date
        if (range >= 2 * 86_400 && format === 'HH:MM') expect(labels.some((l) => /^\d\d-\d\d$/.test(l)), labels.join(' ')).toBe(true);
      }
    }
  });

  it('puts ticks on round times of the local clock', () => {
    for (const t of timeTicks(T0, T0 + 3600, 300)) expect(Number(formatTimeTick(t, 'HH:MM').slice(3)) % 5).toBe(0);
    for (const t of timeTicks(T0, T0 + 60, 10)) expect(formatTimeTick(t, 'HH:MM:SS')).toMatch(/0$/);
    expect(timeTicks(T0 + 10, T0, 1)).toEqual([]);
  });
});

describe('value ticks', () => {
  it('rounds steps to 1, 2 or 5 × 10ⁿ', () => {
    expect([0.13, 0.3, 1, 1.5, 3, 7, 16.7, 450].map(niceStep)).toEqual([0.2, 0.5, 1, 2, 5, 10, 20, 500]);
  });

  it('ranges from 0 to a round number above the data', () => {
    expect(valueRange(45)).toEqual([0, 50]);
    expect(valueRange(0.37)).toEqual([0, 0.5]);
    expect(valueRange(730)).toEqual([0, 1000]);
    expect(valueRange(0)).toEqual([0, 1]);
    expect(valueRange(null)).toEqual([0, 1]);
  });

  it('ticks at round numbers with the unit, as many as fit', () => {
    const step = valueStep(50, 90);
    expect(step).toBe(20);
    expect(valueTicks(50, step).map((v) => formatValueTick(v, step, 'MB'))).toEqual(['0 MB', '20 MB', '40 MB']);
    const small = valueStep(0.6, 90);
    expect(valueTicks(0.6, small).map((v) => formatValueTick(v, small, '%'))).toEqual(['0.0 %', '0.2 %', '0.4 %', '0.6 %']);
    expect(valueStep(0.01, 100)).toBe(0.1); // no finer than 0.1
  });
});
