// An on-demand agent's health probe goes to its internal port: the public one is Agent Tray's relay,
// where a probe would count as a client (and hold off the idle stop for ever) or start the agent.
import type { HealthProbe } from '../health/health-defaults.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** `probe` with the public port swapped for the internal one where it aims at this machine's public port; other probes unchanged. */
export function probeOnInternalPort(probe: HealthProbe, publicPort: number, internalPort: number): HealthProbe {
  if (probe.kind === 'tcp') return LOOPBACK.has(probe.host) && probe.port === publicPort ? { ...probe, port: internalPort } : probe;
  if (probe.kind !== 'http') return probe; // a command probe has PORT in its environment
  let url: URL;
  try {
    url = new URL(probe.url);
  } catch {
    return probe;
  }
  const port = url.port === '' ? (url.protocol === 'https:' ? 443 : 80) : Number(url.port);
  if (!LOOPBACK.has(url.hostname) || port !== publicPort) return probe;
  url.port = String(internalPort);
  return { kind: 'http', url: url.toString() };
}
