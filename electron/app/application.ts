// The application on top of the engine: the agents store, the settings, the one event stream and
// the command table. It knows no transport; the Electron host and the headless host both call
// `dispatch` and `subscribe`.
import type { BulkResult, CommandName, CommandResult } from '../../shared/commands.js';
import type { HostEvent } from '../../shared/events.js';
import { RESTART_NEEDED_SETTINGS, type Settings, type SettingsChange } from '../../shared/settings.js';
import { Engine, type EngineOptions } from '../core/engine.js';
import { dataPaths } from '../core/paths.js';
import { Supervisor } from '../core/supervision/supervisor.js';
import { AgentStore } from './agent-store.js';
import { AlertCenter } from './alerts.js';
import { HistoryStore } from './history-store.js';
import { RunRecorder } from './run-recorder.js';
import { createHandlers, dispatchCommand, type Handlers } from './command-table.js';
import { loadSettings, updateSettings } from './settings-file.js';

export interface AppOptions {
  dataDir: string;
  /** The agents file (default: agents.json in the data directory). */
  agentsFile?: string;
  platform?: NodeJS.Platform;
  env?: Record<string, string | undefined>;
  logs?: EngineOptions['logs'];
  /** Overrides settings.json's sampleIntervalMs (tests sample faster). */
  sampleIntervalMs?: number;
}

/** What only the desktop app can do; the headless host has none of it. */
export interface DesktopHooks {
  getStartAtLogin(): Promise<boolean>;
  /** Turns it on or off; resolves with what the system says afterwards. */
  setStartAtLogin(enabled: boolean): Promise<boolean>;
  /** Shows a file in the system's file manager. */
  showInFolder(file: string): void;
}

/** What a host needs of the application: commands in, events out. */
export interface AppApi {
  dispatch<C extends CommandName>(name: C, input: unknown): Promise<CommandResult<C>>;
  /** Sends a snapshot of every agent first, then every event; returns the unsubscribe function. */
  subscribe(listener: (event: HostEvent) => void): () => void;
}

export class AgentTrayApp implements AppApi {
  private readonly listeners = new Set<(event: HostEvent) => void>();
  private readonly handlers: Handlers;
  private readonly offEngine: () => void;
  readonly supervisor: Supervisor;
  readonly alerts: AlertCenter;
  readonly recorder: RunRecorder;
  /** Set by the desktop app; null in the headless host. */
  desktop: DesktopHooks | null = null;
  /** Agents being started by autostart right now (for the run history's `startedBy`). */
  private readonly autostarting = new Set<string>();

  private constructor(
    readonly engine: Engine,
    readonly store: AgentStore,
    public settings: Settings,
    readonly settingsFile: string,
    readonly platform: NodeJS.Platform,
    readonly env: Record<string, string | undefined>,
    sampleIntervalMs: number,
    readonly history: HistoryStore,
  ) {
    this.recorder = new RunRecorder(history, { startedBy: (e) => (this.autostarting.has(e.name) && e.lifecycle === 'started' && !e.status.adopted ? 'autostart' : undefined) });
    const h = settings.defaults.health;
    const healthDefaults = Object.fromEntries(
      Object.entries({ intervalMs: h?.intervalMs, timeoutMs: h?.timeoutMs, startPeriodMs: h?.startPeriodMs, failureThreshold: h?.failureThreshold, successThreshold: h?.successThreshold, restartOnFailure: h?.restartOnFailure }).filter(([, v]) => v !== undefined),
    );
    this.supervisor = new Supervisor(engine, { sampleIntervalMs, healthDefaults, ...(settings.defaults.limits ? { limitsDefaults: settings.defaults.limits } : {}), platform });
    this.alerts = new AlertCenter(
      { utilization: () => ({ active: engine.activeCount(), max: engine.maxConcurrent }), memoryForecast: (name) => this.supervisor.memoryForecast(name) },
      (alert) => this.publish({ type: 'alert', alert }),
    );
    this.handlers = createHandlers(this);
    this.offEngine = engine.subscribe((event) => {
      this.recorder.observe(event);
      this.publish(event);
      this.alerts.observe(event);
    });
  }

