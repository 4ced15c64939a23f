// `agent-tray status [--json]`: every agent of the running host as a table (or the API's JSON).
import { parseArgs } from 'node:util';
import type { AgentStatus } from '../../shared/status.js';
import { connect, dataDirFrom, request, runClientCommand, UsageError } from './client.js';

export const STATUS_USAGE = 'agent-tray status [--json] [--data-dir DIR]';

/** 3s, 5m 02s, 2h 03m, 1d 4h (floored; never negative). */
export function formatUptime(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, '0')}s`;
  const h = Math.floor(m / 60);
  if (h < 24) return `${h}h ${String(m % 60).padStart(2, '0')}m`;
  return `${Math.floor(h / 24)}d ${h % 24}h`;
}

/** Left-aligned columns two spaces apart, no trailing spaces. */
export function renderTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)];
}

/** A last error short enough for a table cell: its first line, without the agent's name in front, at most `max` characters. */
export function shortError(status: AgentStatus, max = 72): string {
  const message = status.lastError?.message;
  if (!message) return '';
  let text = (message.split('\n')[0] ?? '').trim();
  if (text.startsWith(`${status.name} `)) text = text.slice(status.name.length + 1);
  else if (text.startsWith(`Agent "${status.name}": `)) text = text.slice(status.name.length + 10);
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** "waiting for model (healthy), setup (completed)" for a waiting agent; its state otherwise. */
export function stateText(status: AgentStatus): string {
  if (status.state !== 'waiting' || !status.waitingFor?.length) return status.state;
  return `waiting for ${status.waitingFor.map((w) => `${w.agent} (${w.condition})`).join(', ')}`;
}

/** The status table's lines; the ERROR column only when a crashed or errored agent has one. */
export function statusTable(agents: AgentStatus[]): string[] {
  const failed = (a: AgentStatus) => a.state === 'crashed' || a.state === 'errored';
  const live = (a: AgentStatus) => a.state === 'starting' || a.state === 'running' || a.state === 'stopping';
  const withError = agents.some((a) => failed(a) && a.lastError);
  const header = ['NAME', 'STATE', 'PID', 'UPTIME', 'PORT', ...(withError ? ['ERROR'] : [])];
  const rows = agents.map((a) => [
    a.name,
    stateText(a),
    a.pid === null || !live(a) ? '-' : String(a.pid), // a crashed agent's last pid is no process any more
    a.uptimeMs === null || a.state !== 'running' ? '-' : formatUptime(a.uptimeMs),
    a.port === null ? '-' : String(a.port),
    ...(withError ? [failed(a) ? shortError(a) : ''] : []),
  ]);
  return renderTable(header, rows);
}

/** Prints the table (or `--json`); 0, or 1 when the host cannot be asked. */
export function statusCommand(argv: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  return runClientCommand(err, async () => {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { 'data-dir': { type: 'string' }, json: { type: 'boolean', default: false } },
    });
    if (positionals.length) throw new UsageError(`status takes no arguments (got ${positionals.join(' ')})\nUsage: ${STATUS_USAGE}`);
    const conn = await connect(dataDirFrom(values['data-dir']));
    const result = await request(conn, 'listAgents', {});
    if (values.json) {
      out(JSON.stringify(result, null, 2));
      return 0;
    }
    if (result.agents.length === 0) {
      out('No agents are defined yet; add them to agents.json');
      return 0;
    }
    for (const line of statusTable(result.agents)) out(line);
    return 0;
  });
}
