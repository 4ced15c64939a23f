// The store in React: a provider for the one store of the window, and hooks that select from it.
import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { TrayStore } from './store.js';
import type { TrayActions, TrayState } from './types.js';

const TrayStoreContext = createContext<TrayStore | null>(null);

/** Makes `store` the store of every component below; subscribes it to its bridge while mounted. */
export function TrayStoreProvider({ store, children }: { store: TrayStore; children: ReactNode }) {
  useEffect(() => store.getState().actions.connect(), [store]);
  return <TrayStoreContext.Provider value={store}>{children}</TrayStoreContext.Provider>;
}

/** The store itself (for `getState` in event handlers). */
export function useTrayStore(): TrayStore {
  const store = useContext(TrayStoreContext);
  if (!store) throw new Error('useTrayStore: no TrayStoreProvider above this component');
  return store;
}

/** A value of the state; the component renders again when it changes (by Object.is). Select slices or single values; derive lists with `useTrayShallow` or useMemo. */
export function useTray<T>(selector: (state: TrayState) => T): T {
  return useStore(useTrayStore(), selector);
}

/** Like useTray for selectors that build a new array or object each time: compared item by item. */
export function useTrayShallow<T>(selector: (state: TrayState) => T): T {
  return useStore(useTrayStore(), useShallow(selector));
}

/** The actions (a stable object). */
export function useTrayActions(): TrayActions {
  return useStore(useTrayStore(), (s) => s.actions);
}

/** This window's clock, ticking every `intervalMs` (for uptimes). */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
