// Health-check settings with every default filled in: which probe to run and the policy around it.
import type { HealthSettings } from '../../../shared/agent.js';

/** The policy fields of a health check that have defaults. */
export interface HealthPolicy {
  intervalMs: number;
  timeoutMs: number;
  startPeriodMs: number;
  failureThreshold: number;
  successThreshold: number;
  restartOnFailure: boolean;
}

/** The defaults of every health-check setting, in one place. */
export const HEALTH_DEFAULTS: Readonly<HealthPolicy> = Object.freeze({
  intervalMs: 10_000,
  timeoutMs: 2_000,
  startPeriodMs: 5_000,
  failureThreshold: 3,
  successThreshold: 1,
  restartOnFailure: false,
});

/** The host a tcp probe connects to when none is given. */
export const DEFAULT_TCP_HOST = '127.0.0.1';

/** What one probe does. */
export type HealthProbe =
  | { kind: 'http'; url: string }
  | { kind: 'tcp'; host: string; port: number }
  | { kind: 'command'; argv: string[] };

/** A health check ready to run: the probe and a policy with every field set. */
export interface ResolvedHealth extends HealthPolicy {
  probe: HealthProbe;
}

/** The probe configured in `settings`, or null when it has none. */
function probeOf(settings: HealthSettings): HealthProbe | null {
  if (settings.http) return { kind: 'http', url: settings.http.url };
  if (settings.tcp) return { kind: 'tcp', host: settings.tcp.host ?? DEFAULT_TCP_HOST, port: settings.tcp.port };
  if (settings.command && settings.command.length > 0) return { kind: 'command', argv: [...settings.command] };
  return null;
}

/** `settings` over `defaults` (e.g. from the app settings) over HEALTH_DEFAULTS; null when no probe is configured. */
export function resolveHealth(settings: HealthSettings, defaults: Partial<HealthPolicy> = {}): ResolvedHealth | null {
  const probe = probeOf(settings);
  if (!probe) return null;
  const pick = <K extends keyof HealthPolicy>(key: K): HealthPolicy[K] => settings[key] ?? defaults[key] ?? HEALTH_DEFAULTS[key];
  return {
    probe,
    intervalMs: pick('intervalMs'),
    timeoutMs: pick('timeoutMs'),
    startPeriodMs: pick('startPeriodMs'),
    failureThreshold: pick('failureThreshold'),
    successThreshold: pick('successThreshold'),
    restartOnFailure: pick('restartOnFailure'),
  };
}
