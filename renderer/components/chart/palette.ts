// The chart's colours, read from the design tokens of the page so that it follows light and dark
// mode (the tokens change with prefers-color-scheme; the chart redraws with the new ones).

export interface ChartPalette {
  line: string;
  fill: string;
  /** Axis labels. */
  text: string;
  grid: string;
}

/** `colour` (#rrggbb or rgb()) with an alpha; other notations are returned as they are. */
export function withAlpha(colour: string, alpha: number): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(colour);
  if (hex) {
    const n = Number.parseInt(hex[1] as string, 16);
    return `rgba(${(n >> 16) & 255}, ${(n >> 8) & 255}, ${n & 255}, ${alpha})`;
  }
  const rgb = /^rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)/.exec(colour);
  if (rgb) return `rgba(${rgb[1]}, ${rgb[2]}, ${rgb[3]}, ${alpha})`;
  return colour;
}

/** The value of a CSS custom property as seen from `el`, or `fallback`. */
function token(el: Element, name: string, fallback: string): string {
  const value = getComputedStyle(el).getPropertyValue(name).trim();
  return value || fallback;
}

/** The palette for a chart drawn in `el`, its line in the colour of the token `lineToken`. */
export function readPalette(el: Element, lineToken: string): ChartPalette {
  const line = token(el, lineToken, '#2563eb');
  return {
    line,
    fill: withAlpha(line, 0.14),
    text: token(el, '--muted', '#5f6368'),
    grid: withAlpha(token(el, '--border', '#d6d6dc'), 0.8),
  };
}
