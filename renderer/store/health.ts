// How the window speaks of an agent's health: a word and a score only where a probe checks it,
// what that probe asks, and what the window last heard from it. Pure functions of their arguments.
import type { AgentStatus, HealthState, ProbeResult, ProbeSummary } from '../../shared/status.js';
import { formatUptime } from './format.js';

export interface HealthSummary {
  /** What the list, the header and the badge say: "healthy", "no check", "not checked", "zombie". */
  text: string;
  /** The colour: a health state, or 'none' (muted) where nothing is known. */
  tone: HealthState | 'none';
  /** The score (0–100), only where a probe's results stand behind it. */
  score: number | null;
  /** Why it says so, for a title or a screen reader. */
  detail: string;
}

/**
 * An agent's health as the window shows it. Without a probe (status.probe null) there is no health
 * word and no score, only a zombie process (which the sampler finds, probe or not). With one, or
 * from a host that does not say (probe absent), the state and the score while it is known.
 */
export function healthSummary(status: AgentStatus): HealthSummary {
  const { probe, health } = status;
  if (health === 'zombie') return { text: 'zombie', tone: 'zombie', score: null, detail: 'A process of its tree has exited but was not reaped (a zombie)' };
  if (probe === null) return { text: 'no check', tone: 'none', score: null, detail: 'No health check is configured: add one in the editor (Health check URL, or health in the JSON)' };
  if (health === 'unknown') {
    const detail = probe ? `Not checked while it is not running; ${probeText(probe)}` : 'Not known';
    return { text: probe ? 'not checked' : '—', tone: 'none', score: null, detail };
  }
  return { text: health, tone: health, score: status.healthScore, detail: probe ? `${health}, score ${status.healthScore}/100; ${probeText(probe)}` : `${health}, score ${status.healthScore}/100` };
}

/** "10 s", "2.5 s", "1m 30s". */
export function intervalText(intervalMs: number): string {
  return intervalMs < 60_000 ? `${Math.round(intervalMs / 100) / 10} s` : formatUptime(intervalMs);
}

/** "every 10 s", "every 1m 30s". */
export function everyText(intervalMs: number): string {
  return `every ${intervalText(intervalMs)}`;
}

/** What the probe asks, and how often: "GET http://127.0.0.1:8080/health every 10 s", "TCP connect to 127.0.0.1:5432 every 10 s", "command pg_isready every 10 s". */
export function probeText(probe: ProbeSummary): string {
  const what = probe.kind === 'http' ? `GET ${probe.target}` : probe.kind === 'tcp' ? `TCP connect to ${probe.target}` : `command ${probe.target}`;
  return `${what} ${everyText(probe.intervalMs)}`;
}

/** A probe's answer: "HTTP 200 (34 ms)", "connection refused (2 ms)". */
export function probeAnswer(result: ProbeResult): string {
  return `${result.detail} (${Math.round(result.durationMs)} ms)`;
}

/** How long ago, in seconds up to two minutes, then as an uptime: "12 s ago", "3m 4s ago". */
export function agoText(then: number, now: number): string {
  const ms = Math.max(0, now - then);
  return ms < 120_000 ? `${Math.floor(ms / 1000)} s ago` : `${formatUptime(ms)} ago`;
}

/**
 * The last probe's answer: the status carries it (hosts that report every probe), else the newest
 * the window heard of; or what it can honestly say instead.
 */
export function lastProbeText(status: AgentStatus, probe: ProbeSummary, heard: ProbeResult | undefined, now: number): string {
  const running = status.state === 'running' || status.state === 'stopping';
  if (!running) return 'Not probed while it is not running.';
  const last = newest(status.lastProbe ?? undefined, heard);
  if (!last) return `No probe has answered yet in this run; the next is due within ${intervalText(probe.intervalMs)}.`;
  return `Last probe ${agoText(last.at, now)}: ${probeAnswer(last)}${last.ok ? '' : ', failed'}.`;
}

/** The later of two probe results (either may be missing). */
function newest(a: ProbeResult | undefined, b: ProbeResult | undefined): ProbeResult | undefined {
  if (!a) return b;
  if (!b) return a;
  return b.at > a.at ? b : a;
}
