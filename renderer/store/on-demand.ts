// What the window says of an on-demand agent's relay, from its status.
import type { AgentStatus } from '../../shared/status.js';
import { formatUptime, plural } from './format.js';

/** One short line for the header ("listening on :8080; starts on the first connection"), or null for an agent that is not on demand. */
export function onDemandText(status: Pick<AgentStatus, 'state' | 'onDemand'>, now: number): string | null {
  const od = status.onDemand;
  if (!od) return null;
  if (!od.listening) return od.problem ? `not listening on :${od.publicPort}` : `opening :${od.publicPort}`;
  const running = status.state === 'running';
  if (od.connections > 0) return `${plural(od.connections, 'connection', 'connections')} through :${od.publicPort}`;
  if (!running) return `listening on :${od.publicPort}; starts on the first connection`;
  return od.idleSince !== null ? `idle for ${formatUptime(Math.max(0, now - od.idleSince))} on :${od.publicPort}` : `on :${od.publicPort}`;
}
