// The settings of one process-compose process that become the supervision settings of an agent:
// probes → health, availability → restart, shutdown → stop, depends_on → dependsOn. Each function
// returns the setting and what of the source it could not carry over.
import type { AgentDefinitionInput, DependencyCondition, StopSignal } from '../../../shared/agent.js';
import { isRecord } from './detect.js';
import { commandOfLine } from './shell-words.js';
import type { NotCarried } from './types.js';

type Health = NonNullable<AgentDefinitionInput['health']>;
type Restart = NonNullable<AgentDefinitionInput['restart']>;
type Stop = NonNullable<AgentDefinitionInput['stop']>;
export type Shell = { command: string; argument: string };

/** A whole number of seconds as ms, or undefined when it is not one. */
function seconds(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? Math.round(value * 1000) : undefined;
}

/** A probe's HTTP URL from http_get (scheme, host, port or num_port, path). */
function probeUrl(get: Record<string, unknown>): string | null {
  const port = get.num_port ?? get.port;
  if (port === undefined || port === '' || port === null) return null;
  const scheme = typeof get.scheme === 'string' && get.scheme ? get.scheme : 'http';
  const host = typeof get.host === 'string' && get.host ? get.host : '127.0.0.1';
  const rawPath = typeof get.path === 'string' ? get.path : '/';
  return `${scheme}://${host}:${String(port)}${rawPath.startsWith('/') ? rawPath : `/${rawPath}`}`;
}

/** A readiness or liveness probe as Agent Tray's health settings (without restartOnFailure). */
function probeHealth(probe: Record<string, unknown>, field: string, platform: NodeJS.Platform, shell: Shell, out: NotCarried[]): Health | null {
  const health: Health = {};
  if (isRecord(probe.http_get)) {
    const url = probeUrl(probe.http_get);
    if (url) health.http = { url };
    else out.push({ field: `${field}.http_get`, reason: 'it names no port' });
  } else if (isRecord(probe.exec) && typeof probe.exec.command === 'string') {
    const { command, args } = commandOfLine(probe.exec.command, platform, shell);
    health.command = [command, ...args];
    if (probe.exec.working_dir) out.push({ field: `${field}.exec.working_dir`, reason: 'a health command runs in the agent\'s cwd' });
  } else {
    out.push({ field, reason: 'it has neither http_get nor exec' });
    return null;
  }
  const initial = seconds(probe.initial_delay_seconds);
  const period = seconds(probe.period_seconds);
  const timeout = seconds(probe.timeout_seconds);
  if (initial !== undefined) health.startPeriodMs = initial;
  if (period !== undefined) health.intervalMs = Math.max(100, period);
  if (timeout !== undefined) health.timeoutMs = Math.max(10, timeout);
  if (typeof probe.success_threshold === 'number') health.successThreshold = probe.success_threshold;
  if (typeof probe.failure_threshold === 'number') health.failureThreshold = probe.failure_threshold;
  return health;
}

/** The two probes as one health check: readiness decides `healthy`; liveness alone (or the same probe) also restarts the agent when it fails. */
export function healthOf(proc: Record<string, unknown>, platform: NodeJS.Platform, shell: Shell, out: NotCarried[]): Health | undefined {
  const readiness = isRecord(proc.readiness_probe) ? probeHealth(proc.readiness_probe, 'readiness_probe', platform, shell, out) : null;
  const liveness = isRecord(proc.liveness_probe) ? probeHealth(proc.liveness_probe, 'liveness_probe', platform, shell, out) : null;
  if (readiness && liveness) {
    if (JSON.stringify(readiness) === JSON.stringify(liveness)) return { ...readiness, restartOnFailure: true };
    out.push({ field: 'liveness_probe', reason: 'an agent has one health check; the readiness probe became it (a failed liveness probe would restart the process; set health.restartOnFailure to have that)' });
    return readiness;
  }
  if (liveness) return { ...liveness, restartOnFailure: true };
  return readiness ?? undefined;
}

