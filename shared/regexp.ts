// Text as a regular expression that matches it literally (the window's log search, the host's log
// search on disk, import's readyLine, the names of an agent's log files).

/** `text` with every character a regular expression gives a meaning escaped. */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
