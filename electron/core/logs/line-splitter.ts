// Turns chunks of bytes into whole text lines: UTF-8 safe across chunk borders, CRLF aware,
// and bounded, so output without newlines cannot grow memory.
import { StringDecoder } from 'node:string_decoder';

export const MAX_LINE_CHARS = 16 * 1024;

export class LineSplitter {
  private decoder = new StringDecoder('utf8');
  private partial = '';
  private discarding = false;

  constructor(private readonly maxLineChars = MAX_LINE_CHARS) {}

  /** The complete lines in `chunk` (with what earlier chunks left over). */
  push(chunk: Buffer): string[] {
    let text = this.partial + this.decoder.write(chunk);
    if (this.discarding) {
      const nl = text.indexOf('\n');
      if (nl === -1) {
        this.partial = '';
        return [];
      }
      text = text.slice(nl + 1);
      this.discarding = false;
    }
    const parts = text.split('\n');
    this.partial = parts.pop() ?? '';
    const lines = parts.map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
    // a trailing CR may belong to a CRLF split across chunks: it does not count towards the limit
    while (this.partial.length - (this.partial.endsWith('\r') ? 1 : 0) > this.maxLineChars) {
      const code = this.partial.charCodeAt(this.maxLineChars - 1);
      const cut = code >= 0xd800 && code <= 0xdbff ? this.maxLineChars - 1 : this.maxLineChars; // keep surrogate pairs whole
      lines.push(this.partial.slice(0, cut));
      this.partial = this.partial.slice(cut);
    }
    return lines;
  }

  /** Forgets any partial line and skips input up to the next newline (after a jump in the file). */
  resync(): void {
    this.decoder = new StringDecoder('utf8');
    this.partial = '';
    this.discarding = true;
  }

  /** Forgets any partial line (the file was truncated and starts afresh). */
  reset(): void {
    this.decoder = new StringDecoder('utf8');
    this.partial = '';
    this.discarding = false;
  }

  /** The unterminated last line, if any (the writer has exited). */
  flush(): string[] {
    const rest = this.partial + this.decoder.end();
    this.partial = '';
    return rest.length ? [rest.endsWith('\r') ? rest.slice(0, -1) : rest] : [];
  }
}
