// Fields that several targets cannot express, each reported in the same words.
import type { EffectiveAgent } from './effective.js';
import { durationText } from './effective.js';
import type { ExportReport } from './types.js';

/** What a target does with an agent's limits: which of them it enforces, and how. */
export interface LimitSupport {
  /** The target's name in a sentence: "systemd", "Kubernetes". */
  target: string;
  /** The fields the target writes as a hard cap (it ends the process there). */
  caps: readonly ('maxMemoryMB' | 'maxRuntimeMs')[];
  /** What follows when the target ends a process at a cap, in words. */
  afterCap: string;
}

/** Reports every limit the target does not enforce, and a cap whose action differs from the agent's. */
export function loseLimits(a: EffectiveAgent, report: ExportReport, support: LimitSupport): void {
  const { name } = a.def;
  const l = a.limits;
  const { target } = support;
  if (l.maxMemoryMB !== undefined && !support.caps.includes('maxMemoryMB')) report.lose(name, 'limits.maxMemoryMB', `${target} has no memory limit for a process; the limit of ${l.maxMemoryMB} MB is not enforced`);
  if (l.maxRuntimeMs !== undefined && !support.caps.includes('maxRuntimeMs')) report.lose(name, 'limits.maxRuntimeMs', `${target} cannot end a run after ${durationText(l.maxRuntimeMs)}`);
  if (l.maxCpuPercent !== undefined) {
    report.lose(name, 'limits.maxCpuPercent', `${target} cannot act on CPU use sustained over ${l.maxCpuPercent}%${l.sustainMs !== undefined ? ` for ${durationText(l.sustainMs)}` : ''} (a CPU quota would throttle the agent instead; add one by hand if that is what you want)`);
  } else if (l.sustainMs !== undefined) report.lose(name, 'limits.sustainMs', `${target} has no CPU limit to sustain`);
  if (l.maxFileHandles !== undefined) report.lose(name, 'limits.maxFileHandles', `${target} cannot act on ${l.maxFileHandles} open file handles (a hard file-handle limit would make opening files fail instead)`);
  if (l.maxGpuMemoryMB !== undefined) report.lose(name, 'limits.maxGpuMemoryMB', `${target} cannot act on GPU memory over ${l.maxGpuMemoryMB} MB`);
  const capped = support.caps.filter((c) => l[c] !== undefined);
  const action = l.action ?? 'warn';
  if (capped.length > 0 && action !== 'restart') {
    report.lose(name, 'limits.action', `Agent Tray would ${action === 'warn' ? 'only warn' : 'stop the agent'} at ${capped.join(' and ')}; ${target} ends the process there and ${support.afterCap}`);
  }
}

/** Reports the fields no target needs or has: the re-adoption marker and a stop line on stdin. */
export function loseAgentTrayOnly(a: EffectiveAgent, report: ExportReport, target: string): void {
  const { def } = a;
  if (def.discover) report.lose(def.name, 'discover', `Agent Tray's way of finding the agent already running; ${target} has no use for it`);
  if (def.stop?.stdin !== undefined) report.lose(def.name, 'stop.stdin', `${target} cannot write a line to the agent's stdin to stop it; it sends a signal instead`);
  if (def.startTimeoutMs !== undefined) report.lose(def.name, 'startTimeoutMs', `${target} has no limit on how long a start waits for its dependencies`);
}

/** Reports restart settings a target without a restart budget or a growing backoff cannot express (only those the person set; `own`: the target's words for a field). */
export function loseRestartBudget(a: EffectiveAgent, report: ExportReport, target: string, keeps: readonly string[], own: Record<string, string> = {}): void {
  const { name } = a.def;
  const r = a.restart;
  const words: Record<string, string> = {
    maxRestarts: `${target} does not give up after ${r.maxRestarts} restarts`,
    windowMs: `${target} does not count restarts within a window of ${durationText(r.windowMs)}`,
    stableMs: `${target} does not reset the backoff after ${durationText(r.stableMs)} without a crash`,
    'backoff.initialMs': `${target} does not wait ${durationText(r.backoff.initialMs)} before the first restart`,
    'backoff.factor': `${target} does not grow the wait between restarts (factor ${r.backoff.factor})`,
    'backoff.maxMs': `${target} does not grow the wait between restarts, so there is no longest wait (${durationText(r.backoff.maxMs)})`,
    ...own,
  };
  for (const [field, reason] of Object.entries(words)) {
    if (a.restartSet.has(field) && !keeps.includes(field)) report.lose(name, `restart.${field}`, reason);
  }
}
