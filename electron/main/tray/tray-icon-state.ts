// The tray icon's aggregate state and tooltip, derived from every agent's status. Pure: no Electron.
import type { AgentStatus } from '../../../shared/status.js';

export type TrayIconState = 'idle' | 'ok' | 'busy' | 'problem';

/** True when the agent's health says it is not answering as it should. */
export function isUnwell(agent: AgentStatus): boolean {
  return agent.health === 'unhealthy' || agent.health === 'zombie';
}

/** True when the agent failed and needs a person: crashed, errored, or unhealthy. */
export function hasProblem(agent: AgentStatus): boolean {
  return agent.state === 'crashed' || agent.state === 'errored' || isUnwell(agent);
}

/** The icon to show: problem beats busy beats ok beats idle. */
export function trayIconState(agents: readonly AgentStatus[]): TrayIconState {
  if (agents.some(hasProblem)) return 'problem';
  if (agents.some((a) => a.state === 'waiting' || a.state === 'starting' || a.state === 'stopping' || a.state === 'backoff')) return 'busy';
  if (agents.some((a) => a.state === 'running')) return 'ok';
  return 'idle';
}

/** "Agent Tray — 2 of 3 agents running, 1 crashed, 1 unhealthy, GPU 1.5 GB" (the GPU part only while a running agent uses it). */
export function trayTooltip(agents: readonly AgentStatus[]): string {
  if (agents.length === 0) return 'Agent Tray — no agents';
  const running = agents.filter((a) => a.state === 'running').length;
  const parts = [`${running} of ${agents.length} ${agents.length === 1 ? 'agent' : 'agents'} running`];
  const count = (pred: (a: AgentStatus) => boolean): number => agents.filter(pred).length;
  const problems: [number, string][] = [
    [count((a) => a.state === 'crashed'), 'crashed'],
    [count((a) => a.state === 'errored'), 'errored'],
    [count((a) => a.state !== 'crashed' && a.state !== 'errored' && isUnwell(a)), 'unhealthy'],
  ];
  for (const [n, word] of problems) if (n > 0) parts.push(`${n} ${word}`);
  const gpu = gpuMemoryInUse(agents);
  if (gpu !== null) parts.push(`GPU ${formatGpuMemory(gpu)}`);
  return `Agent Tray — ${parts.join(', ')}`;
}

/** The GPU memory the running agents use, MB; null when none of them uses the GPU (or nobody knows). */
export function gpuMemoryInUse(agents: readonly AgentStatus[]): number | null {
  let total = 0;
  for (const a of agents) if (a.state === 'running' && typeof a.stats?.gpuMemoryMB === 'number') total += a.stats.gpuMemoryMB;
  return total > 0 ? total : null;
}

/** "512 MB", "1.5 GB" (MB as nvidia-smi counts them, 1024 to the GB). */
function formatGpuMemory(mb: number): string {
  return mb >= 1024 ? `${(mb / 1024).toFixed(1)} GB` : `${Math.round(mb)} MB`;
}
