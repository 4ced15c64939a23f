// Saving text the window has as a file: a Blob and a link with `download`, clicked. The page's
// Content-Security-Policy has no directive for a download, so no blob: source is needed.

/** Offers `content` as a download named `fileName` (the browser's or Electron's save dialog). */
export function downloadText(fileName: string, content: string): void {
  const url = URL.createObjectURL(new Blob([content], { type: 'text/plain;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    // the download has started from the click; the URL is no longer needed after this turn
    setTimeout(() => URL.revokeObjectURL(url), 0);
  }
}
