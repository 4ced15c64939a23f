// Brings hand edits of agents.json and settings.json into the running application: new agents
// appear, changed ones take their new definition at their next start, removed ones that are
// stopped disappear and removed ones that run are dropped once they stop; settings that can change
// live do; an edit that does not load raises an alert and changes nothing. Each change is an event,
// so the window and the tray update.
import { isDeepStrictEqual } from 'node:util';
import type { AgentsFile } from '../../shared/agent.js';
import type { Settings } from '../../shared/settings.js';
import type { EngineEvent } from '../../shared/status.js';
import { isActive } from '../core/state-machine.js';
import type { AgentTrayApp } from './application.js';
import type { ConfigChange, ConfigProblem } from './config-file.js';

export class ConfigSync {
  constructor(private readonly app: AgentTrayApp) {}

  /** Listens to both files' changes. */
  attach(): void {
    this.app.store.config.onChange = (change) => this.onChange(change, (b, a) => this.agentsChanged(b, a));
    this.app.settingsStore.config.onChange = (change) => this.onChange(change, (_b, a) => this.settingsChanged(a));
  }

  private onChange<T>(change: ConfigChange<T>, apply: (before: T, after: T) => void): void {
    if (change.kind === 'changed') apply(change.before, change.after);
    else if (change.kind === 'invalid') this.invalid(change.problem);
  }

  /** An edit that does not load: a critical alert; the configuration in force stays. */
  private invalid(problem: ConfigProblem): void {
    this.app.alerts.notify('critical', 'config-invalid', `${problem.message}. Nothing of this edit was applied: the configuration loaded before stays in force until the file loads again`);
  }

  /** A valid edit of agents.json: the engine gets the new definitions, each difference is announced. */
  agentsChanged(before: AgentsFile, after: AgentsFile): void {
    const engine = this.app.engine;
    try {
      engine.setDefinitions(after.agents);
    } catch (err) {
      this.invalid({ message: `${this.app.store.file}: ${(err as Error).message}`, line: null, column: null });
      return;
    }
    const was = new Map(before.agents.map((a) => [a.name, a]));
    for (const def of after.agents) {
      const old = was.get(def.name);
      if (!old) this.app.publish({ type: 'agent-added', name: def.name, status: engine.status(def.name) });
      else if (!isDeepStrictEqual(old, def)) this.app.publish({ type: 'agent-updated', name: def.name, status: engine.status(def.name) });
    }
    const kept = new Set(after.agents.map((a) => a.name));
    for (const name of was.keys()) {
      if (kept.has(name)) continue;
      const running = engine.list().find((s) => s.name === name);
      // one that runs stays until it stops (its status says `removed`); the others are gone now
      if (running) this.app.publish({ type: 'agent-updated', name, status: running });
      else this.app.publish({ type: 'agent-removed', name });
    }
  }

  /** A valid edit of settings.json: what can change live does, and every subscriber is told. */
  settingsChanged(after: Settings): void {
    const before = this.app.settings;
    this.app.settings = after; // the sandbox is read from here at every check
    if (before.maxConcurrent !== after.maxConcurrent) this.app.engine.setMaxConcurrent(after.maxConcurrent);
    if (before.sampleIntervalMs !== after.sampleIntervalMs) this.app.supervisor.setSampleInterval(after.sampleIntervalMs);
    if (before.historyRetention !== after.historyRetention) this.app.history.setRetention(after.historyRetention);
    this.app.publish({ type: 'settings-changed', settings: after });
  }

  /** An agent removed while it ran is dropped once it no longer runs (after the command that stopped it has its answer). */
  observe(event: EngineEvent): void {
    if (event.type !== 'state' || isActive(event.to) || !event.status.removed) return;
    const name = event.name;
    setImmediate(() => {
      if (this.app.engine.forgetRemoved(name)) this.app.publish({ type: 'agent-removed', name });
    });
  }
}
