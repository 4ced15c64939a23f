// The application on top of the engine: the agents store, the settings, the one event stream and
// the command table. It knows no transport; the Electron host and the headless host both call
// `dispatch` and `subscribe`.
import type { CommandName, CommandResult } from '../../shared/commands.js';
import type { HostEvent } from '../../shared/events.js';
import type { Settings } from '../../shared/settings.js';
import { Engine, type EngineOptions } from '../core/engine.js';
import { dataPaths } from '../core/paths.js';
import { AgentStore } from './agent-store.js';
import { createHandlers, dispatchCommand, type Handlers } from './command-table.js';
import { loadSettings } from './settings-file.js';

export interface AppOptions {
  dataDir: string;
  /** The agents file (default: agents.json in the data directory). */
  agentsFile?: string;
  platform?: NodeJS.Platform;
  env?: Record<string, string | undefined>;
  logs?: EngineOptions['logs'];
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

  private constructor(
    readonly engine: Engine,
    readonly store: AgentStore,
    readonly settings: Settings,
    readonly settingsFile: string,
    readonly platform: NodeJS.Platform,
    readonly env: Record<string, string | undefined>,
  ) {
    this.handlers = createHandlers(this);
    this.offEngine = engine.subscribe((event) => this.publish(event));
  }

  /** Loads settings and agents from the data directory and creates the engine. */
  static async open(opts: AppOptions): Promise<AgentTrayApp> {
    const platform = opts.platform ?? process.platform;
    const env = opts.env ?? process.env;
    const paths = dataPaths(opts.dataDir, platform);
    const [settings, store] = await Promise.all([loadSettings(paths.settingsFile), AgentStore.load(opts.agentsFile ?? paths.agentsFile)]);
    const engine = new Engine({ dataDir: opts.dataDir, platform, env, ...(opts.logs ? { logs: opts.logs } : {}) });
    engine.setDefinitions(store.list());
    return new AgentTrayApp(engine, store, settings, paths.settingsFile, platform, env);
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
    await this.engine.close(opts);
    this.offEngine();
    this.listeners.clear();
  }
}
