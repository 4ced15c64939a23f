// The tray's picture of every agent, kept from the host's event stream (snapshot, then changes),
// and a controller that turns it into a menu template, an icon state and a tooltip, rendering at
// most a few times a second and never when nothing visible changed. Electron-free: the glue
// passes a `render` that sets the real menu and icon.
import type { HostEvent } from '../../../shared/events.js';
import type { AgentStatus } from '../../../shared/status.js';
import { createThrottle, type Throttle, type ThrottleTimers } from './rebuild-throttle.js';
import { trayIconState, trayTooltip, type TrayIconState } from './tray-icon-state.js';
import { trayMenu, type TrayMenuItem, type TraySettings } from './tray-menu.js';

/** The agents in the order the host listed them, updated by events. Returns true when something the tray shows changed. */
export class TrayAgents {
  private readonly byName = new Map<string, AgentStatus>();

  list(): AgentStatus[] {
    return [...this.byName.values()];
  }

  apply(event: HostEvent): boolean {
    switch (event.type) {
      case 'snapshot':
        this.byName.clear();
        for (const a of event.agents) this.byName.set(a.name, a);
        return true;
      case 'state':
      case 'agent-added':
      case 'agent-updated':
        this.byName.set(event.name, event.status);
        return true;
      case 'agent-removed':
        return this.byName.delete(event.name);
      case 'health-changed': {
        const agent = this.byName.get(event.name);
        if (!agent) return false;
        this.byName.set(event.name, { ...agent, health: event.to, healthScore: event.score });
        return true;
      }
      case 'ready': {
        // a waiting agent's label says which conditions still hold it back
        const agent = this.byName.get(event.name);
        if (!agent) return false;
        this.byName.set(event.name, { ...agent, ready: true, readyAt: event.at });
        return true;
      }
      default:
        return false; // logs, stats, violations, alerts: nothing the menu shows
    }
  }
}

/** What the tray shows at one moment. */
export interface TrayView {
  template: TrayMenuItem[];
  icon: TrayIconState;
  tooltip: string;
}

export interface TrayControllerOptions {
  /** Sets the real menu, icon and tooltip. Called only when the view changed. */
  render(view: TrayView): void;
  settings(): TraySettings;
  /** Least time between two renders (default 250 ms). */
  minIntervalMs?: number;
  timers?: ThrottleTimers;
}

export class TrayController {
  readonly agents = new TrayAgents();
  private readonly throttle: Throttle;
  private readonly timers: ThrottleTimers;
  private lastKey = '';
  private lastIcon: TrayIconState | null = null;
  private countdown: unknown = null;

  constructor(private readonly opts: TrayControllerOptions) {
    this.timers = opts.timers ?? { setTimeout, clearTimeout, now: Date.now };
    this.throttle = createThrottle(() => this.render(), opts.minIntervalMs ?? 250, this.timers);
  }

  /** Feed one host event. */
  observe(event: HostEvent): void {
    if (this.agents.apply(event)) this.throttle.request();
  }

  /** Something outside the agents changed (a setting): render again. */
  refresh(): void {
    this.throttle.request();
  }

  dispose(): void {
    this.throttle.dispose();
    if (this.countdown !== null) this.timers.clearTimeout(this.countdown);
    this.countdown = null;
  }

  private render(): void {
    const agents = this.agents.list();
    const now = this.timers.now();
    const view: TrayView = { template: trayMenu(agents, this.opts.settings(), now), icon: trayIconState(agents), tooltip: trayTooltip(agents) };
    const key = JSON.stringify(view);
    if (key !== this.lastKey) {
      this.lastKey = key;
      this.lastIcon = view.icon;
      this.opts.render(view);
    }
    // a backoff label counts down: look again in a second while any agent waits to retry
    if (this.countdown !== null) this.timers.clearTimeout(this.countdown);
    this.countdown = agents.some((a) => a.state === 'backoff' && a.nextAttemptAt !== null)
      ? this.timers.setTimeout(() => {
          this.countdown = null;
          this.throttle.request();
        }, 1000)
      : null;
  }

  /** The icon state last rendered (null before the first render). */
  get icon(): TrayIconState | null {
    return this.lastIcon;
  }
}
