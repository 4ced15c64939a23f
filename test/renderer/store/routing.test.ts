// @vitest-environment jsdom
// Hash routing: addresses parse to places and back, the store follows the address (at load, on a link,
// on Back/Forward) and the address follows the store; unknown addresses fall back to the list.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bindRouting, formatHash, parseHash, routeOf } from '../../../renderer/store/routing.js';
import { immediateScheduler } from '../../../renderer/store/scheduler.js';
import { createTrayStore, type TrayStore } from '../../../renderer/store/store.js';
import { fakeBridge, status } from '../helpers/fakes.js';
import { waitFor } from '@testing-library/react';

describe('parseHash and formatHash', () => {
  it('read every place the window has', () => {
    expect(parseHash('')).toEqual({ route: { view: 'agents', name: null }, known: true });
    expect(parseHash('#/agents')).toEqual({ route: { view: 'agents', name: null }, known: true });
    expect(parseHash('#/agents/web')).toEqual({ route: { view: 'agent', name: 'web' }, known: true });
    expect(parseHash('#/agents/web/logs')).toEqual({ route: { view: 'logs', name: 'web' }, known: true });
    expect(parseHash('#/agents/web%20ui%2Fx/logs/')).toEqual({ route: { view: 'logs', name: 'web ui/x' }, known: true });
    expect(parseHash('#/alerts')).toEqual({ route: { view: 'alerts', name: null }, known: true });
    expect(parseHash('#/settings')).toEqual({ route: { view: 'settings', name: null }, known: true });
  });

  it('send unknown and broken addresses to the list', () => {
    for (const hash of ['#/nope', '#/agents/web/stats', '#/agents/%E0%A4%A', '#/settings/x', '#/agents//logs']) {
      expect(parseHash(hash), hash).toEqual({ route: { view: 'agents', name: null }, known: false });
    }
  });

  it('write what they read', () => {
    for (const hash of ['#/agents', '#/agents/web', '#/agents/web%20ui%2Fx/logs', '#/alerts', '#/settings']) {
      expect(formatHash(parseHash(hash).route)).toBe(hash);
    }
    expect(formatHash(routeOf({ view: 'agent', selected: null }))).toBe('#/agents');
    expect(formatHash(routeOf({ view: 'settings', selected: 'web' }))).toBe('#/settings');
  });
});

describe('bindRouting', () => {
  let unbind: (() => void) | null = null;
  beforeEach(() => window.history.replaceState(null, '', '/'));
  afterEach(() => {
    unbind?.();
    unbind = null;
  });

  /** A store over a fake bridge, bound to jsdom's window with the address at `hash`. */
  function bound(hash: string): TrayStore {
    window.history.replaceState(null, '', `/${hash}`);
    const store = createTrayStore({ bridge: fakeBridge().bridge, schedule: immediateScheduler });
    unbind = bindRouting(store, window);
    return store;
  }

  it('opens at the place the address names (a reload keeps it)', () => {
    const store = bound('#/agents/web/logs');
    expect(store.getState().ui).toMatchObject({ view: 'logs', selected: 'web' });
    expect(window.location.hash).toBe('#/agents/web/logs');
  });

  it('writes the list into a bare address without a new history entry, and replaces an unknown one', () => {
    const length = window.history.length;
    expect(bound('').getState().ui.view).toBe('agents');
    expect(window.location.hash).toBe('#/agents');
    unbind?.();
    const store = bound('#/what/ever');
    expect(store.getState().ui).toMatchObject({ view: 'agents', selected: null });
    expect(window.location.hash).toBe('#/agents');
    expect(window.history.length).toBe(length);
  });

  it('the address follows the store, one history entry per place', () => {
    const store = bound('#/agents');
    const length = window.history.length;
    store.getState().actions.navigate('agent', 'web');
    expect(window.location.hash).toBe('#/agents/web');
    store.getState().actions.navigate('logs', 'web');
    expect(window.location.hash).toBe('#/agents/web/logs');
    store.getState().actions.navigate('settings');
    expect(window.location.hash).toBe('#/settings');
    store.getState().actions.select('other'); // not a new place
    expect(window.history.length).toBe(length + 3);
  });

  it('the store follows a link and Back/Forward', async () => {
    const store = bound('#/agents');
    window.location.hash = '#/alerts'; // a clicked link or a typed address
    await waitFor(() => expect(store.getState().ui.view).toBe('alerts'));
    store.getState().actions.navigate('logs', 'web');
    expect(window.location.hash).toBe('#/agents/web/logs');
    window.history.back();
    await waitFor(() => expect(store.getState().ui.view).toBe('alerts'));
    window.history.forward();
    await waitFor(() => expect(store.getState().ui).toMatchObject({ view: 'logs', selected: 'web' }));
    window.history.back();
    await waitFor(() => expect(store.getState().ui.view).toBe('alerts'));
    window.history.back();
    await waitFor(() => expect(store.getState().ui).toMatchObject({ view: 'agents', selected: null }));
  });

  it('keeps a linked agent that does not exist through the first snapshot (its page says it is gone)', () => {
    const fake = fakeBridge();
    window.history.replaceState(null, '', '/#/agents/ghost');
    const store = createTrayStore({ bridge: fake.bridge, schedule: immediateScheduler });
    unbind = bindRouting(store, window);
    store.getState().actions.connect();
    fake.emit({ type: 'snapshot', at: 1, agents: [status('web')] });
    expect(store.getState().ui).toMatchObject({ view: 'agent', selected: 'ghost' });
    expect(window.location.hash).toBe('#/agents/ghost');
  });

  it('stops following when unbound', () => {
    const store = bound('#/agents');
    unbind?.();
    unbind = null;
    store.getState().actions.navigate('settings');
    expect(window.location.hash).toBe('#/agents');
  });
});
