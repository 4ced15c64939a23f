// The summary's GPU figures: the active agents' GPU memory and the GPUs' own totals.
import type { AgentStatus } from '../../shared/status.js';
import type { GpuMemory } from '../core/monitor/nvidia-smi.js';

/** totalGpuMemoryMB (null when not known: no nvidia-smi, or an active agent's figure is n/a) and the GPUs when known. */
export function gpuTotals(active: readonly AgentStatus[], gpus: GpuMemory[] | null): { totalGpuMemoryMB: number | null; gpus?: GpuMemory[] } {
  const figures = active.map((s) => s.stats?.gpuMemoryMB);
  const known = figures.filter((f): f is number => typeof f === 'number');
  const unknown = figures.some((f) => f === null) || (gpus === null && known.length === 0);
  const totalGpuMemoryMB = unknown ? null : Math.round(known.reduce((sum, f) => sum + f, 0) * 10) / 10;
  return { totalGpuMemoryMB, ...(gpus ? { gpus } : {}) };
}
