// The MCP tools, for `agent-tray mcp` (stdio) and the host's own /mcp route: each one command (or
// two) through a `call` function — the CLI's HTTP client for stdio, `app.dispatch` in the host — so
// the host's checks, sandbox and errors apply unchanged.
// Add, edit and remove are offered only while settings.json has `mcp.allowEdits: true` (the stdio
// server shows and hides them as it changes, mcp-follow.ts; the host's /mcp registers them per request).
import type { McpServer, RegisteredTool } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { CommandInput, CommandName, CommandResult } from '../../shared/commands.js';
import { loadSettings } from '../app/settings-file.js';
import { locateData } from '../app/data-location.js';
import { connect, request } from './client.js';
import { dependentsNote, describeStop } from './control.js';
import { bulkResult, guarded, logText, pickLogLines, statusLine, statusResult, textResult } from './mcp-format.js';

/** Runs one command: over HTTP for `agent-tray mcp`, in process for the host's /mcp. */
export type CallCommand = <C extends CommandName>(command: C, input: CommandInput<C>, opts?: { timeoutMs?: number; signal?: AbortSignal }) => Promise<CommandResult<C>>;

export interface McpContext {
  call: CallCommand;
  /** Whether settings.json allows edits now, and where that setting lives (asked again before every edit). */
  edits: () => Promise<{ allowed: boolean; settingsFile: string }>;
}

/** What the server tells a client about itself. */
export const MCP_INSTRUCTIONS =
  'Agent Tray supervises local agents (model servers, agent servers, MCP servers) on this machine. ' +
  'Use list_agents to see them, ensure_agent before using one (it starts it and waits until it is ready), agent_logs to see why one failed.';

/** How long past its own timeout the host gets to answer an ensure. */
const ANSWER_GRACE_MS = 30_000;

const name = z.string().min(1).describe('The agent\'s name, as in agents.json (list_agents shows them)');
const group = z.string().min(1).describe('The group\'s name (list_groups shows them)');
const readOnly = { readOnlyHint: true, openWorldHint: false } as const;
const acts = { readOnlyHint: false, destructiveHint: false, openWorldHint: false } as const;

/** The context of `agent-tray mcp`: commands go to the host of the data directory (found afresh each time: the host may have restarted). */
export function clientContext(dataDir: string): McpContext {
  return {
    call: async (command, input, opts = {}) => request(await connect(dataDir), command, input, opts),
    edits: async () => ({ allowed: await editsAllowed(dataDir), settingsFile: locateData({ dataDir }).paths.settingsFile }),
  };
}

/** Calls one command through the context. */
function call<C extends CommandName>(ctx: McpContext, command: C, input: CommandInput<C>, opts: { timeoutMs?: number; signal?: AbortSignal } = {}): Promise<CommandResult<C>> {
  return ctx.call(command, input, opts);
}

