// The application on top of the engine: the agents store, the settings, the one event stream and
// the command table. It knows no transport; the Electron host and the headless host both call
// `dispatch` and `subscribe`.
import type { BulkResult, CommandName, CommandResult } from '../../shared/commands.js';
import type { HostEvent } from '../../shared/events.js';
import { RESTART_NEEDED_SETTINGS, type Settings, type SettingsChange } from '../../shared/settings.js';
import { Engine, type EngineOptions } from '../core/engine.js';
import { ioErrorEvent } from '../core/io-error-event.js';
import { dataPaths } from '../core/paths.js';
import { Supervisor } from '../core/supervision/supervisor.js';
import { OnDemandManager } from '../core/on-demand/manager.js';
import { AgentStore } from './agent-store.js';
import { AlertCenter } from './alerts.js';
import { AlertStore } from './alert-store.js';
import { HistoryStore } from './history-store.js';
import { RunRecorder } from './run-recorder.js';
import { createHandlers, dispatchCommand, type CommandContext, type Handlers } from './command-table.js';
import { ConfigSync } from './config-sync.js';
import type { ConfigFileStatus } from './config-file.js';
import { ConfigWatcher, type ConfigWatcherOptions } from './config-watcher.js';
import { removeInterruptedSaves } from './interrupted-saves.js';
import { agentsSchemaFile, writeAgentsSchema } from './agents-schema-file.js';
import { SettingsStore } from './settings-file.js';
import { fileSecretStore } from '../core/secrets/secret-files.js';
import type { SecretStore } from '../core/secrets/secret-store.js';
import { checkStartEnv } from './env-sandbox.js';

export interface AppOptions {
  dataDir: string;
  /** The agents file (default: agents.json in the data directory). */
  agentsFile?: string;
  platform?: NodeJS.Platform;
  env?: Record<string, string | undefined>;
  logs?: EngineOptions['logs'];
  /** Overrides settings.json's sampleIntervalMs (tests sample faster). */
  sampleIntervalMs?: number;
  /** Watching agents.json and settings.json for hand edits: timings, or false for none. */
  watch?: ConfigWatcherOptions | false;
  /** Where agents' secrets are kept (the desktop app's keychain store); default <dataDir>/secrets.json, 0600. */
  secrets?: SecretStore;
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
  dispatch<C extends CommandName>(name: C, input: unknown, context?: CommandContext): Promise<CommandResult<C>>;
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
  /** Applies hand edits of agents.json and settings.json. */
  private readonly configSync: ConfigSync;
  /** Watches both files while the application is open. */
  private watcher: ConfigWatcher | null = null;
  /** The relays of on-demand agents, following the definitions. */
  readonly onDemand: OnDemandManager;
  private readonly offDefinitions: () => void;

  private constructor(
    readonly engine: Engine,
    readonly store: AgentStore,
    public settings: Settings,
    readonly settingsStore: SettingsStore,
    readonly platform: NodeJS.Platform,
    readonly env: Record<string, string | undefined>,
    sampleIntervalMs: number,
    readonly history: HistoryStore,
    readonly alertStore: AlertStore,
  ) {
    this.recorder = new RunRecorder(history, {
      startedBy: (e) => (this.autostarting.has(e.name) && e.lifecycle === 'started' && !e.status.adopted ? 'autostart' : undefined),
      // a run the file did not take (a full disk) stays listed from memory; the failure is counted and alerted
      onError: (err) => {
        const event = ioErrorEvent(err, history.file, null, 'append to');
        this.publish(event);
        this.alerts.observe(event);
      },
    });
    const h = settings.defaults.health;
    const healthDefaults = Object.fromEntries(
      Object.entries({ intervalMs: h?.intervalMs, timeoutMs: h?.timeoutMs, startPeriodMs: h?.startPeriodMs, failureThreshold: h?.failureThreshold, successThreshold: h?.successThreshold, restartOnFailure: h?.restartOnFailure }).filter(([, v]) => v !== undefined),
    );
    this.supervisor = new Supervisor(engine, { sampleIntervalMs, healthDefaults, ...(settings.defaults.limits ? { limitsDefaults: settings.defaults.limits } : {}), platform });
    this.alerts = new AlertCenter(
      { utilization: () => ({ active: engine.activeCount(), max: engine.maxConcurrent }), memoryForecast: (name) => this.supervisor.memoryForecast(name) },
      (alert) => this.publish({ type: 'alert', alert }),
      {
        initial: alertStore.loaded,
        maxAlerts: alertStore.limit,
        // a full disk keeps the alerts in memory; the failure is counted and alerted (the cooldown stops a loop)
        onChange: (alerts) => {
          alertStore.save(alerts).catch((err: unknown) => {
            const event = ioErrorEvent(err, alertStore.file, null, 'write');
            this.publish(event);
            this.alerts.observe(event);
          });
        },
      },
    );
    this.onDemand = new OnDemandManager(engine, { problem: (name, message) => this.alerts.agentAlert('critical', 'port-conflict', name, message) });
    this.offDefinitions = engine.onDefinitions(() => void this.onDemand.sync(engine.listDefinitions()));
    this.handlers = createHandlers(this);
    this.configSync = new ConfigSync(this);
    this.configSync.attach();
    this.offEngine = engine.subscribe((event) => {
      this.recorder.observe(event);
      this.publish(event);
      this.alerts.observe(event);
      this.configSync.observe(event);
    });
  }

  /** settings.json's path. */
  get settingsFile(): string {
    return this.settingsStore.file;
  }

