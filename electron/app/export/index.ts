// Export: the saved agents written for another tool (process-compose, systemd, Kubernetes), with
// everything the tool cannot express listed per agent and field. One entry for the API and the CLI.
import which from 'which';
import type { AgentDefinition } from '../../../shared/agent.js';
import type { Settings } from '../../../shared/settings.js';
import { AgentTrayError, unknownAgent } from '../../core/errors.js';
import { effectiveAgents } from './effective.js';
import { toKubernetes } from './kubernetes.js';
import { toProcessCompose } from './process-compose.js';
import { toSystemd } from './systemd.js';
import type { ExportInput, ExportResult, ExportTarget } from './types.js';

export type { ExportInput, ExportResult, ExportTarget } from './types.js';

/** The named agents and, transitively, what they depend on, in agents.json order; every agent when `names` is empty. */
export function selectAgents(agents: readonly AgentDefinition[], names: readonly string[]): { agents: AgentDefinition[]; added: string[] } {
  if (names.length === 0) return { agents: [...agents], added: [] };
  const byName = new Map(agents.map((a) => [a.name, a]));
  const chosen = new Set<string>();
  const visit = (name: string): void => {
    if (chosen.has(name)) return;
    if (!byName.has(name)) throw unknownAgent(name, agents.map((a) => a.name));
    chosen.add(name);
    for (const dep of Object.keys(byName.get(name)?.dependsOn ?? {})) if (byName.has(dep)) visit(dep);
  };
  for (const name of names) visit(name);
  return { agents: agents.filter((a) => chosen.has(a.name)), added: [...chosen].filter((n) => !names.includes(n)) };
}

/** `NAME=IMAGE` and `IMAGE` options as an image per agent ("*": every agent without its own); an unknown NAME is refused. */
export function parseImages(options: readonly string[], known: readonly string[]): Record<string, string> {
  const images: Record<string, string> = {};
  for (const option of options) {
    const eq = option.indexOf('=');
    const [name, image] = eq === -1 ? ['*', option] : [option.slice(0, eq), option.slice(eq + 1)];
    if (image.trim() === '') {
      throw new AgentTrayError('bad-request', `The image option "${option}" names no image`, { hint: 'Give NAME=IMAGE (e.g. web=ghcr.io/me/web:1.2) or IMAGE for every agent', details: { image: option } });
    }
    if (name !== '*' && !known.includes(name)) {
      throw new AgentTrayError('bad-request', `The image option "${option}" names the agent "${name}", which is not exported (agents: ${known.join(', ') || 'none'})`, {
        hint: 'Check the spelling of the agent\'s name before "="',
        details: { image: option, name },
      });
    }
    images[name] = image.trim();
  }
  return images;
}

/** Finds a program on a search path, as a spawn would (null when it is not there). */
export function findProgram(program: string, searchPath: string): string | null {
  return which.sync(program, { path: searchPath, nothrow: true });
}

export interface ExportRequest {
  to: ExportTarget;
  /** Only these agents (and their dependencies); empty: every agent. */
  names?: readonly string[];
  /** --image options: NAME=IMAGE or IMAGE. */
  image?: readonly string[];
}

/** The saved definitions (with settings.json's defaults) written for `request.to`. */
export function exportAgents(
  request: ExportRequest,
  source: { agents: readonly AgentDefinition[]; defaults: Settings['defaults'] } & Omit<ExportInput, 'agents' | 'defaults' | 'images'>,
): ExportResult {
  const { agents, added } = selectAgents(source.agents, request.names ?? []);
  const images = parseImages(request.image ?? [], agents.map((a) => a.name));
  const input: ExportInput = { ...source, agents, images };
  const effective = effectiveAgents(agents, source.defaults, source.dataDir);
  const result =
    request.to === 'process-compose' ? toProcessCompose(effective, source.platform) : request.to === 'systemd' ? toSystemd(effective, input) : toKubernetes(effective, input);
  if (added.length > 0) result.notes.unshift(`Also exported, because the named agents depend on them: ${added.join(', ')}.`);
  if (agents.length === 0) result.notes.unshift('There are no agents to export yet: add some first (agent-tray add, or the window\'s "Add agent").');
  if (request.to !== 'kubernetes' && Object.keys(images).length > 0) result.notes.push(`--image is for Kubernetes only; ${request.to} runs the commands themselves.`);
  return result;
}
