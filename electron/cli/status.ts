// `agent-tray status [--json] [--wide]`: every agent of the running host as a table (or the API's
// JSON). Errors that do not fit a terminal's width go below the table, cut to it and saying where
// to read them whole; --wide (and output that is not a terminal) never cuts.
import { parseArgs } from 'node:util';
import type { AgentStatus } from '../../shared/status.js';
import { connect, dataDirFrom, request, runClientCommand, UsageError } from './client.js';

export const STATUS_USAGE = 'agent-tray status [--json] [--wide] [--data-dir DIR]';

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

/** Where a cut error can be read whole; every cut error ends with it. */
export function wholeErrorPointer(name: string): string {
  return `… (agent-tray status --wide, or agent-tray logs ${name})`;
}

/** An agent's last error without its name in front, on one line (line breaks shown as " ⏎ "); at most `max` characters, ending with where to read it whole when it was cut. */
export function shortError(status: AgentStatus, max = Infinity): string {
  const message = status.lastError?.message;
  if (!message) return '';
  let text = message.trim();
  if (text.startsWith(`${status.name} `)) text = text.slice(status.name.length + 1);
  else if (text.startsWith(`Agent "${status.name}": `)) text = text.slice(status.name.length + 10);
  const line = text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join(' ⏎ ');
  if (line.length <= max) return line;
  const pointer = wholeErrorPointer(status.name);
  return `${line.slice(0, Math.max(0, max - pointer.length)).trimEnd()}${pointer}`;
}

/** "waiting for model (healthy), setup (completed)" for a waiting agent; its state otherwise. */
export function stateText(status: AgentStatus): string {
  if (status.state !== 'waiting' || !status.waitingFor?.length) return status.state;
  return `waiting for ${status.waitingFor.map((w) => `${w.agent} (${w.condition})`).join(', ')}`;
}

/** A crashed or errored agent: its last error is shown. */
const failed = (a: AgentStatus) => a.state === 'crashed' || a.state === 'errored';

/** The status table's lines; with `errors`, an ERROR column (whole errors) when a crashed or errored agent has one. */
export function statusTable(agents: AgentStatus[], errors = true): string[] {
  const live = (a: AgentStatus) => a.state === 'starting' || a.state === 'running' || a.state === 'stopping';
  const withError = errors && agents.some((a) => failed(a) && a.lastError);
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

/** How many lines an error below the table may take. */
const ERROR_LINES = 2;

/** An agent's error below the table: "NAME: error" in at most two lines of `width` (the second indented under the first), cut with where to read it whole when it is longer. */
export function errorBlock(status: AgentStatus, width: number): string[] {
  const prefix = `${status.name}: `;
  const room = Math.max(10, width - prefix.length);
  const text = shortError(status, room * ERROR_LINES);
  const lines: string[] = [];
  for (let at = 0; at < text.length; at += room) lines.push(`${at === 0 ? prefix : ' '.repeat(prefix.length)}${text.slice(at, at + room)}`);
  return lines;
}

/**
 * What `status` prints for a terminal `width` columns wide (undefined: not a terminal, nothing to
 * fit): the table with whole errors when every line fits; else the table without them, and each
 * error below it, cut to two lines of the width and ending with where to read it whole.
 */
export function statusLines(agents: AgentStatus[], width: number | undefined): string[] {
  const whole = statusTable(agents);
  if (width === undefined || whole.every((l) => l.length <= width)) return whole;
  const below = agents.filter((a) => failed(a) && a.lastError).flatMap((a) => errorBlock(a, width));
  return [...statusTable(agents, false), ...(below.length ? ['', ...below] : [])];
}

/** Prints the table (or `--json`); 0, or 1 when the host cannot be asked. */
export function statusCommand(argv: string[], out: (line: string) => void, err: (line: string) => void): Promise<number> {
  return runClientCommand(err, async () => {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { 'data-dir': { type: 'string' }, json: { type: 'boolean', default: false }, wide: { type: 'boolean', short: 'w', default: false } },
    });
    if (positionals.length) throw new UsageError(`status takes no arguments (got ${positionals.join(' ')})\nUsage: ${STATUS_USAGE}`);
    const conn = await connect(dataDirFrom(values['data-dir']));
    const result = await request(conn, 'listAgents', {});
    if (values.json) {
      out(JSON.stringify(result, null, 2));
      return 0;
    }
    if (result.agents.length === 0) {
      out('No agents are defined yet; add one with agent-tray add NAME -- COMMAND (or in agents.json)');
      return 0;
    }
    const width = !values.wide && process.stdout.isTTY ? process.stdout.columns : undefined;
    for (const line of statusLines(result.agents, width)) out(line);
    return 0;
  });
}
