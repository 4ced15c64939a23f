// Which links leave the app for the system browser: web and mail addresses only. Anything else a
// page asks to open (file:, javascript:, custom schemes that start programs) is refused. Pure.

const EXTERNAL_PROTOCOLS = new Set(['https:', 'http:', 'mailto:']);

/** True when `url` may be handed to the system browser. */
export function isSafeExternalUrl(url: string): boolean {
  try {
    return EXTERNAL_PROTOCOLS.has(new URL(url).protocol);
  } catch {
    return false;
  }
}
