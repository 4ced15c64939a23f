// The window's store: slices for agents, stats, logs, alerts and the UI, fed by the bridge's event
// stream (a snapshot first, then every change), with actions that run commands through the bridge
// and keep their errors next to the agent they were about. Events that arrive in a burst are
// applied together, once per frame by default.
import { createStore, type StoreApi } from 'zustand/vanilla';
import { BridgeError, type AgentTrayBridge, type BridgeEvent } from '../../shared/bridge.js';
import type { BulkResult } from '../../shared/commands.js';
import { isConnectionAware, type ConnectionState } from '../bridge/types.js';
import { applyEvents, initialData, logOf, markRead, mergeLogBacklog, mergeStatsHistory, withAlerts, withConnection } from './reducers.js';
import { orphanActionKey, withoutOrphans } from './orphans.js';
import { frameScheduler, type Scheduler } from './scheduler.js';
import { actionKey, groupActionKey, toggleAction } from './selectors.js';
import { DEFAULT_LIMITS, type ActionError, type ActionOutcome, type AgentAction, type GlobalAction, type StoreLimits, type TrayActions, type TrayState } from './types.js';

export type TrayStore = StoreApi<TrayState>;

export interface TrayStoreOptions {
  bridge: AgentTrayBridge;
  /** When queued events are applied (default: the next animation frame, at most 100 ms later). */
  schedule?: Scheduler;
  /** This window's clock (default Date.now). */
  now?: () => number;
  limits?: Partial<StoreLimits>;
}

/** An error of any kind in the form the window shows: the API's code, message and hint. */
export function toActionError(err: unknown, at: number): ActionError {
  if (err instanceof BridgeError) return { code: err.code, message: err.message, hint: err.hint ?? null, at };
  // a bridge over IPC may hand over a plain object with the same fields
  const e = err as { code?: unknown; message?: unknown; hint?: unknown } | null;
  if (e && typeof e === 'object' && typeof e.message === 'string') {
    return { code: typeof e.code === 'string' ? e.code : 'internal', message: e.message, hint: typeof e.hint === 'string' ? e.hint : null, at };
  }
  return { code: 'internal', message: String(err), hint: null, at };
}

/** `record` without `key`. */
function omit<V>(record: Record<string, V>, key: string): Record<string, V> {
  if (!(key in record)) return record;
  const next = { ...record };
  delete next[key];
  return next;
}

