// `agent-tray mcp` through the real binary (bin/agent-tray.js over the built dist/), driven by the
// MCP SDK's own client over stdio, against a real `agent-tray serve` with real fixture agents:
// the tools it lists, ensure_agent, agent_logs, stop_agent, group tools, tool errors in the API's
// words, and add/edit/remove only with settings.json's mcp.allowEdits (shown and hidden while the
// session runs, with notifications/tools/list_changed).
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ToolListChangedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { AgentStatus } from '../../shared/status.js';
import { alive, fixture, track } from '../helpers/processes.js';
import { startCli } from '../helpers/cli-process.js';
import { testDataDirs } from '../helpers/data-dirs.js';

const dirs = testDataDirs({ endAgentsOfDirs: true });
afterEach(() => dirs.afterEach());

const node = process.execPath;
const bin = new URL('../../bin/agent-tray.js', import.meta.url).pathname;
const built = existsSync(new URL('../../dist/electron/cli/mcp.js', import.meta.url));
const skip = built ? false : 'dist/ has no mcp.js: run `node build/build.mjs` first (bin/agent-tray.js runs the build)';

const web = { name: 'web', command: node, args: [fixture('ready-server.mjs')], readyLine: 'ready pid=', env: { READY_MS: '200' }, groups: ['stack'] };
const ticker = { name: 'ticker', command: node, args: [fixture('well-behaved.mjs')], groups: ['stack'] };

/** Starts `agent-tray serve` for `dir` on a free port; resolves once it listens. */
async function serve(dir: string): Promise<void> {
  const host = startCli(['serve', '--data-dir', dir, '--port', '0']);
  await host.waitForLine(/Agent Tray listening on http:\/\/\S+/, 20_000);
}

/** `node bin/agent-tray.js mcp --data-dir DIR` connected to the SDK's client; closed (and its pid ended) after the test. */
async function mcpClient(dir: string): Promise<{ client: Client; stderr: () => string }> {
  const transport = new StdioClientTransport({ command: node, args: [bin, 'mcp', '--data-dir', dir], stderr: 'pipe' });
  let stderr = '';
  transport.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const client = new Client({ name: 'agent-tray-test', version: '1.0.0' });
  dirs.cleanups.push(() => client.close());
  await client.connect(transport);
  track(transport.pid);
  return { client, stderr: () => stderr };
}

/** Calls a tool; its text and structured content. */
async function callTool(client: Client, name: string, args: Record<string, unknown> = {}): Promise<{ text: string; isError: boolean; structured: Record<string, unknown> | undefined }> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
  return { text, isError: result.isError === true, structured: result.structuredContent };
}

