// Recent runs of an agent from the host's history. The store has no history slice yet, so the
// window provides a loader (App: `(name, limit) => bridge.history({ agent: name, limit })`) through
// RunHistoryProvider; without one the section says the history is not available. When the store
// gains `loadHistory`, only useRunHistory changes.
import { createContext, useCallback, useContext, useEffect, useState, type ReactNode } from 'react';
import type { CommandResult } from '../../../shared/commands.js';
import { toActionError } from '../../store/store.js';
import type { ActionError } from '../../store/types.js';

export type RunHistory = CommandResult<'history'>;
/** Fetches the newest `limit` runs of agent `name`. */
export type LoadRunHistory = (name: string, limit: number) => Promise<RunHistory>;

const RunHistoryContext = createContext<LoadRunHistory | null>(null);

/** Makes `load` the run history's source for every component below. */
export function RunHistoryProvider({ load, children }: { load: LoadRunHistory; children: ReactNode }) {
  return <RunHistoryContext.Provider value={load}>{children}</RunHistoryContext.Provider>;
}

export interface RunHistoryState {
  /** 'unavailable': no loader was provided. */
  status: 'unavailable' | 'loading' | 'loaded' | 'failed';
  history: RunHistory | null;
  error: ActionError | null;
  reload: () => void;
}

/** The agent's recent runs, fetched again whenever `refreshKey` changes (a run started or ended). */
export function useRunHistory(name: string, refreshKey: string, limit = 10): RunHistoryState {
  const load = useContext(RunHistoryContext);
  const [state, setState] = useState<Omit<RunHistoryState, 'reload'>>({ status: load ? 'loading' : 'unavailable', history: null, error: null });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    if (!load) {
      setState({ status: 'unavailable', history: null, error: null });
      return;
    }
    let current = true;
    setState((s) => ({ ...s, status: s.history ? s.status : 'loading' }));
    load(name, limit).then(
      (history) => current && setState({ status: 'loaded', history, error: null }),
      (err: unknown) => current && setState((s) => ({ status: 'failed', history: s.history, error: toActionError(err, Date.now()) })),
    );
    return () => {
      current = false;
    };
  }, [load, name, limit, refreshKey, attempt]);

  const reload = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, reload };
}
