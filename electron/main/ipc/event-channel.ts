// The main process's side of the event stream to one window: events wait in a bounded queue until
// the renderer says it is ready, then flow at once; a destroyed window is skipped, and a reload
// (the page's new instance is not ready yet) starts the waiting again.
import { IPC_CHANNELS, type BridgeEvent } from '../../../shared/bridge.js';

/** The part of Electron's WebContents the channel uses. */
export interface EventTarget {
  isDestroyed(): boolean;
  send(channel: string, event: BridgeEvent): void;
}

export interface EventChannelOptions {
  /** Most events kept while the renderer is not ready; the oldest go first (default 2,000). */
  maxQueued?: number;
}

export class WindowEventChannel {
  private queue: BridgeEvent[] = [];
  private ready = false;
  private dropped = 0;
  private readonly maxQueued: number;

  constructor(
    private readonly target: EventTarget,
    opts: EventChannelOptions = {},
  ) {
    this.maxQueued = opts.maxQueued ?? 2_000;
  }

  /** True once the renderer said it is ready (and has not reloaded since). */
  get isReady(): boolean {
    return this.ready;
  }

  /** Events that did not fit the queue since the last reset. */
  get droppedCount(): number {
    return this.dropped;
  }

  /** Sends `event` now if the renderer is ready, else keeps it for later; nothing for a destroyed window. */
  send(event: BridgeEvent): void {
    if (this.target.isDestroyed()) return;
    if (this.ready) {
      this.target.send(IPC_CHANNELS.event, event);
      return;
    }
    this.queue.push(event);
    if (this.queue.length > this.maxQueued) {
      this.queue.shift();
      this.dropped++;
    }
  }

  /** The renderer is ready: deliver what waited, in order. */
  markReady(): void {
    this.ready = true;
    const waiting = this.queue;
    this.queue = [];
    for (const event of waiting) {
      if (this.target.isDestroyed()) return;
      this.target.send(IPC_CHANNELS.event, event);
    }
  }

  /** The page is being replaced: wait for its new instance to say it is ready. */
  reset(): void {
    this.ready = false;
    this.dropped = 0;
  }
}
