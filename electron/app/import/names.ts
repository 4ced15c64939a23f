// Names from other tools become agent names: made valid (they name log and PID files), given the
// person's prefix, and kept apart from each other (also by case, as on Windows and macOS). A name
// changed on the way says so in the agent's notCarried list.
import { AGENT_NAME_MAX_LENGTH, agentNameProblem } from '../../../shared/agent.js';
import type { NotCarried } from './types.js';

/** `prefix` as put in front of names: a "-" is added unless it already ends with a separator. */
export function prefixText(prefix: string | undefined): string {
  if (!prefix) return '';
  return /[-_.]$/.test(prefix) ? prefix : `${prefix}-`;
}

/** `source` turned into a valid agent name: other characters become "-", the ends are trimmed, Windows device names get "-agent". */
export function sanitizeName(source: string): string {
  let name = source
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  if (name === '') name = 'agent';
  if (agentNameProblem(name) !== null && name.length <= AGENT_NAME_MAX_LENGTH) name = `${name}-agent`;
  return name.slice(0, AGENT_NAME_MAX_LENGTH).replace(/[-.]+$/, '');
}

/** `base` shortened so that `suffix` fits within the name limit. */
function withSuffix(base: string, suffix: string): string {
  return `${base.slice(0, AGENT_NAME_MAX_LENGTH - suffix.length)}${suffix}`;
}

/**
 * The names the agents get, in order: `prefix` + the sanitized source name, and a "-2", "-3" …
 * when an earlier agent of the same file already has it (compared without case). Each change
 * comes with a note for the agent's notCarried list.
 */
export function assignNames(sources: readonly string[], prefix: string | undefined): { name: string; notes: NotCarried[] }[] {
  const p = prefixText(prefix);
  const taken = new Set<string>();
  return sources.map((source) => {
    const notes: NotCarried[] = [];
    const clean = sanitizeName(source);
    if (clean !== source) notes.push({ field: 'name', reason: `${agentNameProblem(source) ?? `"${source}" is not a valid agent name`}; it became "${clean}"` });
    let name = `${p}${clean}`.slice(0, AGENT_NAME_MAX_LENGTH).replace(/[-.]+$/, '');
    if (taken.has(name.toLowerCase())) {
      let n = 2;
      while (taken.has(withSuffix(name, `-${n}`).toLowerCase())) n++;
      const unique = withSuffix(name, `-${n}`);
      notes.push({ field: 'name', reason: `another process of this file is already called "${name}" here (names must differ by more than case); this one became "${unique}"` });
      name = unique;
    }
    taken.add(name.toLowerCase());
    return { name, notes };
  });
}
