// `agent-tray start|stop|restart|kill NAME`: one action on the running host, one line of result.
import { parseArgs } from 'node:util';
import type { AgentStatus, StopResult } from '../../shared/status.js';
import { connect, dataDirFrom, request, requireName, runClientCommand } from './client.js';

export const CONTROL_ACTIONS = ['start', 'stop', 'restart', 'kill'] as const;
export type ControlAction = (typeof CONTROL_ACTIONS)[number];

const COMMAND_OF = { start: 'startAgent', stop: 'stopAgent', restart: 'restartAgent', kill: 'killAgent' } as const;

export function controlUsage(action: ControlAction): string {
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

/** Runs one action; 0 when it did what was asked, 1 when it failed (the reason is printed), 2 on usage errors. */
export function controlCommand(action: ControlAction, argv: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  return runClientCommand(err, async () => {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { 'data-dir': { type: 'string' } } });
    const name = requireName(positionals, controlUsage(action));
    const conn = await connect(dataDirFrom(values['data-dir']));
    if (action === 'stop' || action === 'kill') {
      const result = await request(conn, COMMAND_OF[action], { name });
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
