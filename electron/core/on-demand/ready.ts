// When an on-demand agent that runs can take the held connections: by its own measure of ready
// (its readyLine, else its health probe aimed at the internal port, else nothing more) and with
// its internal port accepting on a loopback address, which is where the relay then connects.
import { setTimeout as delay } from 'node:timers/promises';
import type { AgentDefinition } from '../../../shared/agent.js';
import type { AgentStatus } from '../../../shared/status.js';
import { resolveHealth } from '../health/health-defaults.js';
import { runProbe } from '../health/probes.js';
import { probeOnInternalPort } from './probe-port.js';
import { acceptingHost } from './tcp.js';

/** How often readiness is looked at while an agent starts: a closed loopback port answers at once, so this bounds the added latency. */
const READY_POLL_MS = 10;
/** How often a health probe is tried while it starts (a command probe is a process each time). */
const PROBE_POLL_MS = 100;

export interface ReadyWait {
  def: AgentDefinition & { port: number };
  internalPort: number;
  /** The agent's status now. */
  status: () => AgentStatus;
  /** Its working directory and environment (a command probe runs there). */
  context: () => { cwd: string; env: Record<string, string> };
  timeoutMs: number;
}

/** Resolves with the loopback address to relay to once the agent is ready; rejects when it stops running or the time is up. */
export async function waitUntilReady(w: ReadyWait): Promise<string> {
  const deadline = Date.now() + w.timeoutMs;
  const { def, internalPort } = w;
  const health = def.health ? resolveHealth(def.health) : null;
  const probe = health ? probeOnInternalPort(health.probe, def.port, internalPort) : null;
  for (;;) {
    const status = w.status();
    if (status.state !== 'running') throw new Error(`Agent "${def.name}" stopped before it was ready (${status.lastError?.message ?? status.state})`);
    // the readyLine when its output is ours, else its probe, else accepting connections
    const measure = def.readyLine && status.outputCaptured ? 'line' : probe ? 'probe' : 'port';
    const ready =
      measure === 'line' ? status.ready === true : measure === 'probe' && probe ? (await runProbe(probe, { timeoutMs: health!.timeoutMs, ...w.context() })).ok : true;
    const host = ready ? await acceptingHost(internalPort) : null;
    if (host) return host;
    if (Date.now() >= deadline) {
      const what = measure === 'line' ? `print its readyLine` : measure === 'probe' ? 'pass its health probe' : `accept connections on its port ${internalPort}`;
      throw new Error(`Agent "${def.name}" did not ${what} within ${w.timeoutMs} ms (startTimeoutMs)`);
    }
    await delay(measure === 'probe' ? PROBE_POLL_MS : READY_POLL_MS);
  }
}
