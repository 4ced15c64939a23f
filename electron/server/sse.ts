// The event stream over Server-Sent Events: each client subscribes to the application (a snapshot
// first, then every event) and gets each event as `id: N`, `event: <type>`, `data: <json>`, with a
// heartbeat comment so that proxies and clients see a live connection. A client that reads too
// slowly is dropped rather than buffered for without bound; its EventSource reconnects and starts
// again from a fresh snapshot.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { HostEvent } from '../../shared/events.js';
import type { AppApi } from '../app/application.js';

export interface EventStreamOptions {
  /** Interval of the `: heartbeat` comment (default 15 s). */
  heartbeatMs?: number;
  /** A client whose unsent output grows beyond this is dropped (default 4 MiB). */
  maxBufferedBytes?: number;
  /** Where a note about a dropped client goes. */
  log?: (line: string) => void;
}

/** The text of one event in the stream. */
export function formatEvent(id: number, event: HostEvent): string {
  // JSON.stringify escapes CR and LF, so the data is always one line
  return `id: ${id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** The open event streams of one server. */
export class EventStreams {
  private readonly ends = new Set<() => void>();
  private readonly heartbeatMs: number;
  private readonly maxBufferedBytes: number;
  private readonly log: (line: string) => void;

  constructor(
    private readonly app: AppApi,
    opts: EventStreamOptions = {},
  ) {
    this.heartbeatMs = opts.heartbeatMs ?? 15_000;
    this.maxBufferedBytes = opts.maxBufferedBytes ?? 4 * 1024 * 1024;
    this.log = opts.log ?? ((line) => console.error(line));
  }

  /** How many clients are connected. */
  get size(): number {
    return this.ends.size;
  }

  /** Streams events to one client on its raw response until it disconnects, falls behind, or `closeAll` ends it. */
  open(req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): void {
    res.writeHead(200, {
      ...headers,
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no', // tells a reverse proxy (nginx) not to buffer the stream
    });
    res.flushHeaders();
    req.socket.setNoDelay(true);

    let id = 0;
    let ended = false;
    let off: (() => void) | null = null;

    const end = (drop: boolean) => {
      if (ended) return;
      ended = true;
      clearInterval(timer);
      off?.();
      this.ends.delete(endGracefully);
      if (drop) res.destroy();
      else res.end();
    };
    const endGracefully = () => end(false);
    const send = (text: string) => {
      if (ended) return;
      res.write(text);
      if (res.writableLength > this.maxBufferedBytes) {
        this.log(`agent-tray serve: dropped an event-stream client from ${req.socket.remoteAddress ?? '?'}: it fell ${(res.writableLength / 1048576).toFixed(1)} MiB behind; it can reconnect and start from a fresh snapshot`);
        end(true);
      }
    };

    const timer = setInterval(() => send(': heartbeat\n\n'), this.heartbeatMs);
    timer.unref();
    this.ends.add(endGracefully);
    res.on('close', endGracefully);
    off = this.app.subscribe((event) => send(formatEvent(++id, event)));
    if (ended) off(); // dropped while the snapshot was written
  }

  /** Ends every stream (the host is closing). */
  closeAll(): void {
    for (const end of [...this.ends]) end();
  }
}