  /** Loads settings and agents from the data directory and creates the engine. */
  static async open(opts: AppOptions): Promise<AgentTrayApp> {
    const platform = opts.platform ?? process.platform;
    const env = opts.env ?? process.env;
    const paths = dataPaths(opts.dataDir, platform);
    const [settings, store] = await Promise.all([loadSettings(paths.settingsFile), AgentStore.load(opts.agentsFile ?? paths.agentsFile)]);
    const history = await HistoryStore.open(`${paths.root}/history.jsonl`, { retention: settings.historyRetention });
    const engine = new Engine({
      dataDir: opts.dataDir,
      platform,
      env,
      maxConcurrent: settings.maxConcurrent,
      ...(settings.defaults.restart ? { restartDefaults: settings.defaults.restart } : {}),
      ...(opts.logs ? { logs: opts.logs } : {}),
    });
    engine.setDefinitions(store.list());
    return new AgentTrayApp(engine, store, settings, paths.settingsFile, platform, env, opts.sampleIntervalMs ?? settings.sampleIntervalMs, history);
  }

  /** Starts every agent marked `autostart`, in file order (the concurrency limit applies), unless `startAgentsOnLaunch` is off. */
  async startAutostartAgents(): Promise<BulkResult> {
    const results: BulkResult['results'] = [];
    if (!this.settings.startAgentsOnLaunch) return { results };
    for (const def of this.store.list().filter((d) => d.autostart)) {
      if (this.engine.status(def.name).state === 'running') continue; // adopted: already running
      this.autostarting.add(def.name);
      try {
        const status = await this.engine.start(def.name).finally(() => this.autostarting.delete(def.name));
        results.push({ name: def.name, ok: status.state === 'running', status });
      } catch (err) {
        const e = err as { code?: string; message: string };
        results.push({ name: def.name, ok: false, status: this.engine.status(def.name), error: { code: e.code ?? 'internal', message: e.message } });
      }
    }
    return { results };
  }

  /** Changes the concurrency limit now and in settings.json. */
  async setMaxConcurrent(limit: number): Promise<{ oldLimit: number; newLimit: number }> {
    const change = this.engine.setMaxConcurrent(limit);
    this.settings = await updateSettings(this.settingsFile, { maxConcurrent: limit });
    return change;
  }

  /** Applies a change of settings now where it can, saves it, and tells every subscriber. */
  async changeSettings(changes: SettingsChange): Promise<{ settings: Settings; appliesAfterRestart: string[] }> {
    this.settings = await updateSettings(this.settingsFile, changes);
    if (changes.maxConcurrent !== undefined) this.engine.setMaxConcurrent(changes.maxConcurrent);
    if (changes.sampleIntervalMs !== undefined) this.supervisor.setSampleInterval(changes.sampleIntervalMs);
    if (changes.historyRetention !== undefined) this.history.setRetention(changes.historyRetention);
    this.publish({ type: 'settings-changed', settings: this.settings });
    return { settings: this.settings, appliesAfterRestart: RESTART_NEEDED_SETTINGS.filter((key) => changes[key] !== undefined) };
  }

  /** Validates `input` with the command's schema and runs its one handler. */
  dispatch<C extends CommandName>(name: C, input: unknown): Promise<CommandResult<C>> {
    return dispatchCommand(this.handlers, name, input);
  }

  subscribe(listener: (event: HostEvent) => void): () => void {
    // snapshot and registration happen in one synchronous step: no event can fall between them
    listener({ type: 'snapshot', at: Date.now(), agents: this.engine.list() });
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Sends an event to every subscriber. */
  publish(event: HostEvent): void {
    for (const l of this.listeners) {
      try {
        l(event);
      } catch {
        // one failing subscriber must not starve the others
      }
    }
  }

  /** Stops following output (and, when asked, stops every agent first). */
  async close(opts: { stopAgents?: boolean } = {}): Promise<void> {
    this.supervisor.close();
    await this.engine.close(opts);
    await this.recorder.flush();
    this.offEngine();
    this.listeners.clear();
  }
}
