// Alerts: what a person should notice, raised from the event stream — a crash, a give-up, an
// unhealthy agent, a limit breach, memory that will reach its limit soon, utilization over 80 % —
// with a cooldown per agent and kind so a flapping agent does not flood, kept in a bounded list.
import type { Alert, EngineEvent } from '../../shared/status.js';

export interface AlertSource {
  /** Agents running now, and the limit. */
  utilization(): { active: number; max: number };
  /** When the agent's memory will reach its limit at its current trend, if it will soon. */
  memoryForecast(name: string): { message: string } | null;
}

export interface AlertOptions {
  cooldownMs?: number;
  maxAlerts?: number;
  now?: () => number;
}

export class AlertCenter {
  private readonly alerts: Alert[] = [];
  private readonly lastRaised = new Map<string, number>();
  private nextId = 1;
  private readonly cooldownMs: number;
  private readonly maxAlerts: number;
  private readonly now: () => number;

  constructor(
    private readonly source: AlertSource,
    private readonly publish: (alert: Alert) => void,
    opts: AlertOptions = {},
  ) {
    this.cooldownMs = opts.cooldownMs ?? 60_000;
    this.maxAlerts = opts.maxAlerts ?? 200;
    this.now = opts.now ?? Date.now;
  }

  /** The kept alerts, newest last; only those after `sinceId` when given. */
  list(sinceId = 0): Alert[] {
    return this.alerts.filter((a) => a.id > sinceId);
  }

  /** Looks at one engine event and raises what it calls for. */
  observe(event: EngineEvent): void {
    switch (event.type) {
      case 'state': {
        const { name, to, reason } = event;
        // the last error carries the stderr lines that explain a crash ("…: boom: OPENAI_API_KEY is not set")
        const why = event.status.lastError?.message && event.status.lastError.message.length > reason.message.length ? event.status.lastError.message : reason.message;
        if (to === 'backoff') this.raise('warning', 'crashed', name, why);
        else if (to === 'crashed') this.raise('critical', reason.kind === 'policy' ? 'gave-up' : 'crashed', name, why);
        else if (to === 'errored') this.raise('critical', 'errored', name, why);
        if (to === 'starting' || to === 'running') {
          const { active, max } = this.source.utilization();
          if (max > 0 && active / max > 0.8) this.raise('warning', 'utilization', null, `${active} of ${max} agents are running (${Math.round((active / max) * 100)} % of the concurrency limit)`);
        }
        return;
      }
      case 'health-changed':
        if (event.to === 'unhealthy') this.raise('critical', 'unhealthy', event.name, `${event.name} is unhealthy${event.probe ? `: ${event.probe.detail}` : ''}`);
        if (event.to === 'zombie') this.raise('critical', 'zombie', event.name, `${event.name} has a zombie process`);
        return;
      case 'limit-violated':
        this.raise(event.violation.action === 'warn' ? 'warning' : 'critical', 'limit', event.name, `${event.name}: ${event.violation.message} (${event.violation.action})`);
        return;
      case 'stats': {
        const forecast = this.source.memoryForecast(event.name);
        if (forecast) this.raise('warning', 'memory-trend', event.name, forecast.message);
        return;
      }
      default:
        return;
    }
  }

  private raise(severity: Alert['severity'], kind: string, name: string | null, message: string): void {
    const key = `${kind}\u0000${name ?? ''}`;
    const now = this.now();
    const last = this.lastRaised.get(key);
    if (last !== undefined && now - last < this.cooldownMs) return;
    this.lastRaised.set(key, now);
    const alert: Alert = { id: this.nextId++, at: now, severity, kind, name, message };
    this.alerts.push(alert);
    if (this.alerts.length > this.maxAlerts) this.alerts.splice(0, this.alerts.length - this.maxAlerts);
    this.publish(alert);
  }
}
