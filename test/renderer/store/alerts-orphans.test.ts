// The store's alerts follow the host's read flags (its alerts-read and alerts-cleared events, and a
// reload after a reconnect that takes what changed meanwhile); its orphans slice lists, stops one
// (the row goes) and stops all; #/orphans is a route.
import { afterEach, describe, expect, it } from 'vitest';
import { BridgeError } from '../../../shared/bridge.js';
import type { Orphan } from '../../../shared/discovery.js';
import type { Alert } from '../../../shared/status.js';
import { orphanActionKey } from '../../../renderer/store/orphans.js';
import { applyEvent, initialData, withAlerts } from '../../../renderer/store/reducers.js';
import { formatHash, parseHash } from '../../../renderer/store/routing.js';
import { immediateScheduler } from '../../../renderer/store/scheduler.js';
import { errorFor } from '../../../renderer/store/selectors.js';
import { createTrayStore } from '../../../renderer/store/store.js';
import { DEFAULT_LIMITS } from '../../../renderer/store/types.js';
import { fakeBridge, type Handlers } from '../helpers/fakes.js';

const ends: (() => void)[] = [];
afterEach(() => {
  for (const end of ends.splice(0)) end();
});

const ctx = { now: 1, limits: DEFAULT_LIMITS };
const alert = (id: number, read = false): Alert => ({ id, at: id, severity: 'critical', kind: 'crashed', name: 'a', message: `alert ${id}`, read });
const orphan = (pid: number, name = 'gone'): Orphan => ({ name, pid, commandLine: null, via: 'pid-file' });

function connected(handlers: Handlers = {}) {
  const fake = fakeBridge(handlers, { connectionAware: true });
  const store = createTrayStore({ bridge: fake.bridge, schedule: immediateScheduler, now: () => 50_000 });
  ends.push(store.getState().actions.connect());
  return { fake, store, actions: store.getState().actions };
}

describe('alerts read elsewhere', () => {
  it('alerts-read marks exactly those ids read; alerts-cleared empties the list', () => {
    let d = { ...initialData(), alerts: withAlerts(initialData().alerts, [alert(1), alert(2), alert(3, true)], 10) };
    const before = d.alerts.items;
    d = applyEvent(d, { type: 'alerts-read', ids: [2, 3, 99] }, ctx);
    expect(d.alerts.items.map((a) => [a.id, a.read])).toEqual([
      [1, false],
      [2, true],
      [3, true],
    ]);
    expect(d.alerts.items[0]).toBe(before[0]); // an alert that did not change keeps its object
    expect(applyEvent(d, { type: 'alerts-read', ids: [2] }, ctx)).toBe(d); // nothing to change: the same data
    d = applyEvent(d, { type: 'alerts-cleared' }, ctx);
    expect(d.alerts.items).toEqual([]);
    expect(d.alerts.loaded).toBe(true);
  });

  it('a reload takes the host\'s whole list: read flags and clears made meanwhile show, alerts that arrived during the request stay', async () => {
    let answer: Alert[] = [alert(1), alert(2)];
    let gate: Promise<void> | null = null;
    let open = () => {};
    const { fake, store, actions } = connected({
      listAlerts: async () => {
        const list = answer;
        if (gate) await gate;
        return { alerts: list };
      },
    });
    await expect.poll(() => store.getState().alerts.items.length).toBe(2);
    // another window read 1 and the host cleared 2 while this one was away; 3 came later
    answer = [alert(1, true), alert(3)];
    gate = new Promise<void>((resolve) => (open = resolve));
    const reload = actions.loadAlerts();
    fake.emit({ type: 'alert', alert: alert(4) }); // arrives live while the request is under way
    open();
    await reload;
    expect(store.getState().alerts.items.map((a) => [a.id, a.read])).toEqual([
      [1, true],
      [3, false],
      [4, false],
    ]);
    expect(fake.calls.filter((c) => c.name === 'listAlerts').map((c) => c.input)).toEqual([{ since: 0 }, { since: 0 }]);
  });
});

describe('orphans', () => {
  it('lists, stops one (its row goes) and stops the rest', async () => {
    let listed = [orphan(10, 'a'), orphan(11, 'b'), orphan(12, 'c')];
    const { store, actions } = connected({
      listOrphans: () => ({ orphans: listed }),
      stopOrphan: (input) => {
        const pid = (input as { pid: number }).pid;
        listed = listed.filter((o) => o.pid !== pid);
        return { stopped: { name: 'a', pid, outcome: 'graceful', pids: [pid, pid + 100] } };
      },
      cleanupOrphans: () => ({ stopped: listed.map((o) => ({ name: o.name, pid: o.pid, outcome: 'killed', pids: [o.pid] })) }),
    });
    expect(store.getState().orphans).toEqual({ items: [], loaded: false });
    expect(await actions.loadOrphans()).toEqual({ ok: true, result: 3 });
    expect(store.getState().orphans.loaded).toBe(true);
    const stopping = actions.stopOrphan(10);
    expect(store.getState().ui.pending[orphanActionKey(10)]).toBe(true);
    expect(await stopping).toEqual({ ok: true, result: 2 });
    expect(store.getState().orphans.items.map((o) => o.pid)).toEqual([11, 12]);
    expect(await actions.stopAllOrphans()).toEqual({ ok: true, result: 2 });
    expect(store.getState().orphans.items).toEqual([]);
  });

  it('keeps a failed stop\'s error under its own key, never under an agent\'s, and a listing error under orphans', async () => {
    const { store, actions } = connected({
      listOrphans: () => {
        throw new BridgeError({ code: 'internal', message: 'ps failed' });
      },
      stopOrphan: () => {
        throw new BridgeError({ code: 'permission-denied', message: 'Process 10 belongs to another user', hint: 'Stop it as that user' });
      },
    });
    const outcome = await actions.stopOrphan(10);
    expect(outcome.ok).toBe(false);
    expect(store.getState().ui.errors[orphanActionKey(10)]).toMatchObject({ code: 'permission-denied', message: 'Process 10 belongs to another user', hint: 'Stop it as that user' });
    expect(orphanActionKey(10).endsWith(':10')).toBe(false);
    await actions.loadOrphans();
    expect(errorFor(store.getState().ui, 'orphans')?.message).toBe('ps failed');
  });

  it('lists again after a reconnect once it has listed', async () => {
    const { fake, actions } = connected({ listOrphans: () => ({ orphans: [] }) });
    const listings = () => fake.calls.filter((c) => c.name === 'listOrphans').length;
    fake.emit({ type: 'snapshot', at: 1, agents: [] });
    fake.emit({ type: 'snapshot', at: 2, agents: [] });
    expect(listings()).toBe(0); // never listed: nothing to refresh
    await actions.loadOrphans();
    fake.emit({ type: 'snapshot', at: 3, agents: [] });
    await expect.poll(listings).toBe(2);
  });
});

describe('routing', () => {
  it('#/orphans is the orphans view, and the view writes it back', () => {
    expect(parseHash('#/orphans')).toEqual({ route: { view: 'orphans', name: null }, known: true });
    expect(parseHash('#/orphans/')).toEqual({ route: { view: 'orphans', name: null }, known: true });
    expect(parseHash('#/orphans/123').known).toBe(false);
    expect(formatHash({ view: 'orphans', name: null })).toBe('#/orphans');
  });
});
