// `agent-tray mcp` follows settings.json's `mcp.allowEdits` while its session runs: the host's event
// stream says when settings change, the edit tools are shown or hidden, and the client is told with
// `notifications/tools/list_changed`. Without a host it tries again every few seconds.
import { setTimeout as delay } from 'node:timers/promises';
import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { connect, hostEvents, request } from './client.js';
import type { HostEvent } from '../../shared/events.js';

/** How long to wait before looking for the host again (none runs, or its stream ended). */
export const FOLLOW_RETRY_MS = 2000;

/** A switch for the edit tools: shows or hides them all and sends one list-changed notification when that changed anything; true then. */
export function editToolsSwitch(server: McpServer, tools: readonly RegisteredTool[]): (allowed: boolean) => boolean {
  return (allowed) => {
    const changed = tools.filter((t) => t.enabled !== allowed);
    // the handles' own enable()/disable() would notify once per tool: flip them all, then notify once
    for (const tool of changed) tool.enabled = allowed;
    if (changed.length) server.sendToolListChanged();
    return changed.length > 0;
  };
}

/** The events the edit setting follows: every other one (logs, stats, probes) is skipped unparsed. */
const FOLLOWED: ReadonlySet<HostEvent['type']> = new Set(['snapshot', 'settings-changed']);

/** Applies the host's `mcp.allowEdits` now and at each settings change, until `signal` aborts; reconnects when the host goes away or comes back. */
export async function followEditSetting(dataDir: string, apply: (allowed: boolean) => void, signal: AbortSignal, retryMs = FOLLOW_RETRY_MS): Promise<void> {
  while (!signal.aborted) {
    try {
      const conn = await connect(dataDir);
      for await (const event of hostEvents(conn, signal, FOLLOWED)) {
        // the snapshot opens the stream: the setting may have changed while no stream was open
        if (event.type === 'snapshot') apply((await request(conn, 'getSettings', {})).settings.mcp.allowEdits);
        else if (event.type === 'settings-changed') apply(event.settings.mcp.allowEdits);
      }
    } catch {
      // no host, or it went away: look again shortly (tools answer how to start one meanwhile)
    }
    await delay(retryMs, undefined, { signal }).catch(() => undefined);
  }
}
