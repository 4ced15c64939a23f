// Unit tests for the window event channel and the window feed: queue until ready, order, bound,
// destroyed windows skipped, reloads start over with a fresh snapshot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WindowEventChannel } from '../../../../electron/main/ipc/event-channel.js';
import { WindowFeed } from '../../../../electron/main/ipc/window-feed.js';
import { IPC_CHANNELS, type BridgeEvent } from '../../../../shared/bridge.js';
import type { HostEvent } from '../../../../shared/events.js';

function target() {
  const sent: { channel: string; event: BridgeEvent }[] = [];
  const t = { destroyed: false, sent, isDestroyed: () => t.destroyed, send: (channel: string, event: BridgeEvent) => void sent.push({ channel, event }) };
  return t;
}

const removed = (name: string): HostEvent => ({ type: 'agent-removed', name });

test('events wait until the renderer is ready, then arrive in order on the event channel', () => {
  const t = target();
  const channel = new WindowEventChannel(t);
  channel.send(removed('a'));
  channel.send(removed('b'));
  assert.equal(t.sent.length, 0);
  channel.markReady();
  channel.send(removed('c'));
  assert.deepEqual(t.sent.map((s) => (s.event as { name: string }).name), ['a', 'b', 'c']);
  assert.ok(t.sent.every((s) => s.channel === IPC_CHANNELS.event));
});

test('the queue is bounded: the oldest events go first and are counted', () => {
  const t = target();
  const channel = new WindowEventChannel(t, { maxQueued: 3 });
  for (const n of ['a', 'b', 'c', 'd', 'e']) channel.send(removed(n));
  assert.equal(channel.droppedCount, 2);
  channel.markReady();
  assert.deepEqual(t.sent.map((s) => (s.event as { name: string }).name), ['c', 'd', 'e']);
});

test('a destroyed window is skipped, before and after ready', () => {
  const t = target();
  const channel = new WindowEventChannel(t);
  channel.send(removed('a'));
  t.destroyed = true;
  channel.markReady();
  channel.send(removed('b'));
  assert.equal(t.sent.length, 0);
});

test('after a reset events wait again', () => {
  const t = target();
  const channel = new WindowEventChannel(t);
  channel.markReady();
  channel.send(removed('a'));
  channel.reset();
  assert.equal(channel.isReady, false);
  channel.send(removed('b'));
  assert.equal(t.sent.length, 1);
  channel.markReady();
  assert.equal(t.sent.length, 2);
});

/** A host whose subscribe sends a snapshot first, like AgentTrayApp.subscribe. */
function host() {
  const listeners = new Set<(e: HostEvent) => void>();
  return {
    listeners,
    subscribe(listener: (e: HostEvent) => void) {
      listener({ type: 'snapshot', at: 1, agents: [] });
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    emit(e: HostEvent) {
      for (const l of listeners) l(e);
    },
  };
}

test('the feed starts with a snapshot when the page is ready and follows every event', () => {
  const t = target();
  const h = host();
  const feed = new WindowFeed(new WindowEventChannel(t), h.subscribe.bind(h));
  h.emit(removed('before')); // nobody listens yet: the snapshot will say it
  assert.equal(feed.isFeeding, false);
  feed.ready();
  h.emit(removed('after'));
  assert.deepEqual(t.sent.map((s) => s.event.type), ['snapshot', 'agent-removed']);
  assert.equal(h.listeners.size, 1);
});

test('navigation asked before the page is ready arrives before the snapshot', () => {
  const t = target();
  const h = host();
  const feed = new WindowFeed(new WindowEventChannel(t), h.subscribe.bind(h));
  feed.navigate('logs', 'alpha');
  assert.equal(t.sent.length, 0);
  feed.ready();
  assert.deepEqual(t.sent[0]?.event, { type: 'navigate', view: 'logs', name: 'alpha' });
  assert.equal(t.sent[1]?.event.type, 'snapshot');
});

test('a reload stops the feed; the next ready subscribes once again with a fresh snapshot', () => {
  const t = target();
  const h = host();
  const feed = new WindowFeed(new WindowEventChannel(t), h.subscribe.bind(h));
  feed.ready();
  feed.pageGone();
  assert.equal(h.listeners.size, 0);
  h.emit(removed('lost-while-reloading'));
  feed.ready();
  feed.ready(); // a second subscriber in the page asks again: still one subscription
  assert.equal(h.listeners.size, 1);
  assert.deepEqual(t.sent.map((s) => s.event.type), ['snapshot', 'snapshot', 'snapshot']);
  feed.dispose();
  assert.equal(h.listeners.size, 0);
});
