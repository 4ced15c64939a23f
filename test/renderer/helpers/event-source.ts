// An EventSource for Node 20 (which has none), over fetch: enough of the WHATWG spec for the
// bridge's tests. It connects, parses the stream (CR, LF and CRLF line ends, `data` lines joined,
// `event`, `id`, `retry`, comments), dispatches MessageEvents by type, reconnects after a broken
// or ended stream with Last-Event-ID, and fails for good on a status other than 200 or a
// content type other than text/event-stream, as browsers do.
import type { EventSourceConstructor } from '../../../renderer/bridge/types.js';

export interface TestEventSourceOptions {
  /** Wait before reconnecting (default 3000 ms, as browsers; a `retry:` field changes it). */
  retryMs?: number;
  /** Every instance, to check in tests that none is left open. */
  instances?: Set<{ readyState: number; url: string }>;
}

/** An EventSource class for Node; `instances` collects every one it creates. */
export function testEventSource(opts: TestEventSourceOptions = {}): EventSourceConstructor {
  return class TestEventSource extends EventTarget {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSED = 2;
    readyState = 0;
    readonly url: string;
    private abort: AbortController | null = null;
    private retryMs = opts.retryMs ?? 3000;
    private lastEventId = '';
    private timer: ReturnType<typeof setTimeout> | null = null;
    // the event being read
    private buffer = '';
    private data: string[] = [];
    private type = '';
    private sawBom = false;

    constructor(url: string) {
      super();
      this.url = url;
      opts.instances?.add(this);
      queueMicrotask(() => void this.connect());
    }

    close(): void {
      this.readyState = 2;
      if (this.timer) clearTimeout(this.timer);
      this.timer = null;
      this.abort?.abort();
      this.abort = null;
    }

    private async connect(): Promise<void> {
      if (this.readyState === 2) return;
      const abort = new AbortController();
      this.abort = abort;
      this.buffer = '';
      this.data = [];
      this.type = '';
      this.sawBom = false;
      let res: Response;
      try {
        res = await fetch(this.url, {
          headers: { accept: 'text/event-stream', 'cache-control': 'no-store', ...(this.lastEventId ? { 'last-event-id': this.lastEventId } : {}) },
          signal: abort.signal,
        });
      } catch {
        this.reconnect();
        return;
      }
      if (this.readyState === 2) {
        abort.abort();
        return;
      }
      if (res.status !== 200 || !/^text\/event-stream/i.test(res.headers.get('content-type') ?? '')) {
        void res.body?.cancel().catch(() => {});
        this.readyState = 2;
        this.dispatchEvent(new Event('error'));
        return;
      }
      this.readyState = 1;
      this.dispatchEvent(new Event('open'));
      const decoder = new TextDecoder();
      try {
        for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
          this.feed(decoder.decode(chunk, { stream: true }));
          if (this.readyState === 2) return;
        }
      } catch {
        // cut or aborted: handled below
      }
      this.reconnect();
    }

    /** The stream broke or ended: error event, then connect again after the retry time. */
    private reconnect(): void {
      if (this.readyState === 2) return;
      this.readyState = 0;
      this.dispatchEvent(new Event('error'));
      if (this.readyState === 2) return; // a listener closed it
      this.timer = setTimeout(() => {
        this.timer = null;
        void this.connect();
      }, this.retryMs);
    }

    /** Splits decoded text into lines; a CR at the end waits for the next chunk (it may be half of CRLF). */
    private feed(text: string): void {
      this.buffer += text;
      if (!this.sawBom && this.buffer.length > 0) {
        if (this.buffer.charCodeAt(0) === 0xfeff) this.buffer = this.buffer.slice(1);
        this.sawBom = true;
      }
      let start = 0;
      for (let i = 0; i < this.buffer.length; i++) {
        const c = this.buffer[i];
        if (c !== '\r' && c !== '\n') continue;
        if (c === '\r' && i + 1 === this.buffer.length) break;
        const line = this.buffer.slice(start, i);
        if (c === '\r' && this.buffer[i + 1] === '\n') i++;
        start = i + 1;
        this.line(line);
      }
      this.buffer = this.buffer.slice(start);
    }

    private line(line: string): void {
      if (line === '') {
        this.dispatchMessage();
        return;
      }
      if (line.startsWith(':')) return; // a comment (heartbeat)
      const colon = line.indexOf(':');
      const field = colon === -1 ? line : line.slice(0, colon);
      let value = colon === -1 ? '' : line.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'data') this.data.push(value);
      else if (field === 'event') this.type = value;
      else if (field === 'id' && !value.includes('\0')) this.lastEventId = value;
      else if (field === 'retry' && /^\d+$/.test(value)) this.retryMs = Number(value);
    }

    private dispatchMessage(): void {
      const type = this.type || 'message';
      this.type = '';
      if (this.data.length === 0) return;
      const data = this.data.join('\n');
      this.data = [];
      this.dispatchEvent(new MessageEvent(type, { data, lastEventId: this.lastEventId, origin: new URL(this.url).origin }));
    }
  };
}
