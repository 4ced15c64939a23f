// Feeds one window with the host's events: when its page says it is ready, the window gets a fresh
// snapshot followed by every event; when the page reloads or goes away, the feed stops until the
// next ready. Events for the window that are not host events (navigation asked by the tray or a
// notification) wait in the channel's queue until the page is ready.
import type { BridgeEvent, NavigateEvent } from '../../../shared/bridge.js';
import type { HostEvent } from '../../../shared/events.js';
import type { WindowEventChannel } from './event-channel.js';

export type Subscribe = (listener: (event: HostEvent) => void) => () => void;

export class WindowFeed {
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly channel: Pick<WindowEventChannel, 'send' | 'markReady' | 'reset'>,
    private readonly subscribe: Subscribe,
  ) {}

  /** True while host events flow to the window. */
  get isFeeding(): boolean {
    return this.unsubscribe !== null;
  }

  /** The page is ready: deliver what waited, then a snapshot and every event from now on. */
  ready(): void {
    this.stopFeeding();
    this.channel.markReady();
    this.unsubscribe = this.subscribe((event) => this.channel.send(event));
  }

  /** The page is being replaced (reload, crash): stop until its next instance is ready. */
  pageGone(): void {
    this.stopFeeding();
    this.channel.reset();
  }

  /** Ask the window to show a view (delivered when the page is ready). */
  navigate(view: NavigateEvent['view'], name: string | null = null): void {
    const event: BridgeEvent = { type: 'navigate', view, name };
    this.channel.send(event);
  }

  /** The window is closed for good. */
  dispose(): void {
    this.stopFeeding();
  }

  private stopFeeding(): void {
    this.unsubscribe?.();
    this.unsubscribe = null;
  }
}
