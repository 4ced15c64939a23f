// The top-level component: the window's frame over one store, or the reason there is no bridge.
import { useCallback, useMemo } from 'react';
import type { ConnectProblem } from './bridge/connect.js';
import { RunHistoryProvider, type LoadRunHistory } from './components/detail/run-history.js';
import { Shell } from './components/shell/Shell.js';
import { TrayStoreProvider } from './store/react.js';
import type { TrayStore } from './store/store.js';

/** What the page shows when it cannot talk to a host (no token in a browser). */
export function ConnectionProblem({ problem }: { problem: ConnectProblem }) {
  return (
    <main className="placeholder">
      <h1>Agent Tray</h1>
      <h2>{problem.title}</h2>
      <p>{problem.message}</p>
      <p className="muted">{problem.hint}</p>
    </main>
  );
}

export function App({ store }: { store: TrayStore }) {
  const shell = useMemo(() => <Shell />, []);
  const loadHistory = useCallback<LoadRunHistory>(
    async (name, limit) => {
      const outcome = await store.getState().actions.loadHistory(name, limit);
      if (!outcome.ok) throw outcome.error;
      return outcome.result;
    },
    [store],
  );
  return (
    <TrayStoreProvider store={store}>
      <RunHistoryProvider load={loadHistory}>{shell}</RunHistoryProvider>
    </TrayStoreProvider>
  );
}
