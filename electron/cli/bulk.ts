// `agent-tray start-all | stop-all | restart-all`: every agent of the running host, a line each,
// and exit code 1 naming the agents that failed. restart-all restarts the agents that run (or are
// on their way to running), one at a time, dependencies before their dependents; an agent that is
// stopped, crashed or errored stays as it is (start-all starts every agent).
import { parseArgs } from 'node:util';
import type { BulkResult } from '../../shared/commands.js';
import type { StackGraph } from '../../shared/stack.js';
import type { AgentStatus } from '../../shared/status.js';
import { isLive } from '../../shared/stack-status.js';
import { ClientError, connect, dataDirFrom, request, runClientCommand, UsageError, type HostConnection } from './client.js';
import type { Line } from './commands.js';
import { describeBulk, describeStatus } from './control.js';

export type BulkAction = 'start-all' | 'stop-all' | 'restart-all';

/** States restart-all restarts: the agent runs or is on its way to running. */

/** Agents in an order where each comes after the agents it depends on (agents.json order otherwise; a cycle is broken where it is met). */
export function dependencyOrder(names: readonly string[], graph: StackGraph): string[] {
  const needs = new Map<string, string[]>();
  for (const e of graph.edges) needs.set(e.from, [...(needs.get(e.from) ?? []), e.to]);
  const wanted = new Set(names);
  const done = new Set<string>();
  const order: string[] = [];
  const visit = (name: string, path: Set<string>) => {
    if (done.has(name) || path.has(name)) return;
    path.add(name);
    for (const dep of needs.get(name) ?? []) visit(dep, path);
    done.add(name);
    if (wanted.has(name)) order.push(name);
  };
  for (const name of names) visit(name, new Set());
  return order;
}

/** The closing line when some agents failed: how many, and which. */
export function failureSummary(action: BulkAction, failed: readonly string[], total: number): string {
  const verb = action === 'start-all' ? 'start' : action === 'stop-all' ? 'stop' : 'restart';
  return `agent-tray: ${failed.length} of ${total} agent${total === 1 ? '' : 's'} did not ${verb}: ${failed.join(', ')} (the reasons are above; agent-tray logs NAME shows more)`;
}

/** restart-all as a BulkResult: each running agent restarted in dependency order, the others listed as left alone. */
async function restartAll(conn: HostConnection): Promise<{ result: BulkResult; skipped: AgentStatus[] }> {
  const { agents } = await request(conn, 'listAgents', {});
  const running = agents.filter((a) => isLive(a.state));
  const order = running.length > 1 ? dependencyOrder(running.map((a) => a.name), await request(conn, 'getGraph', {})) : running.map((a) => a.name);
  const results: BulkResult['results'] = [];
  for (const name of order) {
    try {
      const status = await request(conn, 'restartAgent', { name });
      results.push({ name, ok: describeStatus(status).ok, status });
    } catch (e) {
      if (!(e instanceof ClientError) || ['no-host', 'unreachable', 'timeout'].includes(e.code)) throw e;
      results.push({ name, ok: false, error: { code: e.code, message: e.message } });
    }
  }
  return { result: { results }, skipped: agents.filter((a) => !isLive(a.state)) };
}

/** Runs one bulk action; 0 when every agent did what was asked, 1 naming those that did not. */
export function bulkCommand(action: BulkAction, argv: string[], out: Line, err: Line): Promise<number> {
  return runClientCommand(err, async () => {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { 'data-dir': { type: 'string' } } });
    if (positionals.length) throw new UsageError(`${action} takes no names (got ${positionals.join(' ')}); it acts on every agent\nUsage: agent-tray ${action} [--data-dir DIR]`);
    const conn = await connect(dataDirFrom(values['data-dir']));
    let result: BulkResult;
    let skipped: AgentStatus[] = [];
    if (action === 'restart-all') ({ result, skipped } = await restartAll(conn));
    else result = await request(conn, action === 'start-all' ? 'startAll' : 'stopAll', {});
    const { lines } = describeBulk(action === 'stop-all' ? 'stop' : 'start', result);
    for (const l of lines) (l.ok ? out : err)(l.text);
    for (const s of skipped) out(`${s.name}: ${s.state}, not restarted (it was not running)`);
    if (result.results.length + skipped.length === 0) out('No agents are defined yet; add one with agent-tray add NAME -- COMMAND');
    const failed = result.results.filter((_, i) => !lines[i]?.ok).map((r) => r.name);
    if (failed.length) {
      err(failureSummary(action, failed, result.results.length));
      return 1;
    }
    return 0;
  });
}