test('mcp: lists its tools, ensures an agent, reads its logs, stops it, controls a group, and answers errors as tool errors', { skip, timeout: 60_000 }, async () => {
  const dir = await dirs.dataDir([web, ticker]);
  await serve(dir);
  const { client, stderr } = await mcpClient(dir);

  const { tools } = await client.listTools();
  const names = tools.map((t) => t.name).sort();
  assert.deepEqual(names, ['agent_logs', 'agent_status', 'ensure_agent', 'list_agents', 'list_groups', 'restart_agent', 'start_agent', 'start_group', 'stop_agent', 'stop_group']);
  assert.ok(tools.find((t) => t.name === 'ensure_agent')?.inputSchema.properties?.timeoutSeconds, 'ensure_agent takes a timeout');

  const ensured = await callTool(client, 'ensure_agent', { name: 'web', timeoutSeconds: 20 });
  assert.equal(ensured.isError, false, ensured.text);
  const status = ensured.structured?.status as AgentStatus;
  assert.equal(status.state, 'running');
  assert.equal(status.ready, true);
  assert.ok(status.pid !== null && alive(status.pid));
  assert.match(ensured.text, new RegExp(`^web: running \\(pid ${status.pid}\\), up \\d+s`));

  const listed = await callTool(client, 'list_agents');
  assert.match(listed.text, /^web: running \(pid \d+\)/m);
  assert.match(listed.text, /^ticker: stopped$/m);
  assert.deepEqual((listed.structured?.agents as AgentStatus[]).map((a) => a.name), ['web', 'ticker']);

  const logs = await callTool(client, 'agent_logs', { name: 'web', lines: 5 });
  assert.equal(logs.isError, false, logs.text);
  assert.match(logs.text, new RegExp(`ready pid=${status.pid}`));
  const filtered = await callTool(client, 'agent_logs', { name: 'web', filter: 'READY PID', stream: 'stdout' });
  assert.equal(filtered.text, `ready pid=${status.pid}`);
  const none = await callTool(client, 'agent_logs', { name: 'web', filter: 'no such text' });
  assert.equal(none.text, 'web: no recent line contains "no such text"');

  const stopped = await callTool(client, 'stop_agent', { name: 'web' });
  assert.equal(stopped.isError, false, stopped.text);
  assert.match(stopped.text, /^web: stopped in \d+ ms/);
  assert.equal(alive(status.pid!), false, 'its process is gone');

  const group = await callTool(client, 'start_group', { group: 'stack' });
  assert.equal(group.isError, false, group.text);
  assert.match(group.text, /^web: running \(pid \d+\)$/m);
  assert.match(group.text, /^ticker: running \(pid \d+\)$/m);
  const groups = await callTool(client, 'list_groups');
  assert.equal(groups.text, 'stack: 2/2 running (web, ticker)');
  const groupStop = await callTool(client, 'stop_group', { group: 'stack' });
  assert.equal(groupStop.text.split('\n').sort().join('\n'), 'ticker: stopped\nweb: stopped');

  // errors come back as tool errors in the API's words; the server goes on
  const unknown = await callTool(client, 'agent_status', { name: 'nope' });
  assert.equal(unknown.isError, true);
  assert.match(unknown.text, /nope/);
  assert.match(unknown.text, /no agent|not found|unknown/i);
  const unknownStart = await callTool(client, 'start_agent', { name: 'nope' });
  assert.equal(unknownStart.isError, true);
  assert.match(unknownStart.text, /nope/);
  const badInput = await callTool(client, 'agent_logs', { name: 'web', lines: 0 });
  assert.equal(badInput.isError, true, 'a bad argument is a tool error');

  // edits are not offered without mcp.allowEdits
  const refused = await client.callTool({ name: 'add_agent', arguments: { definition: { name: 'x', command: node } } }).then(
    (r) => (r as CallToolResult).isError === true,
    () => true,
  );
  assert.equal(refused, true, 'add_agent is refused');
  assert.equal(JSON.parse(readFileSync(path.join(dir, 'agents.json'), 'utf8')).agents.length, 2, 'agents.json unchanged');

  assert.equal((await callTool(client, 'agent_status', { name: 'ticker' })).text, 'ticker: stopped', 'still serving after errors');
  assert.match(stderr(), /agent-tray mcp: serving/);
});

test('mcp: without a host, a tool says how to start one', { skip, timeout: 30_000 }, async () => {
  const dir = await dirs.dataDir([ticker]);
  const { client } = await mcpClient(dir);
  const result = await callTool(client, 'list_agents');
  assert.equal(result.isError, true);
  assert.match(result.text, /No Agent Tray host is running for .*agent-tray serve/);
});

test('mcp: with mcp.allowEdits, add/edit/remove go through the host, whose checks and sandbox apply', { skip, timeout: 60_000 }, async () => {
  const dir = await dirs.dataDir([ticker]);
  writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ mcp: { allowEdits: true } }));
  await serve(dir);
  const { client, stderr } = await mcpClient(dir);

  const names = (await client.listTools()).tools.map((t) => t.name);
  for (const tool of ['add_agent', 'edit_agent', 'remove_agent', 'agent_definition']) assert.ok(names.includes(tool), `${tool} is offered`);
  assert.match(stderr(), /edits allowed/);

  const sandboxed = await callTool(client, 'add_agent', { definition: { name: 'etc', command: node, args: [fixture('well-behaved.mjs')], cwd: '/etc' } });
  assert.equal(sandboxed.isError, true, sandboxed.text);
  assert.match(sandboxed.text, /\/etc/);
  const invalid = await callTool(client, 'add_agent', { definition: { name: 'bad name!' } });
  assert.equal(invalid.isError, true, invalid.text);

  const added = await callTool(client, 'add_agent', { definition: { name: 'extra', command: node, args: [fixture('well-behaved.mjs')] } });
  assert.equal(added.isError, false, added.text);
  assert.equal(added.text, 'extra: added (stopped)');
  const def = await callTool(client, 'agent_definition', { name: 'extra' });
  assert.equal((def.structured?.definition as { command: string }).command, node);
  const edited = await callTool(client, 'edit_agent', { name: 'extra', definition: { name: 'extra', command: node, args: [fixture('well-behaved.mjs')], description: 'from MCP' } });
  assert.equal(edited.isError, false, edited.text);
  const saved = () => JSON.parse(readFileSync(path.join(dir, 'agents.json'), 'utf8')).agents as { name: string; description?: string }[];
  assert.equal(saved().find((a) => a.name === 'extra')?.description, 'from MCP');
  const removed = await callTool(client, 'remove_agent', { name: 'extra' });
  assert.equal(removed.text, 'extra: removed');
  assert.deepEqual(saved().map((a) => a.name), ['ticker']);

  // turned off in settings.json while the server runs: refused from then on (by the tool itself, or
  // as a hidden tool once the host's settings event reached the server)
  writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ mcp: { allowEdits: false } }));
  const late = await callTool(client, 'add_agent', { definition: { name: 'late', command: node } });
  assert.equal(late.isError, true);
  assert.match(late.text, /allowEdits|add_agent disabled/);
});

