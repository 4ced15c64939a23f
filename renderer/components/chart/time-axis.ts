// The charts' axes without uPlot's defaults: time ticks at whole seconds and minutes (1 s, 5 s,
// 10 s, 30 s, 1 min, 5 min, …) spaced so that their labels never overlap, labelled HH:MM:SS on
// short ranges and HH:MM on longer ones; value ticks at round numbers (1, 2, 5 × 10ⁿ) with the
// unit. Pure functions of their arguments (times in epoch seconds, as uPlot gives them).

/** The time steps a tick may take, in seconds: never under one second. */
export const TIME_STEPS_S: readonly number[] = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800];

/** What a label shows: the time with seconds, without, or the date (steps of a day and more). */
export type TimeLabelFormat = 'HH:MM:SS' | 'HH:MM' | 'MM-DD';

/** The width of one character of the axis font (11 px system-ui digits are about 6.2 px), with room to spare. */
const CHAR_PX = 7;
/** The clear space kept between two labels. */
const LABEL_GAP_PX = 16;

/** The label format for ticks `stepS` seconds apart. */
export function timeLabelFormat(stepS: number): TimeLabelFormat {
  if (stepS < 60) return 'HH:MM:SS';
  if (stepS < 86_400) return 'HH:MM';
  return 'MM-DD';
}

/** How far apart (px) two ticks must be for labels of this format not to touch. */
export function labelSpacePx(format: TimeLabelFormat): number {
  return format.length * CHAR_PX + LABEL_GAP_PX;
}

/**
 * The smallest step whose labels fit: ticks `step` apart over `rangeS` seconds drawn `widthPx`
 * wide are at least a label's width plus a gap apart. The largest step when none fits.
 */
export function timeStep(rangeS: number, widthPx: number): number {
  const range = Math.max(rangeS, 1e-9);
  for (const step of TIME_STEPS_S) {
    if ((step / range) * widthPx >= labelSpacePx(timeLabelFormat(step))) return step;
  }
  return TIME_STEPS_S[TIME_STEPS_S.length - 1] as number;
}

/** The local time zone's offset from UTC at `epochS`, in seconds (east positive). */
function zoneOffsetS(epochS: number): number {
  return -new Date(epochS * 1000).getTimezoneOffset() * 60;
}

/** The ticks from `minS` to `maxS` (inclusive) at multiples of `stepS` on the local clock (10:00, 10:05 …; midnight for days). */
export function timeTicks(minS: number, maxS: number, stepS: number): number[] {
  if (!(stepS > 0) || !Number.isFinite(minS) || !Number.isFinite(maxS) || maxS < minS) return [];
  const offset = zoneOffsetS(minS);
  const first = Math.ceil((minS + offset) / stepS) * stepS - offset;
  const ticks: number[] = [];
  for (let t = first; t <= maxS + 1e-9 && ticks.length < 1000; t += stepS) ticks.push(t);
  return ticks;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A tick's label in the local time zone: "14:03:05", "14:05", "12-06"; an HH:MM tick at midnight gives the date, so that a range over days says which. */
export function formatTimeTick(epochS: number, format: TimeLabelFormat): string {
  const d = new Date(epochS * 1000);
  const midnight = d.getHours() === 0 && d.getMinutes() === 0 && d.getSeconds() === 0;
  if (format === 'MM-DD' || (format === 'HH:MM' && midnight)) return `${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  return format === 'HH:MM' ? hm : `${hm}:${pad(d.getSeconds())}`;
}

/** The round step (1, 2 or 5 × 10ⁿ) nearest above `rough`. */
export function niceStep(rough: number): number {
  if (!(rough > 0) || !Number.isFinite(rough)) return 1;
  const power = 10 ** Math.floor(Math.log10(rough));
  const f = rough / power;
  const nice = f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10;
  return nice * power;
}

/** The least distance (px) between two value ticks. */
export const VALUE_SPACE_PX = 28;
/** The smallest value step: 0.1 % or 0.1 MB. */
const MIN_VALUE_STEP = 0.1;

/** The value step for `range` drawn `heightPx` tall: round, and ticks at least VALUE_SPACE_PX apart. */
export function valueStep(range: number, heightPx: number): number {
  const ticks = Math.max(1, Math.floor(heightPx / VALUE_SPACE_PX));
  return Math.max(MIN_VALUE_STEP, niceStep(range / ticks));
}

/** The value axis's range: from 0 to a round number above the highest value (with a little headroom); 0 to 1 with nothing to show. */
export function valueRange(dataMax: number | null | undefined): [number, number] {
  if (dataMax === null || dataMax === undefined || !Number.isFinite(dataMax) || dataMax <= 0) return [0, 1];
  const top = dataMax * 1.1;
  const step = niceStep(top / 5);
  return [0, Math.max(MIN_VALUE_STEP, Math.ceil(top / step) * step)];
}

/** The value ticks from 0 to `max`, `step` apart (no float noise: 0.30000000000000004 is 0.3). */
export function valueTicks(max: number, step: number): number[] {
  if (!(step > 0) || !(max >= 0)) return [];
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  const ticks: number[] = [];
  for (let i = 0; i * step <= max + step * 1e-9 && ticks.length < 100; i++) ticks.push(Number((i * step).toFixed(decimals)));
  return ticks;
}

/** A value tick's label with its unit, with as many decimals as the step needs: "0.5 %", "200 MB". */
export function formatValueTick(value: number, step: number, unit: string): string {
  const decimals = step >= 1 ? 0 : Math.min(3, Math.ceil(-Math.log10(step) - 1e-9));
  const text = value.toFixed(decimals);
  return unit ? `${text} ${unit}` : text;
}
