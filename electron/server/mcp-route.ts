// The Model Context Protocol over Streamable HTTP at /mcp, for AI clients that speak it: the same
// tools as `agent-tray mcp` (electron/cli/mcp-tools.ts), run through `app.dispatch` in this process.
// Stateless: every POST gets a fresh server and transport (no sessions to keep or expire), so GET
// (a server-to-client stream) and DELETE (ending a session) answer 405. The Host/Origin checks and
// the token of http-server.ts's onRequest hook apply before any of this runs.
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { AppApi } from '../app/application.js';
import type { McpContext } from '../cli/mcp-tools.js';

export const MCP_PATH = '/mcp';

/** Headers the hijacked answers carry (Fastify's onSend hook does not run for them). */
const MCP_HEADERS = { 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' };

/** The tools' context in the host: commands run in process; edits follow the settings as loaded now. */
export function hostMcpContext(app: AppApi): McpContext {
  return {
    call: (command, input, opts = {}) => app.dispatch(command, input, { signal: opts.signal }),
    edits: async () => {
      const { settings, settingsFile } = await app.dispatch('getSettings', {});
      return { allowed: settings.mcp.allowEdits, settingsFile };
    },
  };
}

/** The SDK and the tools, loaded at the first request: a host at rest loads none of it (the SDK brings a JSON Schema compiler). */
function loadMcp() {
  return Promise.all([import('@modelcontextprotocol/sdk/server/mcp.js'), import('@modelcontextprotocol/sdk/server/streamableHttp.js'), import('../cli/mcp-tools.js')]).then(([mcp, http, tools]) => ({
    McpServer: mcp.McpServer,
    StreamableHTTPServerTransport: http.StreamableHTTPServerTransport,
    ...tools,
  }));
}
let mcpModules: ReturnType<typeof loadMcp> | null = null;

/** A JSON-RPC error answer with no id (the request never reached the protocol). */
function rpcError(message: string): { jsonrpc: '2.0'; error: { code: number; message: string }; id: null } {
  return { jsonrpc: '2.0', error: { code: -32000, message }, id: null };
}

/** Registers POST /mcp (the protocol) and GET/DELETE /mcp (405: this server keeps no sessions). */
export function registerMcpRoute(fastify: FastifyInstance, app: AppApi, opts: { version: string; log: (line: string) => void }): void {
  const ctx = hostMcpContext(app);

  fastify.post(MCP_PATH, async (req, reply) => {
    mcpModules ??= loadMcp().catch((err: unknown) => {
      mcpModules = null; // tried again by the next request
      throw err;
    });
    const { McpServer, StreamableHTTPServerTransport, MCP_INSTRUCTIONS, registerControlTools, registerEditTools } = await mcpModules;
    const { allowed } = await ctx.edits();
    const server = new McpServer({ name: 'agent-tray', version: opts.version }, { instructions: MCP_INSTRUCTIONS });
    registerControlTools(server, ctx);
    if (allowed) registerEditTools(server, ctx);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
    reply.hijack();
    const res = reply.raw;
    // the request is over (answered, or the client went away): a tool still running sees its signal abort
    res.once('close', () => void server.close());
    for (const [k, v] of Object.entries(MCP_HEADERS)) res.setHeader(k, v);
    try {
      await server.connect(transport);
      await transport.handleRequest(req.raw, res, req.body);
    } catch (err) {
      opts.log(`agent-tray serve: internal error on POST ${MCP_PATH}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'application/json' });
      if (!res.writableEnded) res.end(JSON.stringify(rpcError('Internal error of the Agent Tray host; its log has the details')));
    }
  });

  const notAllowed = async (_req: unknown, reply: FastifyReply) =>
    reply.code(405).header('Allow', 'POST').send(rpcError('This MCP server is stateless: send requests with POST /mcp (there is no event stream to open and no session to end)'));
  fastify.get(MCP_PATH, { exposeHeadRoute: false }, notAllowed);
  fastify.delete(MCP_PATH, notAllowed);
}
