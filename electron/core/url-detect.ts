// What an agent serves, found in what it prints: the first http(s) URL on a local host in a run's
// output ("Listening on http://0.0.0.0:8000/", "Local: http://localhost:5173/"), shown as a URL a
// browser on this machine can open (0.0.0.0, :: and [::] become 127.0.0.1). Also the URL an agent's
// status offers: its definition's `url`, else the detected one, else http://127.0.0.1:{port}/.
import os from 'node:os';
import { stripVTControlCharacters } from 'node:util';

/** Where an agent's URL came from. */
export type UrlSource = 'definition' | 'output' | 'port';

// scheme, then an IPv6 literal in brackets or a host name, an optional port, and the rest up to whitespace or a quote/bracket
const URL_IN_TEXT = /\bhttps?:\/\/(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(?::\d{1,5})?(?:[/?#][^\s"'<>`]*)?/gi;
const TRAILING = /[).,;:!?'"\]}>]+$/;
const ANY_ADDRESS = new Set(['0.0.0.0', '[::]', '::', '[::0]', '[0:0:0:0:0:0:0:0]']);

/** The text of a line without its terminal escape sequences. */
export function stripAnsi(text: string): string {
  return text.includes('\u001b') ? stripVTControlCharacters(text) : text; // most lines have none: no new string
}

/** Whether `host` (as written in a URL) names this machine: localhost, 127.x, ::1, any-address, or the machine's own name. */
export function isLocalHost(host: string, hostname?: string): boolean {
  const h = host.toLowerCase();
  if (ANY_ADDRESS.has(h) || h === 'localhost' || h.endsWith('.localhost') || h === '[::1]') return true;
  if (/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h)) return true;
  const own = (hostname ?? os.hostname()).toLowerCase(); // asked only for a URL none of the cheap checks placed
  return own !== '' && (h === own || h === `${own}.local`);
}

/** The first local http(s) URL in one printed line, trailing punctuation trimmed and any-address shown as 127.0.0.1; null when there is none. */
export function detectUrl(line: string, hostname?: string): string | null {
  for (const m of stripAnsi(line).matchAll(URL_IN_TEXT)) {
    const text = trimTrailing(m[0]);
    let parsed: URL;
    try {
      parsed = new URL(text);
    } catch {
      continue;
    }
    if (!isLocalHost(parsed.hostname, hostname)) continue;
    if (ANY_ADDRESS.has(parsed.hostname)) parsed.hostname = '127.0.0.1';
    return parsed.toString();
  }
  return null;
}

/** The first local URL in a batch of printed lines, or null. */
export function detectUrlInLines(lines: readonly { text: string }[], hostname?: string): string | null {
  for (const l of lines) {
    const url = detectUrl(l.text, hostname);
    if (url) return url;
  }
  return null;
}

/** The URL an agent's status offers, and where it came from: its definition wins, then what this run printed, then its port. */
export function agentUrl(def: { url?: string | undefined; port?: number | undefined }, detected: string | null): { url: string | null; urlSource: UrlSource | null } {
  if (def.url) return { url: def.url, urlSource: 'definition' };
  if (detected) return { url: detected, urlSource: 'output' };
  if (def.port) return { url: `http://127.0.0.1:${def.port}/`, urlSource: 'port' };
  return { url: null, urlSource: null };
}

/** Whether `url` is an http(s) URL (the only kind Agent Tray opens in a browser). */
export function isWebUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:';
  } catch {
    return false;
  }
}

/** `text` without the punctuation a sentence puts after a URL; a closing bracket stays when the URL opened one. */
function trimTrailing(text: string): string {
  let out = text.replace(TRAILING, '');
  // "http://host/a_(b)" keeps its own parenthesis
  if (text.length > out.length && text[out.length] === ')' && (out.match(/\(/g)?.length ?? 0) > (out.match(/\)/g)?.length ?? 0)) out += ')';
  return out;
}