/** Creates the store for one bridge; nothing is subscribed until `actions.connect()`. */
export function createTrayStore(opts: TrayStoreOptions): TrayStore {
  const { bridge } = opts;
  const schedule = opts.schedule ?? frameScheduler();
  const now = opts.now ?? Date.now;
  const limits: StoreLimits = { ...DEFAULT_LIMITS, ...opts.limits };

  return createStore<TrayState>()((set, get) => {
    let queue: BridgeEvent[] = [];
    let scheduled = false;
    let disconnect: (() => void) | null = null;
    let orphansLoad: Promise<ActionOutcome<number>> | null = null;

    const flush = () => {
      scheduled = false;
      if (queue.length === 0) return;
      const batch = queue;
      queue = [];
      const snapshotsBefore = get().agents.snapshots;
      set((state) => applyEvents(state, batch, { now: now(), limits }));
      const after = get();
      if (snapshotsBefore > 0 && after.agents.snapshots > snapshotsBefore) reloadAfterReconnect();
    };

    const ingest = (event: BridgeEvent) => {
      queue.push(event);
      if (!scheduled) {
        scheduled = true;
        schedule(flush);
      }
    };

    /** The stream reconnected: what it carried while it was down is fetched again (logs that are shown, alerts). */
    const reloadAfterReconnect = () => {
      const { logs } = get();
      for (const [name, log] of Object.entries(logs.byAgent)) if (log.backlog === 'loaded') void actions.loadLogs(name);
      void actions.loadAlerts();
      if (get().orphans.loaded) void actions.loadOrphans();
    };

    /** The stream's connection changed: once it is open, what failed only because the host was unreachable is cleared and the lost loads run again. */
    const onConnection = (connection: ConnectionState) => {
      const before = get().ui.errors;
      set((s) => ({ ui: withConnection(s.ui, connection) }));
      if (connection.status !== 'open') return;
      const answered = (key: string) => before[key]?.code === 'unreachable';
      if (answered(actionKey('settings'))) void actions.loadSettings();
      if (answered(actionKey('alerts'))) void actions.loadAlerts();
      if (answered(actionKey('orphans'))) void actions.loadOrphans();
    };

    /** Runs a command under an action key: pending while it runs, its error kept when it fails. */
    const run = async <T>(key: string, command: () => Promise<T>): Promise<ActionOutcome<T>> => {
      set((s) => ({ ui: { ...s.ui, pending: { ...s.ui.pending, [key]: true }, errors: omit(s.ui.errors, key) } }));
      try {
        const result = await command();
        set((s) => ({ ui: { ...s.ui, pending: omit(s.ui.pending, key) } }));
        return { ok: true, result };
      } catch (err) {
        const error = toActionError(err, now());
        set((s) => ({ ui: { ...s.ui, pending: omit(s.ui.pending, key), errors: { ...s.ui.errors, [key]: error } } }));
        return { ok: false, error };
      }
    };

    const agentAction = <T>(action: AgentAction, name: string, command: () => Promise<T>) => run(actionKey(action, name), command);
    const globalAction = <T>(action: GlobalAction, command: () => Promise<T>) => run(actionKey(action), command);

    /**
     * A bulk command's per-agent failures are kept under that agent's own action key, so they show on its badge,
     * and together under the bulk's key ("2 of 5 failed", each agent with why), so the summary names them.
     */
    const bulk = async (key: string, perAgent: AgentAction, command: () => Promise<BulkResult>) => {
      const outcome = await run(key, command);
      if (outcome.ok) {
        const at = now();
        set((s) => {
          const errors = { ...s.ui.errors };
          const failures: NonNullable<ActionError['failures']> = [];
          for (const r of outcome.result.results) {
            const key = actionKey(perAgent, r.name);
            if (r.ok || !r.error) delete errors[key];
            else {
              errors[key] = { code: r.error.code, message: r.error.message, hint: null, at };
              failures.push({ name: r.name, code: r.error.code, message: r.error.message });
            }
          }
          const total = outcome.result.results.length;
          if (failures.length > 0) errors[key] = { code: 'partial-failure', message: `${failures.length} of ${total} failed`, hint: null, at, failures };
          return { ui: { ...s.ui, errors } };
        });
      }
      return outcome;
    };

    const actions: TrayActions = {
      connect() {
        if (disconnect) return disconnect;
        const offEvents = bridge.subscribe(ingest);
        let offConnection = () => {};
        if (isConnectionAware(bridge)) offConnection = bridge.onConnection(onConnection);
        else set((s) => ({ ui: { ...s.ui, connection: { status: 'open', message: null, hint: null } } })); // IPC does not disconnect
        void actions.loadAlerts();
        void actions.loadSettings();
        const end = () => {
          if (disconnect !== end) return;
          disconnect = null;
          offEvents();
          offConnection();
          flush();
        };
        disconnect = end;
        return end;
      },
      flush,

      start: (name) => agentAction('start', name, () => bridge.startAgent({ name })),
      stop: (name, o) => agentAction('stop', name, () => bridge.stopAgent(o?.withDependents ? { name, withDependents: true } : { name })),
      restart: (name) => agentAction('restart', name, () => bridge.restartAgent({ name })),
      kill: (name) => agentAction('kill', name, () => bridge.killAgent({ name })),
      async toggle(name) {
        const status = get().agents.byName[name];
        const action = status ? toggleAction(status) : null;
        if (action === 'start') return actions.start(name);
        if (action === 'stop') return actions.stop(name);
        return null;
      },
      startAll: () => bulk(actionKey('startAll'), 'start', () => bridge.startAll()),
      stopAll: () => bulk(actionKey('stopAll'), 'stop', () => bridge.stopAll()),
      startGroup: (group) => bulk(groupActionKey('startGroup', group), 'start', () => bridge.startGroup({ group })),
      stopGroup: (group) => bulk(groupActionKey('stopGroup', group), 'stop', () => bridge.stopGroup({ group })),
      loadGraph: () => globalAction('graph', () => bridge.getGraph()),
      exportAgents: (to, o = {}) => globalAction('export', () => bridge.exportAgents({ to, ...(o.names?.length ? { names: o.names } : {}), ...(o.image?.length ? { image: o.image } : {}) })),
      discover: () => globalAction('discover', () => bridge.discover()),
      createAgent: (definition) => globalAction('create', () => bridge.createAgent({ definition })),
      importAgents: (request) => globalAction('import', () => bridge.importAgents(request)),
      updateAgent: (name, definition, o) => agentAction('update', name, () => bridge.updateAgent({ name, definition, ...(o?.restart ? { restart: true } : {}) })),
      removeAgent: (name, o) => agentAction('remove', name, () => bridge.removeAgent({ name, stop: o?.stop ?? false })),

      async loadLogs(name, lines = 1000) {
        const setBacklog = (backlog: 'loading' | 'none') =>
          set((s) => (s.agents.byName[name] ? { logs: { byAgent: { ...s.logs.byAgent, [name]: { ...logOf(s, name, limits), backlog } } } } : {}));
        setBacklog('loading');
        const outcome = await agentAction('logs', name, () => bridge.agentLogs({ name, lines, stream: 'all' }));
        if (!outcome.ok) {
          setBacklog('none');
          return outcome;
        }
        set((s) => (s.agents.byName[name] ? { logs: { byAgent: { ...s.logs.byAgent, [name]: mergeLogBacklog(logOf(s, name, limits), outcome.result.lines) } } } : {}));
        return { ok: true, result: outcome.result.lines.length };
      },
      async loadStats(name) {
        const outcome = await agentAction('stats', name, () => bridge.agentStats({ name }));
        if (!outcome.ok) return outcome;
        set((s) => (s.agents.byName[name] ? { stats: { byAgent: { ...s.stats.byAgent, [name]: mergeStatsHistory(s.stats.byAgent[name], outcome.result.samples, limits.statsSamples) } } } : {}));
        return { ok: true, result: outcome.result.samples.length };
      },
      async loadViolations(name) {
        const outcome = await agentAction('violations', name, () => bridge.agentViolations({ name }));
        if (!outcome.ok) return outcome;
        const list = outcome.result.violations.slice(-limits.violations);
        set((s) => (s.agents.byName[name] ? { agents: { ...s.agents, violations: { ...s.agents.violations, [name]: list } } } : {}));
        return { ok: true, result: list.length };
      },
      async markAlertsRead(ids) {
        const outcome = await globalAction('alerts', () => bridge.markAlertsRead(ids ? { ids } : { all: true }));
        if (!outcome.ok) return outcome;
        set((s) => ({ alerts: { ...s.alerts, items: markRead(s.alerts.items, ids) } }));
        return { ok: true, result: outcome.result.marked };
      },
      async clearAlerts() {
        const outcome = await globalAction('alerts', () => bridge.clearAlerts());
        if (!outcome.ok) return outcome;
        set((s) => ({ alerts: { ...s.alerts, items: [] } }));
        return { ok: true, result: outcome.result.cleared };
      },
      async loadAlerts() {
        // the whole list, so that read flags and clears made while this window was not listening show too
        const lastBefore = get().alerts.items.at(-1)?.id ?? 0;
        const outcome = await globalAction('alerts', () => bridge.listAlerts({ since: 0 }));
        if (!outcome.ok) return outcome;
        set((s) => ({ alerts: withAlerts({ ...s.alerts, items: s.alerts.items.filter((a) => a.id > lastBefore) }, outcome.result.alerts, limits.alerts) }));
        return { ok: true, result: outcome.result.alerts.length };
      },

      loadOrphans() {
        // callers at the same moment (the navigation and the view as the window opens) share one listing
        orphansLoad ??= (async (): Promise<ActionOutcome<number>> => {
          const outcome = await globalAction('orphans', () => bridge.listOrphans());
          orphansLoad = null;
          if (!outcome.ok) return outcome;
          set({ orphans: { items: outcome.result.orphans, loaded: true } });
          return { ok: true, result: outcome.result.orphans.length };
        })();
        return orphansLoad;
      },
      async stopOrphan(pid) {
        const outcome = await run(orphanActionKey(pid), () => bridge.stopOrphan({ pid }));
        if (!outcome.ok) {
          // it ended, or is supervised again: the list says what is left
          if (outcome.error.code === 'not-found') void actions.loadOrphans();
          return outcome;
        }
        set((s) => ({ orphans: withoutOrphans(s.orphans, [pid]) }));
        return { ok: true, result: outcome.result.stopped.pids.length };
      },
      async stopAllOrphans() {
        const outcome = await globalAction('orphans', () => bridge.cleanupOrphans());
        if (!outcome.ok) return outcome;
        const { stopped } = outcome.result;
        set((s) => ({ orphans: withoutOrphans(s.orphans, stopped.map((o) => o.pid)) }));
        return { ok: true, result: stopped.length };
      },

      async loadSettings() {
        const outcome = await globalAction('settings', () => bridge.getSettings());
        if (!outcome.ok) return outcome;
        const { settings, startAtLogin, settingsFile, secrets } = outcome.result;
        set((s) => ({ settings: { ...s.settings, settings, startAtLogin, settingsFile, secrets } }));
        return { ok: true, result: settings };
      },
      async updateSettings(changes) {
        const outcome = await globalAction('settings', () => bridge.updateSettings({ changes }));
        if (!outcome.ok) return outcome;
        const { settings, appliesAfterRestart } = outcome.result;
        set((s) => ({ settings: { ...s.settings, settings, appliesAfterRestart: [...new Set([...s.settings.appliesAfterRestart, ...appliesAfterRestart])] } }));
        return { ok: true, result: settings };
      },
      async setStartAtLogin(enabled) {
        const outcome = await globalAction('startAtLogin', () => bridge.setStartAtLogin({ enabled }));
        if (!outcome.ok) return outcome;
        set((s) => ({ settings: { ...s.settings, startAtLogin: outcome.result.startAtLogin } }));
        return { ok: true, result: outcome.result.startAtLogin };
      },
      openLogFolder: (name) => agentAction('openLogs', name, () => bridge.openLogFolder({ name })),
      searchLogs: (name, q, o = {}) => {
        const { cursor, ...rest } = o;
        const input = Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined));
        return agentAction('searchLogs', name, () => bridge.searchLogs({ name, q, ...input, ...(cursor ? { cursor } : {}) }));
      },
      loadHistory: (name, limit = 10) => agentAction('history', name, () => bridge.history({ agent: name, limit })),
      loadDefinition: (name) => agentAction('definition', name, () => bridge.getDefinition({ name })),
      loadAgentEnv: (name) => agentAction('env', name, () => bridge.agentEnv({ name })),
      setSecret: (name, key, value) => agentAction('secret', name, () => bridge.setSecret({ name, key, value })),
      removeSecret: (name, key) => agentAction('secret', name, () => bridge.removeSecret({ name, key })),
      openEditor: (editor) => set((s) => ({ ui: { ...s.ui, editor } })),
      closeEditor: () => set((s) => ({ ui: { ...s.ui, editor: null } })),
      select: (name) => set((s) => ({ ui: { ...s.ui, selected: name } })),
      navigate: (view, name) => set((s) => ({ ui: { ...s.ui, view, selected: name === undefined ? s.ui.selected : name } })),
      dismissError: (key) => set((s) => ({ ui: { ...s.ui, errors: omit(s.ui.errors, key) } })),
    };

    return { ...initialData(), actions };
  });
}
