// `agent-tray graph [--json]`: the dependency tree of the running host's agents. Each agent that
// nothing depends on heads a tree of what it needs, each dependency with its condition, whether
// the condition holds now, and its state.
import { parseArgs } from 'node:util';
import type { StackGraph } from '../../shared/stack.js';
import { connect, dataDirFrom, request, runClientCommand, UsageError } from './client.js';

export const GRAPH_USAGE = 'agent-tray graph [--json] [--data-dir DIR]';

/** The tree as lines: `worker: waiting`, then `└─ server (ready, not met yet): running` and so on, indented by depth. */
export function graphLines(graph: StackGraph): string[] {
  const state = new Map(graph.nodes.map((n) => [n.name, n.state]));
  const needs = new Map<string, StackGraph['edges']>();
  for (const e of graph.edges) needs.set(e.from, [...(needs.get(e.from) ?? []), e]);
  const dependedOn = new Set(graph.edges.map((e) => e.to));
  const lines: string[] = [];
  const branch = (name: string, prefix: string, path: Set<string>): void => {
    const edges = needs.get(name) ?? [];
    edges.forEach((e, i) => {
      const last = i === edges.length - 1;
      const looped = path.has(e.to); // a cycle (refused on save): shown once, not followed
      lines.push(`${prefix}${last ? '└─' : '├─'} ${e.to} (${e.condition}, ${e.met ? 'met' : 'not met yet'}): ${state.get(e.to) ?? 'not defined'}${looped ? ' (cycle)' : ''}`);
      if (!looped) branch(e.to, `${prefix}${last ? '   ' : '│  '}`, new Set([...path, e.to]));
    });
  };
  for (const node of graph.nodes) {
    if (dependedOn.has(node.name)) continue;
    lines.push(`${node.name}: ${node.state}`);
    branch(node.name, '', new Set([node.name]));
  }
  return lines;
}

/** Prints the tree (or `--json`, the API's graph); 0, or 1 when the host cannot be asked. */
export function graphCommand(argv: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  return runClientCommand(err, async () => {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { 'data-dir': { type: 'string' }, json: { type: 'boolean', default: false } } });
    if (positionals.length) throw new UsageError(`graph takes no arguments (got ${positionals.join(' ')})\nUsage: ${GRAPH_USAGE}`);
    const graph = await request(await connect(dataDirFrom(values['data-dir'])), 'getGraph', {});
    if (values.json) out(JSON.stringify(graph, null, 2));
    else if (graph.nodes.length === 0) out('No agents are defined yet; add them to agents.json');
    else for (const line of graphLines(graph)) out(line);
    return 0;
  });
}
