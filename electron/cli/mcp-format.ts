// What the MCP tools answer: a short line a model can read ("web: running (pid 123), up 5m 02s,
// healthy"), the structured status alongside, and errors as tool errors in the API's words.
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ApiLogLine, BulkResult } from '../../shared/commands.js';
import type { AgentStatus } from '../../shared/status.js';
import { ClientError } from './client.js';
import { describeBulk, describeStatus } from './control.js';
import { stripAnsi } from './logs.js';
import { formatUptime } from './status.js';

/** One line for an agent: state and pid, uptime, port and health while it runs; the reason when it failed. */
export function statusLine(status: AgentStatus): string {
  const { line, ok } = describeStatus(status);
  if (!ok || status.state !== 'running') return line;
  const parts = [line];
  if (status.uptimeMs !== null) parts.push(`up ${formatUptime(status.uptimeMs)}`);
  if (status.port !== null) parts.push(`port ${status.port}`);
  if (status.health !== 'unknown') parts.push(status.health);
  if (status.ready === false) parts.push('not ready yet');
  return parts.join(', ');
}

/** Whether the status is a failure (crashed or errored). */
export function failed(status: AgentStatus): boolean {
  return !describeStatus(status).ok;
}

/** A result: the text, and the structured value alongside (an object, as MCP asks). */
export function textResult(text: string, structured?: Record<string, unknown>, isError = false): CallToolResult {
  return { content: [{ type: 'text', text }], ...(structured ? { structuredContent: structured } : {}), ...(isError ? { isError: true } : {}) };
}

/** A tool error: the message only (the API's words when the host refused). */
export function errorResult(e: unknown): CallToolResult {
  const message = e instanceof ClientError ? e.message : e instanceof Error ? e.message : String(e);
  return textResult(message, undefined, true);
}

/** Runs a tool's work; anything it throws becomes a tool error instead of ending the server. */
export async function guarded(work: () => Promise<CallToolResult>): Promise<CallToolResult> {
  try {
    return await work();
  } catch (e) {
    return errorResult(e);
  }
}

/** The result of a start, restart or ensure: the status line, an error when it failed. */
export function statusResult(status: AgentStatus): CallToolResult {
  return textResult(statusLine(status), { status }, failed(status));
}

/** The result of a group start or stop: a line per agent, an error when any failed. */
export function bulkResult(action: 'start' | 'stop', group: string, result: BulkResult): CallToolResult {
  const { lines, ok } = describeBulk(action, result);
  const text = lines.length ? lines.map((l) => l.text).join('\n') : `group ${group}: no agents`;
  return textResult(text, { results: result.results }, !ok);
}

/** Log lines as text (stderr marked "! ", escape codes removed), keeping the last `count` that contain `filter` (case-insensitive). */
export function pickLogLines(lines: readonly ApiLogLine[], count: number, filter: string | undefined): ApiLogLine[] {
  const needle = filter?.toLowerCase();
  const clean = lines.map((l) => ({ ...l, text: stripAnsi(l.text) }));
  const kept = needle ? clean.filter((l) => l.text.toLowerCase().includes(needle)) : clean;
  return kept.slice(-count);
}

/** The text of log lines, one a line; stderr lines start with "! ". */
export function logText(name: string, lines: readonly ApiLogLine[], filter: string | undefined): string {
  if (!lines.length) return filter ? `${name}: no recent line contains "${filter}"` : `${name}: no output yet`;
  return lines.map((l) => (l.stream === 'stderr' ? `! ${l.text}` : l.text)).join('\n');
}
