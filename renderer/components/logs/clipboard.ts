// Copying text from the window: the clipboard API where the page may use it, and an error in
// words a person understands where it may not.

/** Writes `text` to the clipboard; resolves with null, or with why it could not. */
export async function copyText(text: string): Promise<string | null> {
  const clipboard = typeof navigator === 'undefined' ? undefined : navigator.clipboard;
  if (!clipboard || typeof clipboard.writeText !== 'function') return 'the clipboard is not available in this window';
  try {
    await clipboard.writeText(text);
    return null;
  } catch (err) {
    return `could not copy: ${err instanceof Error ? err.message : String(err)}`;
  }
}