/** availability as a restart policy; process-compose restarts nothing unless asked, so neither does the agent. */
export function restartOf(availability: unknown, out: NotCarried[]): Restart {
  const a = isRecord(availability) ? availability : {};
  const restart: Restart = {};
  switch (a.restart) {
    case 'always':
      restart.policy = 'always';
      break;
    case 'on_failure':
      restart.policy = 'on-failure';
      break;
    case 'exit_on_failure':
      restart.policy = 'no';
      out.push({ field: 'availability.restart', reason: 'exit_on_failure stops all of process-compose when this process fails; Agent Tray does not stop other agents, so this one is simply not restarted' });
      break;
    case undefined:
    case 'no':
      restart.policy = 'no';
      break;
    default:
      restart.policy = 'no';
      out.push({ field: 'availability.restart', reason: `"${String(a.restart)}" is not a restart policy process-compose knows; the agent is not restarted` });
  }
  const backoff = seconds(a.backoff_seconds);
  if (backoff !== undefined && restart.policy !== 'no') restart.backoff = { initialMs: backoff, factor: 1, maxMs: backoff };
  if (typeof a.max_restarts === 'number' && a.max_restarts > 0 && restart.policy !== 'no') {
    restart.maxRestarts = Math.min(1000, a.max_restarts);
    out.push({ field: 'availability.max_restarts', reason: 'Agent Tray counts restarts within restart.windowMs (60 s by default), process-compose over the whole run' });
  } else if (restart.policy !== 'no') {
    out.push({ field: 'availability.max_restarts', reason: 'process-compose restarts without a limit; the agent gives up after 5 restarts within a minute (restart.maxRestarts, restart.windowMs)' });
  }
  for (const key of ['exit_on_end', 'exit_on_skipped']) {
    if (a[key]) out.push({ field: `availability.${key}`, reason: 'Agent Tray does not stop other agents when one ends' });
  }
  return restart;
}

/** Linux signal numbers of the signals an agent may be stopped with. */
const SIGNALS: Record<number, StopSignal> = { 1: 'SIGHUP', 2: 'SIGINT', 3: 'SIGQUIT', 10: 'SIGUSR1', 12: 'SIGUSR2', 15: 'SIGTERM' };

/** shutdown as stop settings, or undefined when there is nothing to carry. */
export function stopOf(shutdown: unknown, platform: NodeJS.Platform, shell: Shell, out: NotCarried[]): Stop | undefined {
  if (!isRecord(shutdown)) return undefined;
  const stop: Stop = {};
  if (typeof shutdown.command === 'string' && shutdown.command.trim()) {
    const { command, args } = commandOfLine(shutdown.command, platform, shell);
    stop.command = [command, ...args];
  }
  const timeout = seconds(shutdown.timeout_seconds);
  if (timeout !== undefined) stop.timeoutMs = Math.min(600_000, timeout);
  if (typeof shutdown.signal === 'number') {
    const signal = SIGNALS[shutdown.signal];
    if (signal) stop.signal = signal;
    else out.push({ field: 'shutdown.signal', reason: `signal ${shutdown.signal} is not one an agent can be stopped with first (${Object.values(SIGNALS).join(', ')}); it gets SIGTERM` });
  }
  if (shutdown.parent_only) out.push({ field: 'shutdown.parent_only', reason: 'Agent Tray always stops the whole process tree' });
  return Object.keys(stop).length > 0 ? stop : undefined;
}

/** process-compose's conditions and what they become. */
const CONDITIONS: Record<string, DependencyCondition> = {
  process_started: 'started',
  process_healthy: 'healthy',
  process_log_ready: 'ready',
  process_completed_successfully: 'completed',
  process_completed: 'completed',
};

/** depends_on as dependsOn (by the file's names); dependencies on processes the file does not have are dropped. */
export function dependsOnOf(dependsOn: unknown, known: ReadonlySet<string>, out: NotCarried[]): Record<string, DependencyCondition> | undefined {
  if (!isRecord(dependsOn)) return undefined;
  const result: Record<string, DependencyCondition> = {};
  for (const [name, spec] of Object.entries(dependsOn)) {
    const condition = isRecord(spec) && typeof spec.condition === 'string' ? spec.condition : 'process_started';
    if (!known.has(name)) {
      out.push({ field: `depends_on.${name}`, reason: `the file has no process "${name}"` });
      continue;
    }
    const mapped = CONDITIONS[condition];
    if (!mapped) {
      out.push({ field: `depends_on.${name}.condition`, reason: `"${condition}" is not a condition process-compose knows; it became "started"` });
      result[name] = 'started';
      continue;
    }
    if (condition === 'process_completed') out.push({ field: `depends_on.${name}.condition`, reason: 'process_completed accepts any exit code; "completed" here waits for exit code 0' });
    result[name] = mapped;
  }
  return Object.keys(result).length > 0 ? result : undefined;
}
