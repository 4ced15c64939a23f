// Alerts: what a person should notice, raised from the event stream — a crash, a give-up, an
// unhealthy agent, a limit breach, memory that will reach its limit soon, utilization over 80 % of
// the concurrency limit (only when one is set), a file that cannot be written (kind `disk`) — with
// a cooldown per agent and kind (per file for `disk`) so a flapping agent or a full disk does not
// flood, kept in a bounded list. Failed writes are also counted, per file.
import type { Alert, EngineEvent } from '../../shared/status.js';

/** The failed writes of one file since the host started (from `io-error` events). */
export interface IoErrorCount {
  file: string;
  /** The agent whose log it is; null for a host file (history.jsonl, …). */
  name: string | null;
  count: number;
  /** The errno code of the latest failure (ENOSPC, EROFS, EACCES, …). */
  code: string;
  message: string;
  lastAt: number;
}

export interface AlertSource {
  /** Agents running now, and the limit (null: none is set, so there is nothing to be near). */
  utilization(): { active: number; max: number | null };
  /** When the agent's memory will reach its limit at its current trend, if it will soon. */
  memoryForecast(name: string): { message: string } | null;
}

export interface AlertOptions {
  cooldownMs?: number;
  maxAlerts?: number;
  now?: () => number;
  /** Alerts kept from before (the alerts file), oldest first; new ids continue after theirs. */
  initial?: readonly Alert[];
  /** Called with the whole list after each change (a new alert, marked read, cleared), to keep it. */
  onChange?: (alerts: readonly Alert[]) => void;
}

/** Which kept alerts to list. */
export interface AlertFilter {
  /** Only alerts with a larger id. */
  since?: number;
  /** Only alerts about this agent. */
  agent?: string;
  severity?: Alert['severity'];
}

export class AlertCenter {
  private readonly alerts: Alert[] = [];
  private readonly lastRaised = new Map<string, number>();
  private readonly ioCounts = new Map<string, IoErrorCount>();
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
    this.onChange = opts.onChange ?? (() => undefined);
    this.alerts.push(...(opts.initial ?? []).slice(-this.maxAlerts));
    this.nextId = this.alerts.reduce((max, a) => Math.max(max, a.id), 0) + 1;
  }

  private readonly onChange: (alerts: readonly Alert[]) => void;

  /** The kept alerts, newest last, narrowed by `filter`. */
  list(filter: AlertFilter | number = {}): Alert[] {
    const { since = 0, agent, severity } = typeof filter === 'number' ? { since: filter } : filter;
    return this.alerts.filter((a) => a.id > since && (agent === undefined || a.name === agent) && (severity === undefined || a.severity === severity));
  }

  /** Marks the alerts with these ids (all when `ids` is omitted) read; returns how many changed. */
  markRead(ids?: readonly number[]): number {
    return this.markReadIds(ids).length;
  }

  /** Marks the alerts with these ids (all when `ids` is omitted) read; returns the ids of those that were unread. */
  markReadIds(ids?: readonly number[]): number[] {
    const wanted = ids ? new Set(ids) : null;
    const changed: number[] = [];
    for (const [i, a] of this.alerts.entries()) {
      if (a.read || (wanted && !wanted.has(a.id))) continue;
      this.alerts[i] = { ...a, read: true };
      changed.push(a.id);
    }
    if (changed.length > 0) this.onChange(this.alerts);
    return changed;
  }

  /** Forgets every kept alert; returns how many there were. Ids go on counting up. */
  clear(): number {
    const n = this.alerts.length;
    this.alerts.splice(0);
    if (n > 0) this.onChange(this.alerts);
    return n;
  }

  /** Failed writes since the host started: the total, and per file (newest failure first). */
  ioErrors(): { total: number; files: IoErrorCount[] } {
    const files = [...this.ioCounts.values()].map((c) => ({ ...c })).sort((a, b) => b.lastAt - a.lastAt);
    return { total: files.reduce((n, c) => n + c.count, 0), files };
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
          if (max !== null && max > 0 && active / max > 0.8) this.raise('warning', 'utilization', null, `${active} of ${max} agents are running (${Math.round((active / max) * 100)} % of the concurrency limit)`);
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
      case 'io-error': {
        const seen = this.ioCounts.get(event.file);
        this.ioCounts.set(event.file, { file: event.file, name: event.name, count: (seen?.count ?? 0) + 1, code: event.code, message: event.message, lastAt: event.at });
        const times = seen ? ` (${seen.count + 1} failed writes so far)` : '';
        this.raise('warning', 'disk', event.name, `${event.message}${times}`, event.file);
        return;
      }
      case 'stats': {
        const forecast = this.source.memoryForecast(event.name);
        if (forecast) this.raise('warning', 'memory-trend', event.name, forecast.message);
        return;
      }
      default:
        return;
    }
  }

  /** Raises an agent's alert the event stream does not carry (an on-demand agent's port taken), with the usual cooldown. */
  agentAlert(severity: Alert['severity'], kind: string, name: string, message: string): void {
    this.raise(severity, kind, name, message);
  }

  /** Raises a host-wide alert the event stream does not carry (an invalid configuration file); no cooldown: each one is news. */
  notify(severity: Alert['severity'], kind: string, message: string): void {
    this.keep({ id: this.nextId++, at: this.now(), severity, kind, name: null, message });
  }

  /** Publishes an alert unless the same kind for the same agent (and `about`, when given) was raised within the cooldown. */
  private raise(severity: Alert['severity'], kind: string, name: string | null, message: string, about = ''): void {
    const key = `${kind}\u0000${name ?? ''}\u0000${about}`;
    const now = this.now();
    const last = this.lastRaised.get(key);
    if (last !== undefined && now - last < this.cooldownMs) return;
    this.lastRaised.set(key, now);
    this.keep({ id: this.nextId++, at: now, severity, kind, name, message });
  }

  /** Adds an alert to the bounded list, publishes it and hands the list to `onChange`. */
  private keep(alert: Alert): void {
    this.alerts.push(alert);
    if (this.alerts.length > this.maxAlerts) this.alerts.splice(0, this.alerts.length - this.maxAlerts);
    this.publish(alert);
    this.onChange(this.alerts);
  }
}
