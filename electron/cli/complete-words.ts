// The completer behind every shell's completion script (`agent-tray __complete -- WORDS...`): given
// the words typed after `agent-tray`, the last being the one under the cursor, it prints the
// candidates, one a line, from the command registry (commands.ts) and, for agent and group names,
// from agents.json read directly: no host needed, nothing validated, silent on any error. A line
// `:files` or `:dirs` asks the shell for its own path completion instead.
import { readFile } from 'node:fs/promises';
import { parse as parseJsonc } from 'jsonc-parser';
import { locateData } from '../app/data-location.js';
import { findCommand, visibleCommands, type CliCommand, type Line } from './commands.js';

/** A candidate, with a description for shells that show one. */
export interface Candidate {
  value: string;
  description?: string;
}

/** What completion needs to know besides the words: the agents file's names, read on demand. */
export interface CompletionSource {
  agents(): Promise<string[]>;
  groups(): Promise<string[]>;
}

/** The first sentence-ish part of a summary, short enough for a completion menu. */
function brief(summary: string): string {
  const first = summary.split(/[;:(]/)[0]?.trim() ?? '';
  return first.length > 60 ? `${first.slice(0, 59)}…` : first;
}

/** The candidates of a source (`@agents`, `@files`, `a|b|c`): names, or a path directive. */
async function fromSource(source: string, src: CompletionSource): Promise<Candidate[] | ':files' | ':dirs'> {
  const name = source.replace(/\.\.\.$/, '');
  if (name === '@files') return ':files';
  if (name === '@dirs') return ':dirs';
  if (name === '@agents') return (await src.agents()).map((value) => ({ value }));
  if (name === '@groups') return (await src.groups()).map((value) => ({ value }));
  if (name === '@commands') return visibleCommands().map((c) => ({ value: c.name, description: brief(c.summary) }));
  return name.split('|').map((value) => ({ value }));
}

/** The positional index of the word under the cursor, skipping options and the values they take; null after `--` (the command of `add`). */
export function positionalIndex(command: CliCommand, before: readonly string[]): number | null {
  let index = 0;
  for (let i = 0; i < before.length; i++) {
    const word = before[i] ?? '';
    if (word === '--') return null;
    if (word.startsWith('-')) {
      if (!word.includes('=') && command.optionValues && Object.hasOwn(command.optionValues, word)) i++; // its value
      continue;
    }
    index++;
  }
  return index;
}

/** The candidates for the last of `words` (the words after `agent-tray`), filtered by what it starts with. */
export async function complete(words: readonly string[], src: CompletionSource): Promise<Candidate[] | ':files' | ':dirs'> {
  const current = words.at(-1) ?? '';
  const keep = (list: Candidate[]) => list.filter((c) => c.value.startsWith(current));
  if (words.length <= 1) return keep(visibleCommands().map((c) => ({ value: c.name, description: brief(c.summary) })));
  const command = findCommand(words[0] ?? '');
  if (!command) return [];
  const before = words.slice(1, -1);
  const previous = before.at(-1);
  if (previous !== undefined && !before.includes('--') && command.optionValues && Object.hasOwn(command.optionValues, previous)) {
    const sources = command.optionValues[previous] ?? [];
    const found: Candidate[] = [];
    for (const source of sources) {
      const got = source.startsWith('@') ? await fromSource(source, src) : [{ value: source }];
      if (typeof got === 'string') return got;
      found.push(...got);
    }
    return keep(found);
  }
  const index = positionalIndex(command, before);
  if (index === null) return ':files'; // after `--`: the agent's own command and arguments
  if (current.startsWith('-')) return keep([...command.options, '--help'].map((value) => ({ value })));
  const last = command.args.at(-1);
  const source = command.args[index] ?? (last?.endsWith('...') ? last : undefined);
  if (!source) return [];
  const got = await fromSource(source, src);
  if (typeof got === 'string') return got;
  // a name already given to a command that takes several is not offered again
  return keep(got).filter((c) => !(source.endsWith('...') && before.includes(c.value)));
}

/** Reads the agents file the words point at (--data-dir, --config, else the default) for names and groups; empty on any problem. */
export function agentsFileSource(words: readonly string[], env: NodeJS.ProcessEnv = process.env): CompletionSource {
  const valueOf = (option: string) => {
    const at = words.lastIndexOf(option);
    return at !== -1 && at + 1 < words.length - 1 ? words[at + 1] : undefined; // not the word being typed
  };
  let loaded: Promise<{ name: string; groups: string[] }[]> | undefined;
  const agents = () =>
    (loaded ??= (async () => {
      try {
        const { agentsFile } = locateData({ dataDir: valueOf('--data-dir'), config: valueOf('--config') }, env);
        const data = parseJsonc(await readFile(agentsFile, 'utf8')) as { agents?: unknown } | undefined;
        const list = Array.isArray(data?.agents) ? (data.agents as unknown[]) : [];
        return list.flatMap((a) => {
          const { name, groups } = (a ?? {}) as { name?: unknown; groups?: unknown };
          if (typeof name !== 'string') return [];
          return [{ name, groups: Array.isArray(groups) ? groups.filter((g): g is string => typeof g === 'string') : [] }];
        });
      } catch {
        return [];
      }
    })());
  return {
    agents: async () => (await agents()).map((a) => a.name),
    groups: async () => [...new Set((await agents()).flatMap((a) => a.groups))].sort(),
  };
}

/** `agent-tray __complete [--describe] [--next] -- WORDS...`: prints the candidates; always 0 (a completion never shows an error). */
export async function completeWordsCommand(argv: string[], out: Line): Promise<number> {
  const end = argv.indexOf('--');
  const flags = end === -1 ? argv : argv.slice(0, end);
  const words = end === -1 ? [] : argv.slice(end + 1);
  if (flags.includes('--next') || words.length === 0) words.push('');
  try {
    const found = await complete(words, agentsFileSource(words));
    if (typeof found === 'string') out(found);
    else for (const c of found) out(flags.includes('--describe') && c.description ? `${c.value}\t${c.description}` : c.value);
  } catch {
    // nothing to offer
  }
  return 0;
}

