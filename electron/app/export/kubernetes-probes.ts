// An agent's health check as Kubernetes probes: readiness always, liveness when the agent is to be
// restarted when it turns unhealthy. An HTTP or TCP probe of this machine (127.0.0.1, localhost)
// probes the pod instead.
import { durationText, wholeSeconds, type EffectiveAgent } from './effective.js';
import type { ExportReport } from './types.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]', '0.0.0.0']);

type Probe = Record<string, unknown>;

/** The action part of a probe: httpGet, tcpSocket or exec. */
function action(a: EffectiveAgent, report: ExportReport): Probe {
  const p = a.health!.probe;
  if (p.kind === 'command') return { exec: { command: [...p.argv] } };
  const host = p.kind === 'http' ? new URL(p.url).hostname : p.host;
  const remote = !LOOPBACK.has(host);
  if (remote) report.note(`${a.def.name}: its health check probes ${host}, another machine; the kubelet probes that host, not the pod.`);
  if (p.kind === 'tcp') return { tcpSocket: { port: p.port, ...(remote ? { host } : {}) } };
  const url = new URL(p.url);
  const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
  return { httpGet: { path: `${url.pathname}${url.search}`, port, scheme: url.protocol === 'https:' ? 'HTTPS' : 'HTTP', ...(remote ? { host } : {}) } };
}

/** readinessProbe and livenessProbe of a container, or none. */
export function kubernetesProbes(a: EffectiveAgent, report: ExportReport): { readinessProbe?: Probe; livenessProbe?: Probe } {
  const h = a.health;
  if (!h) return {};
  const name = a.def.name;
  const seconds = (field: 'intervalMs' | 'timeoutMs' | 'startPeriodMs', min: number) => {
    const s = wholeSeconds(h[field], min);
    if (s.rounded) report.lose(name, `health.${field}`, `Kubernetes counts whole seconds: ${durationText(h[field])} became ${s.seconds} s`);
    return s.seconds;
  };
  const timing = {
    initialDelaySeconds: seconds('startPeriodMs', 0),
    periodSeconds: seconds('intervalMs', 1),
    timeoutSeconds: seconds('timeoutMs', 1),
    failureThreshold: h.failureThreshold,
  };
  const probe = action(a, report);
  const readinessProbe = { ...probe, ...timing, successThreshold: h.successThreshold };
  if (!h.restartOnFailure) return { readinessProbe };
  if (h.successThreshold !== 1) report.lose(name, 'health.successThreshold', `a liveness probe counts one success as healthy; ${h.successThreshold} applies to readiness only`);
  return { readinessProbe, livenessProbe: { ...probe, ...timing, successThreshold: 1 } };
}