  /** Whether agents.json and settings.json load, and when their content in force was loaded. */
  configStatus(): ConfigFileStatus[] {
    return [this.store.config.status(), this.settingsStore.config.status()];
  }

  /** Loads settings and agents from the data directory and creates the engine. */
  static async open(opts: AppOptions): Promise<AgentTrayApp> {
    const platform = opts.platform ?? process.platform;
    const env = opts.env ?? process.env;
    const paths = dataPaths(opts.dataDir, platform);
    const agentsFile = opts.agentsFile ?? paths.agentsFile;
    const historyFile = `${paths.root}/history.jsonl`;
    const alertsFile = `${paths.root}/alerts.jsonl`;
    // temporary files of saves a killed host left behind
    const secrets = opts.secrets ?? fileSecretStore(paths.root);
    await removeInterruptedSaves([agentsFile, `${agentsFile}.bak`, agentsSchemaFile(agentsFile), paths.settingsFile, `${paths.settingsFile}.bak`, historyFile, alertsFile, secrets.info().file]);
    // agents.schema.json for editors, beside agents.json; a failed write is a disk alert, not a failed open
    const schemaError = await writeAgentsSchema(agentsFile).then(() => null, (err: unknown) => err);
    const [settingsStore, store] = await Promise.all([SettingsStore.load(paths.settingsFile), AgentStore.load(agentsFile)]);
    const settings = settingsStore.value;
    const history = await HistoryStore.open(historyFile, { retention: settings.historyRetention });
    const alertStore = await AlertStore.open(alertsFile);
    const engine = new Engine({
      dataDir: opts.dataDir,
      platform,
      env,
      secrets,
      // env files and secrets follow the sandbox's rule on variables, with the settings in force at the start
      checkEnv: (def, variables) => checkStartEnv(def, variables, app.settings.sandbox, app.settingsFile, platform),
      maxConcurrent: settings.maxConcurrent,
      ...(settings.defaults.restart ? { restartDefaults: settings.defaults.restart } : {}),
      ...(opts.logs ? { logs: opts.logs } : {}),
    });
    engine.setDefinitions(store.list());
    const app = new AgentTrayApp(engine, store, settings, settingsStore, platform, env, opts.sampleIntervalMs ?? settings.sampleIntervalMs, history, alertStore);
    if (schemaError) app.alerts.observe(ioErrorEvent(schemaError, agentsSchemaFile(agentsFile), null, 'write'));
    await app.onDemand.sync(engine.listDefinitions());
    await app.watchConfig(opts.watch);
    return app;
  }

  /** Watches agents.json and settings.json: a hand edit is applied (or reported) within a second or two. */
  private async watchConfig(opts: AppOptions['watch']): Promise<void> {
    if (opts === false) return;
    this.watcher = new ConfigWatcher(
      [
        { file: this.store.file, changed: () => this.store.refresh() },
        { file: this.settingsStore.file, changed: () => this.settingsStore.refresh() },
      ],
      opts ?? {},
    );
    await this.watcher.start();
  }

  /** Starts every agent marked `autostart` (each after its dependencies; the concurrency limit applies), unless `startAgentsOnLaunch` is off. */
  async startAutostartAgents(): Promise<BulkResult> {
    if (!this.settings.startAgentsOnLaunch) return { results: [] };
    // side by side, in file order: an agent waiting for a slow dependency holds back no other
    const chosen = this.store.list().filter((d) => d.autostart && this.engine.status(d.name).state !== 'running'); // running: adopted
    const results = await Promise.all(
      chosen.map(async (def): Promise<BulkResult['results'][number]> => {
        this.autostarting.add(def.name);
        try {
          const status = await this.engine.start(def.name).finally(() => this.autostarting.delete(def.name));
          return { name: def.name, ok: status.state === 'running', status };
        } catch (err) {
          const e = err as { code?: string; message: string };
          return { name: def.name, ok: false, status: this.engine.status(def.name), error: { code: e.code ?? 'internal', message: e.message } };
        }
      }),
    );
    return { results };
  }

  /** Changes the concurrency limit now and in settings.json (null removes it). */
  async setMaxConcurrent(limit: number | null): Promise<{ oldLimit: number | null; newLimit: number | null }> {
    this.settings = await this.settingsStore.update({ maxConcurrent: limit });
    return this.engine.setMaxConcurrent(limit);
  }

  /** Applies a change of settings now where it can, saves it, and tells every subscriber. */
  async changeSettings(changes: SettingsChange): Promise<{ settings: Settings; appliesAfterRestart: string[] }> {
    this.settings = await this.settingsStore.update(changes);
    if (changes.maxConcurrent !== undefined) this.engine.setMaxConcurrent(changes.maxConcurrent);
    if (changes.sampleIntervalMs !== undefined) this.supervisor.setSampleInterval(changes.sampleIntervalMs);
    if (changes.historyRetention !== undefined) this.history.setRetention(changes.historyRetention);
    this.publish({ type: 'settings-changed', settings: this.settings });
    return { settings: this.settings, appliesAfterRestart: RESTART_NEEDED_SETTINGS.filter((key) => changes[key] !== undefined) };
  }

  /** Validates `input` with the command's schema and runs its one handler. */
  dispatch<C extends CommandName>(name: C, input: unknown, context?: CommandContext): Promise<CommandResult<C>> {
    return dispatchCommand(this.handlers, name, input, context);
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
    this.watcher?.close();
    this.offDefinitions();
    await this.onDemand.close();
    this.supervisor.close();
    await this.engine.close(opts);
    await this.recorder.flush();
    await this.alertStore.flush();
    this.offEngine();
    this.listeners.clear();
  }
}