/** Registers the tools that read and control agents and groups. */
export function registerControlTools(server: McpServer, ctx: McpContext): void {
  server.registerTool('list_agents', { title: 'List agents', description: 'Every agent Agent Tray supervises, a line each: state, pid, uptime, port, health, or why it failed.', annotations: readOnly }, () =>
    guarded(async () => {
      const { agents } = await call(ctx, 'listAgents', {});
      return textResult(agents.length ? agents.map(statusLine).join('\n') : 'No agents are defined.', { agents });
    }),
  );

  server.registerTool('agent_status', { title: 'Agent status', description: 'One agent\'s status: state, pid, uptime, port, health, last error.', inputSchema: { name }, annotations: readOnly }, ({ name }) =>
    guarded(async () => {
      const status = await call(ctx, 'getAgent', { name });
      return textResult(statusLine(status), { status });
    }),
  );

  server.registerTool('start_agent', { title: 'Start an agent', description: 'Start an agent (after its dependencies); answers once its process runs, or with why it failed. To wait until it is ready, use ensure_agent.', inputSchema: { name }, annotations: acts }, ({ name }, extra) =>
    guarded(async () => statusResult(await call(ctx, 'startAgent', { name }, { signal: extra.signal }))),
  );

  server.registerTool(
    'stop_agent',
    {
      title: 'Stop an agent',
      description: 'Stop an agent and every process it started; answers when they are gone. withDependents: stop the agents that depend on it first.',
      inputSchema: { name, withDependents: z.boolean().default(false).describe('Also stop the agents that depend on it, first') },
      annotations: { ...acts, destructiveHint: true },
    },
    ({ name, withDependents }, extra) =>
      guarded(async () => {
        const result = await call(ctx, 'stopAgent', { name, withDependents }, { signal: extra.signal });
        const lines = [...(result.dependents ?? []).map((d) => describeStop('stop', d)), describeStop('stop', result.stop)];
        if (result.dependentsRunning?.length) lines.push(dependentsNote(name, result.dependentsRunning));
        const { stop, dependents, dependentsRunning, ...status } = result;
        return textResult(lines.join('\n'), { status, stop, ...(dependents ? { dependents } : {}), ...(dependentsRunning ? { dependentsRunning } : {}) });
      }),
  );

  server.registerTool('restart_agent', { title: 'Restart an agent', description: 'Stop, then start an agent; answers with its new status.', inputSchema: { name }, annotations: { ...acts, destructiveHint: true } }, ({ name }, extra) =>
    guarded(async () => statusResult(await call(ctx, 'restartAgent', { name }, { signal: extra.signal }))),
  );

  server.registerTool(
    'ensure_agent',
    {
      title: 'Ensure an agent is ready',
      description: 'Start an agent unless it runs (after its dependencies) and wait until it is ready by its own measure (its readyLine matched; else its health probe passes). Answers when ready, or with why it is not within timeoutSeconds.',
      inputSchema: { name, timeoutSeconds: z.number().int().min(1).max(3600).default(60).describe('How long to wait for it to be ready') },
      annotations: acts,
    },
    ({ name, timeoutSeconds }, extra) =>
      guarded(async () => {
        const timeoutMs = timeoutSeconds * 1000;
        const status = await call(ctx, 'ensureAgent', { name, timeoutMs }, { timeoutMs: timeoutMs + ANSWER_GRACE_MS, signal: extra.signal });
        return statusResult(status);
      }),
  );

  server.registerTool(
    'agent_logs',
    {
      title: 'Agent logs',
      description: 'An agent\'s most recent output lines (stderr lines start with "! "), optionally only one stream and only lines containing a text.',
      inputSchema: {
        name,
        lines: z.number().int().min(1).max(1000).default(100).describe('How many lines (the last ones) to return'),
        stream: z.enum(['stdout', 'stderr', 'all']).default('all').describe('Which output stream'),
        filter: z.string().min(1).max(1000).optional().describe('Only lines containing this text (case-insensitive), searched among the last 1000 lines'),
      },
      annotations: readOnly,
    },
    ({ name, lines, stream, filter }) =>
      guarded(async () => {
        const result = await call(ctx, 'agentLogs', { name, lines: filter ? 1000 : lines, stream });
        const picked = pickLogLines(result.lines, lines, filter);
        return textResult(logText(name, picked, filter), { lines: picked });
      }),
  );

  server.registerTool('list_groups', { title: 'List groups', description: 'The groups of agents, with their agents and how many of them run.', annotations: readOnly }, () =>
    guarded(async () => {
      const { groups } = await call(ctx, 'listGroups', {});
      const text = groups.length ? groups.map((g) => `${g.name}: ${g.running}/${g.total} running (${g.agents.join(', ')})`).join('\n') : 'No groups: no agent has "groups" in agents.json.';
      return textResult(text, { groups });
    }),
  );

  server.registerTool('start_group', { title: 'Start a group', description: 'Start every agent of a group (each after its dependencies); a line per agent.', inputSchema: { group }, annotations: acts }, ({ group }, extra) =>
    guarded(async () => bulkResult('start', group, await call(ctx, 'startGroup', { group }, { signal: extra.signal }))),
  );

  server.registerTool('stop_group', { title: 'Stop a group', description: 'Stop every agent of a group, dependents first; a line per agent.', inputSchema: { group }, annotations: { ...acts, destructiveHint: true } }, ({ group }, extra) =>
    guarded(async () => bulkResult('stop', group, await call(ctx, 'stopGroup', { group }, { signal: extra.signal }))),
  );
}

