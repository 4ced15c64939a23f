// Pure evaluation of an agent's resource limits against one sample: which limits it breaches now.
import type { Limits } from '../../../shared/agent.js';
import type { ResourceSample, Violation } from '../../../shared/status.js';

export type LimitAction = Violation['action'];
export type LimitKind = Violation['kind'];

/** The limits' defaults where an agent's limits leave them out. */
export const LIMIT_DEFAULTS: { readonly sustainMs: number; readonly action: LimitAction } = { sustainMs: 30_000, action: 'warn' };

/** What evaluateLimits remembers between samples of one run. */
export interface LimitTracker {
  /** When the CPU went over its limit and has stayed over since (sample time), or null. */
  cpuOverSince: number | null;
  /** When each kind was last reported, for the cooldown. */
  lastViolationAt: Partial<Record<LimitKind, number>>;
}

/** A tracker for a new run of an agent. */
export function newLimitTracker(): LimitTracker {
  return { cpuOverSince: null, lastViolationAt: {} };
}

/** An integer with thousands separators: 2,150. */
function grouped(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** A duration in words: "45 s", "5 min 30 s", "2 h 5 min". */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 ? `${minutes} min ${seconds % 60} s` : `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${grouped(hours)} h ${minutes % 60} min` : `${grouped(hours)} h`;
}

/**
 * The limits breached by one sample of a run that started at runStartedAt: memory at once, CPU
 * once it has stayed over its limit for sustainMs (a sample under the limit starts the count
 * again), runtime, open file handles, GPU memory where known. A kind reported less than cooldownMs ago is not reported
 * again (a 'warn' must not flood). Returns the violations and the tracker for the next sample;
 * the given tracker is not changed. Start each run with newLimitTracker().
 */
export function evaluateLimits(
  limits: Limits,
  sample: ResourceSample,
  runStartedAt: number,
  tracker: LimitTracker,
  cooldownMs = 60_000,
): { violations: Violation[]; tracker: LimitTracker } {
  const action = limits.action ?? LIMIT_DEFAULTS.action;
  const next: LimitTracker = { cpuOverSince: tracker.cpuOverSince, lastViolationAt: { ...tracker.lastViolationAt } };
  const violations: Violation[] = [];

  const breach = (kind: LimitKind, value: number, limit: number, message: string): void => {
    const last = next.lastViolationAt[kind];
    if (last !== undefined && sample.at - last < cooldownMs) return;
    next.lastViolationAt[kind] = sample.at;
    violations.push({ at: sample.at, kind, value, limit, action, message });
  };

  if (limits.maxMemoryMB !== undefined && sample.memoryMB > limits.maxMemoryMB) {
    breach('memory', sample.memoryMB, limits.maxMemoryMB, `memory ${grouped(sample.memoryMB)} MB is over the limit of ${grouped(limits.maxMemoryMB)} MB`);
  }

  if (limits.maxCpuPercent !== undefined && sample.cpuPercent > limits.maxCpuPercent) {
    next.cpuOverSince ??= sample.at;
    const overMs = sample.at - next.cpuOverSince;
    if (overMs >= (limits.sustainMs ?? LIMIT_DEFAULTS.sustainMs)) {
      breach('cpu', sample.cpuPercent, limits.maxCpuPercent, `CPU ${grouped(sample.cpuPercent)} % for ${formatDuration(overMs)} is over the limit of ${grouped(limits.maxCpuPercent)} %`);
    }
  } else {
    next.cpuOverSince = null;
  }

  const runtimeMs = sample.at - runStartedAt;
  if (limits.maxRuntimeMs !== undefined && runtimeMs > limits.maxRuntimeMs) {
    breach('runtime', runtimeMs, limits.maxRuntimeMs, `runtime ${formatDuration(runtimeMs)} is over the limit of ${formatDuration(limits.maxRuntimeMs)}`);
  }

  if (limits.maxFileHandles !== undefined && sample.fileHandles !== null && sample.fileHandles > limits.maxFileHandles) {
    breach('fileHandles', sample.fileHandles, limits.maxFileHandles, `${grouped(sample.fileHandles)} open file handles are over the limit of ${grouped(limits.maxFileHandles)}`);
  }

  const gpuMB = sample.gpuMemoryMB;
  if (limits.maxGpuMemoryMB !== undefined && typeof gpuMB === 'number' && gpuMB > limits.maxGpuMemoryMB) {
    breach('gpuMemory', gpuMB, limits.maxGpuMemoryMB, `GPU memory ${grouped(gpuMB)} MB is over the limit of ${grouped(limits.maxGpuMemoryMB)} MB`);
  }

  return { violations, tracker: next };
}
