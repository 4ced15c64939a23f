// Agent output with ANSI escape codes, made safe to show: control sequences a terminal would act on
// are removed, SGR colours and styles become segments for React spans (never HTML), and the same
// plain text is what search, filters and copy see.
/* eslint-disable no-control-regex -- matching control characters is what this file is for */
import Anser from 'anser';

/** One run of text with one look. */
export interface AnsiSegment {
  text: string;
  /** CSS classes for the standard colours and the decorations (`ansi-fg-red ansi-bold`); '' when plain. */
  className: string;
  /** Colours outside the 16 standard ones (256-colour palette, true colour), as CSS colours. */
  color: string | null;
  background: string | null;
}

// Sequences anser leaves in the text: OSC (window titles, hyperlinks), character-set selection and
// other two-byte escapes. CSI sequences (ESC [ … final byte) are anser's to parse.
const OSC = /\x1b\][^\x07\x1b]*(?:\x07|\x1b\\|$)/g;
const CHARSET = /\x1b[()*+][0-9A-Za-z]/g;
const SHORT_ESCAPE = /\x1b(?!\[)[@-Z\\^_=>78]/g;
const CSI = /\x1b\[[0-?]*[ -/]*(?:[@-~]|$)/g;
/** C0 controls other than tab and ESC (and DEL): a bell or a NUL has nothing to show. */
const CONTROL = /[\x00-\x08\x0a-\x1a\x1c-\x1f\x7f]/g;
const NEEDS_CLEANING = /[\x00-\x08\x0a-\x1f\x7f]/;

/**
 * The line as a terminal would leave it, still with its SGR codes: the text after the last
 * carriage return (a progress bar redraws itself), without escapes that are not SGR and without
 * control characters.
 */
export function cleanLine(raw: string): string {
  if (!NEEDS_CLEANING.test(raw)) return raw;
  let text = raw.replace(/\r+$/, '');
  const cr = text.lastIndexOf('\r');
  if (cr !== -1) text = text.slice(cr + 1);
  return text.replace(OSC, '').replace(CHARSET, '').replace(SHORT_ESCAPE, '').replace(CONTROL, '');
}

/** The line's text without any escape codes: what search matches and what Copy copies. */
export function plainText(raw: string): string {
  if (!NEEDS_CLEANING.test(raw)) return raw;
  return cleanLine(raw).replace(CSI, '');
}

const STANDARD = /^ansi-(bright-)?(black|red|green|yellow|blue|magenta|cyan|white)$/;
const STANDARD_NAMES = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'] as const;
const CUBE_LEVELS = [0, 95, 135, 175, 215, 255] as const;

/** The CSS colour of entry `n` (16–255) of the xterm 256-colour palette. */
export function paletteColour(n: number): string {
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return `rgb(${v}, ${v}, ${v})`;
  }
  const i = n - 16;
  const r = CUBE_LEVELS[Math.floor(i / 36) % 6] ?? 0;
  const g = CUBE_LEVELS[Math.floor(i / 6) % 6] ?? 0;
  const b = CUBE_LEVELS[i % 6] ?? 0;
  return `rgb(${r}, ${g}, ${b})`;
}

/** One of anser's colour classes as a class of ours (`fg-red`, `fg-bright-red`) or a CSS colour. */
function colourOf(anserClass: string | null, trueColour: string | null, layer: 'fg' | 'bg'): { className: string | null; color: string | null } {
  if (!anserClass) return { className: null, color: null };
  const standard = STANDARD.exec(anserClass);
  if (standard) return { className: `ansi-${layer}-${standard[1] ?? ''}${standard[2] ?? ''}`, color: null };
  if (anserClass === 'ansi-truecolor' && trueColour && /^\d{1,3}, \d{1,3}, \d{1,3}$/.test(trueColour)) return { className: null, color: `rgb(${trueColour})` };
  const palette = /^ansi-palette-(\d{1,3})$/.exec(anserClass);
  if (palette) {
    const n = Number(palette[1]);
    if (n < 16) return { className: `ansi-${layer}-${n >= 8 ? 'bright-' : ''}${STANDARD_NAMES[n % 8] ?? 'white'}`, color: null };
    if (n <= 255) return { className: null, color: paletteColour(n) };
  }
  return { className: null, color: null };
}

const DECORATIONS: Record<string, string> = {
  bold: 'ansi-bold',
  dim: 'ansi-dim',
  italic: 'ansi-italic',
  underline: 'ansi-underline',
  strikethrough: 'ansi-strike',
};

/** The line as segments of text with their look; plain lines are one segment. */
export function ansiSegments(raw: string): AnsiSegment[] {
  const text = cleanLine(raw);
  if (!text.includes('\x1b')) return [{ text, className: '', color: null, background: null }];
  const out: AnsiSegment[] = [];
  for (const entry of Anser.ansiToJson(text, { use_classes: true, remove_empty: true })) {
    if (!entry.content) continue;
    const fg = colourOf(entry.fg, entry.fg_truecolor, 'fg');
    const bg = colourOf(entry.bg, entry.bg_truecolor, 'bg');
    const classes = [fg.className, bg.className, ...entry.decorations.map((d) => DECORATIONS[d] ?? null)].filter((c): c is string => c !== null);
    out.push({ text: entry.content, className: classes.join(' '), color: fg.color, background: bg.color });
  }
  return out.length > 0 ? out : [{ text: '', className: '', color: null, background: null }];
}

/** A segment split where a search match starts or ends. */
export interface MarkedSegment extends AnsiSegment {
  match: boolean;
}

/** The segments cut at the given [start, end) ranges of their joined text, each piece marked as inside a range or not. */
export function markRanges(segments: readonly AnsiSegment[], ranges: readonly (readonly [number, number])[]): MarkedSegment[] {
  if (ranges.length === 0) return segments.map((s) => ({ ...s, match: false }));
  const out: MarkedSegment[] = [];
  let offset = 0;
  let r = 0;
  for (const seg of segments) {
    const end = offset + seg.text.length;
    let at = offset;
    while (at < end) {
      while (r < ranges.length && (ranges[r] as readonly [number, number])[1] <= at) r++;
      const range = ranges[r];
      if (!range || range[0] >= end) {
        out.push({ ...seg, text: seg.text.slice(at - offset), match: false });
        at = end;
      } else if (range[0] > at) {
        out.push({ ...seg, text: seg.text.slice(at - offset, range[0] - offset), match: false });
        at = range[0];
      } else {
        const stop = Math.min(range[1], end);
        out.push({ ...seg, text: seg.text.slice(at - offset, stop - offset), match: true });
        at = stop;
      }
    }
    offset = end;
  }
  return out;
}
