// `agent-tray mcp [--data-dir DIR]`: a Model Context Protocol server on stdin/stdout for AI clients
// (Claude Desktop, Cursor, VS Code), built on the official SDK. Its tools call the host of the data
// directory as the CLI does; the host need not run when the client starts it (a tool then answers
// how to start one). The edit tools follow settings.json's mcp.allowEdits while the session runs
// (mcp-follow.ts). stdout carries only the protocol: everything else goes to stderr.
import { parseArgs } from 'node:util';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { packageVersion } from '../server/install-layout.js';
import { dataDirFrom, runClientCommand, UsageError } from './client.js';
import { editToolsSwitch, followEditSetting } from './mcp-follow.js';
import { clientContext, editsAllowed, MCP_INSTRUCTIONS, registerControlTools, registerEditTools } from './mcp-tools.js';

export const MCP_USAGE = 'agent-tray mcp [--data-dir DIR]';

/** Runs the MCP server until the client closes stdin; 0 then. */
export function mcpCommand(argv: string[], _out: (line: string) => void, err: (line: string) => void): Promise<number> {
  return runClientCommand(err, async () => {
    const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { 'data-dir': { type: 'string' } } });
    if (positionals.length) throw new UsageError(`mcp takes no arguments (got ${positionals.join(' ')})\nUsage: ${MCP_USAGE}`);
    const dataDir = dataDirFrom(values['data-dir']);
    const allowEdits = await editsAllowed(dataDir);
    const server = new McpServer({ name: 'agent-tray', version: packageVersion() }, { instructions: MCP_INSTRUCTIONS });
    const ctx = clientContext(dataDir);
    registerControlTools(server, ctx);
    // registered always, offered only while allowed: a change of the setting shows or hides them and tells the client
    const switchEdits = editToolsSwitch(server, registerEditTools(server, ctx));
    switchEdits(allowEdits);
    const following = new AbortController();
    const closed = new Promise<void>((resolve) => (server.server.onclose = resolve)).finally(() => following.abort());
    // the SDK's stdio transport does not watch for the end of stdin: the client going away ends the server
    process.stdin.once('end', () => void server.close());
    await server.connect(new StdioServerTransport());
    err(`agent-tray mcp: serving ${dataDir} on stdio${allowEdits ? ' (edits allowed)' : ''}`);
    const follow = followEditSetting(
      dataDir,
      (allowed) => {
        if (switchEdits(allowed)) err(`agent-tray mcp: edits ${allowed ? 'allowed' : 'turned off'} by settings.json (the client was told)`);
      },
      following.signal,
    );
    await closed;
    await follow;
    return 0;
  });
}