/** Whether settings.json (read now) allows edits through MCP; a settings file that does not load allows none. */
export async function editsAllowed(dataDir: string): Promise<boolean> {
  try {
    const settings = await loadSettings(locateData({ dataDir }).paths.settingsFile);
    return settings.mcp.allowEdits;
  } catch {
    return false;
  }
}

/** Throws unless edits are still allowed (the setting may have been turned off since the server started). */
async function requireEdits(ctx: McpContext): Promise<void> {
  const { allowed, settingsFile } = await ctx.edits();
  if (!allowed) {
    throw new Error(`Editing agents through MCP is turned off in ${settingsFile}; set "mcp": { "allowEdits": true } there to allow it`);
  }
}

const definition = z.record(z.string(), z.unknown()).describe('An agent definition as in agents.json: name, command, args, cwd, env, port, readyLine, health, groups, dependsOn, … The host checks it (and its sandbox) before saving');

/** Registers agent_definition, add_agent, edit_agent and remove_agent (offered only while `mcp.allowEdits` is true); their handles. */
export function registerEditTools(server: McpServer, ctx: McpContext): RegisteredTool[] {
  const definitionTool = server.registerTool('agent_definition', { title: 'Agent definition', description: 'An agent\'s definition as in agents.json (to change it with edit_agent).', inputSchema: { name }, annotations: readOnly }, ({ name }) =>
    guarded(async () => {
      const def = await call(ctx, 'getDefinition', { name });
      return textResult(JSON.stringify(def, null, 2), { definition: def });
    }),
  );

  const addTool = server.registerTool('add_agent', { title: 'Add an agent', description: 'Define a new agent; saved to agents.json once the host finds it valid and within the sandbox.', inputSchema: { definition }, annotations: acts }, ({ definition }) =>
    guarded(async () => {
      await requireEdits(ctx);
      const status = await call(ctx, 'createAgent', { definition: definition as CommandInput<'createAgent'>['definition'] });
      return textResult(`${status.name}: added (${status.state})`, { status });
    }),
  );

  const editTool = server.registerTool(
    'edit_agent',
    {
      title: 'Edit an agent',
      description: 'Replace an agent\'s whole definition (agent_definition shows the current one). restart: apply to a running agent now by restarting it.',
      inputSchema: { name, definition, restart: z.boolean().default(false).describe('Restart a running agent with the new definition') },
      annotations: { ...acts, destructiveHint: true },
    },
    ({ name, definition, restart }) =>
      guarded(async () => {
        await requireEdits(ctx);
        const status = await call(ctx, 'updateAgent', { name, definition: definition as CommandInput<'updateAgent'>['definition'], restart });
        return textResult(`${statusLine(status)} (definition saved)`, { status });
      }),
  );

  const removeTool = server.registerTool(
    'remove_agent',
    { title: 'Remove an agent', description: 'Remove an agent from agents.json; one that runs needs stop=true.', inputSchema: { name, stop: z.boolean().default(false).describe('Stop it first when it runs') }, annotations: { ...acts, destructiveHint: true } },
    ({ name, stop }) =>
      guarded(async () => {
        await requireEdits(ctx);
        const result = await call(ctx, 'removeAgent', { name, stop });
        return textResult(`${result.removed}: removed${result.stopped ? ` (${describeStop('stop', result.stopped)})` : ''}`, { removed: result.removed, stopped: result.stopped });
      }),
  );
  return [definitionTool, addTool, editTool, removeTool];
}
