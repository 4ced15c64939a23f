// `agent-tray start|stop|restart|kill NAME`: one action on the running host, one line of result;
// `start|stop --group GROUP`: a line per agent of the group; `stop NAME --with-dependents`: a line
// per dependent stopped first.
import { parseArgs } from 'node:util';
import type { BulkResult } from '../../shared/commands.js';
import type { AgentStatus, StopResult } from '../../shared/status.js';
import { connect, dataDirFrom, request, requireName, runClientCommand, UsageError } from './client.js';
import { stateText } from './status.js';

export const CONTROL_ACTIONS = ['start', 'stop', 'restart', 'kill'] as const;
export type ControlAction = (typeof CONTROL_ACTIONS)[number];

const COMMAND_OF = { start: 'startAgent', restart: 'restartAgent' } as const;

/** The usage line of one action. */
export function controlUsage(action: ControlAction): string {
  if (action === 'start') return 'agent-tray start (NAME | --group GROUP) [--data-dir DIR]';
  if (action === 'stop') return 'agent-tray stop (NAME [--with-dependents] | --group GROUP) [--data-dir DIR]';
  return `agent-tray ${action} NAME [--data-dir DIR]`;
}

/** The reason an agent failed, without its name in front (the line already starts with it). */
export function failureReason(status: AgentStatus): string {
  const message = status.lastError?.message;
  if (!message) return status.exitCode !== null ? `exit code ${status.exitCode}` : status.signal ? `signal ${status.signal}` : 'no reason recorded';
  if (message.startsWith(`${status.name} `)) return message.slice(status.name.length + 1);
  if (message.startsWith(`Agent "${status.name}": `)) return message.slice(status.name.length + 10);
  return message;
}

/** One line for an agent's status after start, restart or ensure; `ok` is false when it crashed or errored. */
export function describeStatus(status: AgentStatus): { line: string; ok: boolean } {
  const { name, state, pid } = status;
  if (state === 'errored' || state === 'crashed') return { line: `${name}: ${state}: ${failureReason(status)}`, ok: false };
  if (state === 'stopped' && status.exitCode !== null) return { line: `${name}: stopped (it exited with code ${status.exitCode})`, ok: true };
  if (state === 'waiting') return { line: `${name}: ${stateText(status)}`, ok: true };
  return { line: `${name}: ${state}${pid !== null ? ` (pid ${pid})` : ''}`, ok: true };
}

/** One line for a finished stop or kill: how long it took and which step ended it. */
export function describeStop(action: 'stop' | 'kill', result: StopResult): string {
  if (result.outcome === 'not-running') return `${result.name}: was not running`;
  const ms = Math.round(result.durationMs);
  const processes = result.pids.length === 1 ? '1 process' : `${result.pids.length} processes`;
  if (action === 'kill') return `${result.name}: killed in ${ms} ms (${processes})`;
  return `${result.name}: stopped in ${ms} ms (${result.outcome}${result.pids.length > 1 ? `, ${processes}` : ''})`;
}

/** One line per agent of a group start or stop: its state (start: as after a start), or why it failed; `ok` false when any failed. */
export function describeBulk(action: 'start' | 'stop', result: BulkResult): { lines: { text: string; ok: boolean }[]; ok: boolean } {
  const lines = result.results.map((r) => {
    if (r.error) return { text: `${r.name}: ${r.error.message}`, ok: false };
    if (!r.status) return { text: `${r.name}: ${r.ok ? 'done' : 'failed'}`, ok: r.ok };
    if (action === 'start') {
      const { line, ok } = describeStatus(r.status);
      return { text: line, ok: ok && r.ok };
    }
    return { text: `${r.name}: ${r.status.state}`, ok: true }; // a crashed agent that stays crashed is stopped all the same
  });
  return { lines, ok: lines.every((l) => l.ok) };
}

/** The note after a stop that left agents running which depend on the stopped one. */
export function dependentsNote(name: string, running: readonly string[]): string {
  return `note: ${running.join(', ')} ${running.length === 1 ? 'depends' : 'depend'} on ${name} and ${running.length === 1 ? 'is' : 'are'} still running; stop ${running.length === 1 ? 'it' : 'them'} too with: agent-tray stop ${name} --with-dependents`;
}

/** The options of start|stop|restart|kill, checked against the action: --group for start and stop (instead of NAME), --with-dependents for stop NAME. */
function parseControl(action: ControlAction, argv: string[]): { dataDir: string | undefined; name: string | null; group: string | null; withDependents: boolean } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { 'data-dir': { type: 'string' }, group: { type: 'string', short: 'g' }, 'with-dependents': { type: 'boolean', default: false } },
  });
  const usage = controlUsage(action);
  const group = values.group ?? null;
  if (group !== null && action !== 'start' && action !== 'stop') throw new UsageError(`--group works with start and stop only\nUsage: ${usage}`);
  if (values['with-dependents'] && action !== 'stop') throw new UsageError(`--with-dependents works with stop only\nUsage: ${usage}`);
  if (group !== null) {
    if (positionals.length) throw new UsageError(`give either NAME or --group GROUP, not both (got ${positionals.join(' ')} and --group ${group})\nUsage: ${usage}`);
    if (values['with-dependents']) throw new UsageError(`--with-dependents stops one agent's dependents; a group stop already stops dependents first\nUsage: ${usage}`);
    return { dataDir: values['data-dir'], name: null, group, withDependents: false };
  }
  return { dataDir: values['data-dir'], name: requireName(positionals, usage), group: null, withDependents: values['with-dependents'] };
}

/** Runs one action; 0 when it did what was asked, 1 when it failed (the reason is printed), 2 on usage errors. */
export function controlCommand(action: ControlAction, argv: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  return runClientCommand(err, async () => {
    const { dataDir, name, group, withDependents } = parseControl(action, argv);
    const conn = await connect(dataDirFrom(dataDir));
    if (group !== null) {
      const result = await request(conn, action === 'start' ? 'startGroup' : 'stopGroup', { group });
      const { lines, ok } = describeBulk(action === 'start' ? 'start' : 'stop', result);
      for (const l of lines) (l.ok ? out : err)(l.text);
      return ok ? 0 : 1;
    }
    if (name === null) throw new UsageError(`missing the agent NAME\nUsage: ${controlUsage(action)}`);
    if (action === 'stop') {
      const result = await request(conn, 'stopAgent', { name, withDependents });
      for (const dependent of result.dependents ?? []) out(describeStop('stop', dependent));
      out(describeStop('stop', result.stop));
      if (result.dependentsRunning?.length) out(dependentsNote(name, result.dependentsRunning));
      return 0;
    }
    if (action === 'kill') {
      const result = await request(conn, 'killAgent', { name });
      out(describeStop(action, result.stop));
      return 0;
    }
    const status = await request(conn, COMMAND_OF[action], { name });
    const { line, ok } = describeStatus(status);
    if (ok) out(line);
    else err(line);
    return ok ? 0 : 1;
  });
}
