// A small Server-Sent Events reader (the parsing rules of the HTML standard, "event stream
// interpretation") over any stream of chunks, e.g. fetch's response body. Chunks may split a line,
// an event, a CRLF pair or a UTF-8 character anywhere.

export interface SseMessage {
  /** The `event:` field; "message" when the event has none. */
  event: string;
  /** The `data:` lines, joined with "\n". */
  data: string;
  /** The last `id:` seen on the stream, if any. */
  id?: string;
}

/** Incremental parser: push decoded text, get the events it completed. */
export class SseParser {
  private buffer = '';
  private started = false;
  private eventType = '';
  private dataLines: string[] = [];
  private hasData = false;
  private lastId: string | undefined;

  /** Feeds text; returns every event completed by it (an event ends with an empty line). */
  push(text: string): SseMessage[] {
    this.buffer += text;
    if (!this.started && this.buffer.length > 0) {
      this.started = true;
      if (this.buffer.startsWith('\uFEFF')) this.buffer = this.buffer.slice(1);
    }
    return this.drain(false);
  }

  /** The stream ended: a last line without its terminator still counts, an event without its empty line does not (as the standard says). */
  end(): SseMessage[] {
    const out = this.drain(true);
    this.reset();
    return out;
  }

  private drain(final: boolean): SseMessage[] {
    const out: SseMessage[] = [];
    let start = 0;
    for (;;) {
      const cr = this.buffer.indexOf('\r', start);
      const lf = this.buffer.indexOf('\n', start);
      if (cr === -1 && lf === -1) break;
      let end: number;
      let next: number;
      if (lf !== -1 && (cr === -1 || lf < cr)) {
        end = lf;
        next = lf + 1;
      } else {
        // a CR: it may be the first half of a CRLF that the next chunk completes
        if (cr === this.buffer.length - 1 && !final) break;
        end = cr;
        next = this.buffer[cr + 1] === '\n' ? cr + 2 : cr + 1;
      }
      const message = this.line(this.buffer.slice(start, end));
      if (message) out.push(message);
      start = next;
    }
    this.buffer = this.buffer.slice(start);
    if (final && this.buffer.length > 0) {
      const message = this.line(this.buffer);
      if (message) out.push(message);
      this.buffer = '';
    }
    return out;
  }

  /** Handles one line; returns the event an empty line completes. */
  private line(line: string): SseMessage | null {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return null; // a comment (heartbeats)
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event':
        this.eventType = value;
        break;
      case 'data':
        this.dataLines.push(value);
        this.hasData = true;
        break;
      case 'id':
        if (!value.includes('\0')) this.lastId = value;
        break;
      default:
        break; // `retry` and unknown fields are ignored
    }
    return null;
  }

  private dispatch(): SseMessage | null {
    const message: SseMessage | null = this.hasData ? { event: this.eventType || 'message', data: this.dataLines.join('\n') } : null;
    if (message && this.lastId !== undefined) message.id = this.lastId;
    this.eventType = '';
    this.dataLines = [];
    this.hasData = false;
    return message;
  }

  private reset(): void {
    this.buffer = '';
    this.eventType = '';
    this.dataLines = [];
    this.hasData = false;
  }
}

/** The chunks of a web ReadableStream (fetch's body); the stream is cancelled when the reader stops early. */
export async function* streamChunks<T>(stream: ReadableStream<T>): AsyncGenerator<T> {
  const reader = stream.getReader();
  let done = false;
  try {
    for (;;) {
      const next = await reader.read();
      if (next.done) {
        done = true;
        return;
      }
      yield next.value;
    }
  } finally {
    if (!done) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}

/** Reads events from a stream of chunks (bytes or text) until it ends. */
export async function* readSse(source: AsyncIterable<Uint8Array | string> | ReadableStream<Uint8Array>): AsyncGenerator<SseMessage> {
  const chunks = 'getReader' in source ? streamChunks(source) : source;
  const parser = new SseParser();
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    yield* parser.push(text);
  }
  yield* parser.push(decoder.decode());
  yield* parser.end();
}
