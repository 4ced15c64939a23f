// An agent's definition as Agent Tray would run it — settings.json's defaults and the built-in ones
// filled in — for the exporters, with the fields that other parts of Agent Tray may add to the
// schema (envFile, secretEnv, image) read where present.
import path from 'node:path';
import type { AgentDefinition, DependencyCondition, Limits } from '../../../shared/agent.js';
import type { Settings } from '../../../shared/settings.js';
import { resolveHealth, type HealthPolicy, type ResolvedHealth } from '../../core/health/health-defaults.js';
import { resolveRestart, type ResolvedRestart } from '../../core/supervision/restart-policy.js';
import { DEFAULT_STOP_INSIST_MS, DEFAULT_STOP_TIMEOUT_MS } from '../../../shared/agent.js';

/** One agent with everything an exporter needs, resolved. */
export interface EffectiveAgent {
  def: AgentDefinition;
  /** The working directory as an absolute path (a relative cwd is taken from the data directory). */
  cwd: string;
  restart: ResolvedRestart;
  /** The restart fields the person set (in the agent or in settings.json's defaults), by their path: `maxRestarts`, `backoff.factor`. */
  restartSet: Set<string>;
  health: ResolvedHealth | null;
  limits: Limits;
  /** stop.timeoutMs + stop.insistMs: how long a stop may take before the last, forceful signal. */
  stopGraceMs: number;
  /** env files, absolute, in the order they are read (later ones win). */
  envFiles: string[];
  /** Names of variables kept as secrets (their values are not in agents.json). */
  secretNames: string[];
  /** A container image from the definition itself, if it has one. */
  image: string | null;
  /** Started with the stack: autostart, or a dependency (directly or not) of an agent that is. */
  startsWithStack: boolean;
}

/** A field of the definition that this version's schema may not declare (added by other features). */
function extra(def: AgentDefinition, key: string): unknown {
  return (def as unknown as Record<string, unknown>)[key];
}

/** `envFile` as a list of absolute paths (one path or a list, relative to the agent's cwd). */
export function envFilesOf(def: AgentDefinition, cwd: string): string[] {
  const value = extra(def, 'envFile');
  const list = typeof value === 'string' ? [value] : Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  return list.map((file) => path.resolve(cwd, file));
}

/** The names of secret variables: `secretEnv` as a list of names, or an object keyed by name. */
export function secretNamesOf(def: AgentDefinition): string[] {
  const value = extra(def, 'secretEnv');
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  if (value && typeof value === 'object') return Object.keys(value);
  return [];
}

/** The paths of the restart settings the person gave: `policy`, `backoff.factor`, … */
function restartFieldsSet(def: AgentDefinition, defaults: Settings['defaults']): Set<string> {
  const set = new Set<string>();
  for (const source of [defaults.restart, def.restart]) {
    if (!source) continue;
    for (const [key, value] of Object.entries(source)) {
      if (value === undefined) continue;
      if (key === 'backoff' && value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) if (v !== undefined) set.add(`backoff.${k}`);
      } else set.add(key);
    }
  }
  return set;
}

/** settings.json's health timings as the defaults resolveHealth takes. */
function healthDefaults(defaults: Settings['defaults']): Partial<HealthPolicy> {
  const h = defaults.health;
  if (!h) return {};
  const out: Partial<HealthPolicy> = {};
  for (const key of ['intervalMs', 'timeoutMs', 'startPeriodMs', 'failureThreshold', 'successThreshold', 'restartOnFailure'] as const) {
    if (h[key] !== undefined) (out as Record<string, unknown>)[key] = h[key];
  }
  return out;
}

/** The names of the agents started with the stack: autostart ones and, transitively, what they depend on. */
export function startedWithStack(agents: readonly AgentDefinition[]): Set<string> {
  const byName = new Map(agents.map((a) => [a.name, a]));
  const started = new Set<string>();
  const visit = (name: string): void => {
    if (started.has(name)) return;
    started.add(name);
    for (const dep of Object.keys(byName.get(name)?.dependsOn ?? {})) visit(dep);
  };
  for (const a of agents) if (a.autostart) visit(a.name);
  return started;
}

/** Every agent of the export, resolved. */
export function effectiveAgents(agents: readonly AgentDefinition[], defaults: Settings['defaults'], dataDir: string): EffectiveAgent[] {
  const withStack = startedWithStack(agents);
  return agents.map((def) => {
    const cwd = path.resolve(dataDir, def.cwd ?? '.');
    const image = extra(def, 'image');
    return {
      def,
      cwd,
      restart: resolveRestart(def.restart, defaults.restart),
      restartSet: restartFieldsSet(def, defaults),
      health: def.health ? resolveHealth(def.health, healthDefaults(defaults)) : null,
      limits: { ...defaults.limits, ...def.limits },
      stopGraceMs: (def.stop?.timeoutMs ?? DEFAULT_STOP_TIMEOUT_MS) + (def.stop?.insistMs ?? DEFAULT_STOP_INSIST_MS),
      envFiles: envFilesOf(def, cwd),
      secretNames: secretNamesOf(def),
      image: typeof image === 'string' && image.length > 0 ? image : null,
      startsWithStack: withStack.has(def.name),
    };
  });
}

/** What "ready" means for `dep` (see the dependsOn description): its readyLine, else its probe, else running. */
export function readyMeans(dep: EffectiveAgent | undefined): 'line' | 'healthy' | 'started' {
  if (dep?.def.readyLine) return 'line';
  if (dep?.health) return 'healthy';
  return 'started';
}

/** Each dependency of `agent` with its condition, in the definition's order. */
export function dependenciesOf(agent: EffectiveAgent): [string, DependencyCondition][] {
  return Object.entries(agent.def.dependsOn ?? {});
}

/** Whole seconds for a duration in ms (at least `min`), and whether rounding changed it. */
export function wholeSeconds(ms: number, min = 0): { seconds: number; rounded: boolean } {
  const seconds = Math.max(min, Math.ceil(ms / 1000));
  return { seconds, rounded: seconds * 1000 !== ms };
}

/** "1500 ms" or "2 s": a duration as a person reads it in a reason. */
export function durationText(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`;
}
