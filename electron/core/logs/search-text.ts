// What log search looks at in a line as written on disk: the text a terminal (and the log window)
// would show, without escape codes and control characters, and the time a line begins with, if any.
/* eslint-disable no-control-regex -- matching control characters is what this file is for */

// Escape sequences never cross a line: none of these patterns reaches past a newline, so a block of
// several lines can be cleaned in one pass with the same result as line by line.
const OSC = /\x1b\][^\x07\x1b\n]*(?:\x07|\x1b\\)?/g;
const CSI = /\x1b\[[0-?]*[ -/]*[@-~]?/g;
const OTHER_ESCAPE = /\x1b[()*+][0-9A-Za-z]|\x1b[@-Z\\^_=>78]/g;
/** C0 controls other than tab and newline, and DEL. */
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f]/g;
const NEEDS_CLEANING = /[\x00-\x08\x0b-\x1f\x7f]/;

/** `text` without escape sequences and control characters (newlines kept): what a search of a block may test first. */
export function withoutEscapes(text: string): string {
  if (!NEEDS_CLEANING.test(text)) return text;
  return text.replace(OSC, '').replace(CSI, '').replace(OTHER_ESCAPE, '').replace(CONTROL, '');
}

/** The line as the log window shows it: the text after its last carriage return (a progress bar redraws itself), without escapes and controls. */
export function searchableLine(raw: string): string {
  if (!NEEDS_CLEANING.test(raw)) return raw;
  const cr = raw.lastIndexOf('\r');
  return withoutEscapes(cr === -1 ? raw : raw.slice(cr + 1));
}

// 2024-05-01T10:00:00Z, 2024-05-01 10:00:00,123, [2024-05-01T10:00:00.5+02:00] …
const LEADING_TIME = /^\[?(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:[.,](\d{1,9}))?(Z|[+-]\d{2}:?\d{2})?(?![\d:])/;

/**
 * The time a line begins with (ISO 8601, or the `2024-05-01 10:00:00,123` of many loggers), as an
 * ISO string in UTC; a time without a zone is taken as this machine's local time. Null when the
 * line does not begin with one: lines on disk carry no time of their own.
 */
export function leadingTime(line: string): string | null {
  const m = LEADING_TIME.exec(line);
  if (!m) return null;
  const fraction = m[3] ? `.${m[3].slice(0, 3).padEnd(3, '0')}` : '';
  const zone = m[4] ? (m[4] === 'Z' || m[4].includes(':') ? m[4] : `${m[4].slice(0, 3)}:${m[4].slice(3)}`) : '';
  const at = new Date(`${m[1]}T${m[2]}${fraction}${zone}`);
  return Number.isNaN(at.getTime()) ? null : at.toISOString();
}