/** Each notifications/tools/list_changed the client gets, in turn: `next()` resolves at the next one (or one already come). */
function listChanges(client: Client): { next: (what: string, timeoutMs?: number) => Promise<void>; count: () => number } {
  let seen = 0;
  let taken = 0;
  let wake: (() => void) | null = null;
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
    seen += 1;
    wake?.();
  });
  return {
    count: () => seen,
    next: (what, timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        const take = () => {
          if (seen <= taken) return false;
          taken += 1;
          wake = null;
          clearTimeout(timer);
          resolve();
          return true;
        };
        const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for notifications/tools/list_changed (${what})`)), timeoutMs);
        if (!take()) wake = () => void take();
      }),
  };
}

test('mcp: the edit tools follow mcp.allowEdits while the session runs, and the client is told the list changed', { skip, timeout: 60_000 }, async () => {
  const dir = await dirs.dataDir([ticker]);
  await serve(dir);
  const { client, stderr } = await mcpClient(dir);
  const changes = listChanges(client);
  const editTools = ['add_agent', 'agent_definition', 'edit_agent', 'remove_agent'];
  const offered = async () => (await client.listTools()).tools.map((t) => t.name).filter((n) => editTools.includes(n)).sort();

  assert.equal(client.getServerCapabilities()?.tools?.listChanged, true, 'the server declares tools.listChanged');
  assert.deepEqual(await offered(), []);

  // settings.json changes; the host sees it and says so on its event stream; the server shows the tools
  writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ mcp: { allowEdits: true } }));
  await changes.next('edits allowed');
  assert.deepEqual(await offered(), editTools);
  const def = await callTool(client, 'agent_definition', { name: 'ticker' });
  assert.equal(def.isError, false, def.text);
  assert.equal((def.structured?.definition as { name: string }).name, 'ticker');
  assert.equal(changes.count(), 1, 'one notification for the four tools');
  assert.match(stderr(), /edits allowed by settings\.json/);

  writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ mcp: { allowEdits: false } }));
  await changes.next('edits turned off');
  assert.deepEqual(await offered(), []);
  const refused = await callTool(client, 'add_agent', { definition: { name: 'late', command: node } });
  assert.equal(refused.isError, true);
  assert.equal(JSON.parse(readFileSync(path.join(dir, 'agents.json'), 'utf8')).agents.length, 1, 'agents.json unchanged');
});

test('mcp: started before the host, it finds the host once it runs and follows its setting from then on', { skip, timeout: 60_000 }, async () => {
  const dir = await dirs.dataDir([ticker]);
  const { client } = await mcpClient(dir);
  const changes = listChanges(client);
  assert.equal((await client.listTools()).tools.some((t) => t.name === 'add_agent'), false);
  // changed while no host runs: the host's first snapshot makes the server read the setting again
  writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ mcp: { allowEdits: true } }));
  await serve(dir);
  await changes.next('edits allowed, found once the host runs');
  assert.equal((await client.listTools()).tools.some((t) => t.name === 'add_agent'), true);
});
