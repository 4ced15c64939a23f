// MCP over Streamable HTTP at the host's /mcp, driven by the SDK's own client against a real host
// (application + HTTP server on 127.0.0.1) with a real fixture agent: the tools it lists, status,
// start and stop through `app.dispatch`, the token and Host checks, 405 for GET/DELETE (stateless),
// and the edit tools only with settings.json's mcp.allowEdits.
import { test, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { AgentStatus } from '../../shared/status.js';
import type { Cleanups } from '../helpers/engine.js';
import { rawRequest, startHost, type TestHost } from '../helpers/http-host.js';
import { alive, fixture, killTracked, track } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait.js';

const cleanups: Cleanups = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0).reverse()) await c();
});

const node = process.execPath;
const ticker = { name: 'ticker', command: node, args: [fixture('well-behaved.mjs')] };
const CONTROL_TOOLS = ['agent_logs', 'agent_status', 'ensure_agent', 'list_agents', 'list_groups', 'restart_agent', 'start_agent', 'start_group', 'stop_agent', 'stop_group'];

/** The SDK's client connected to the host's /mcp with the token; closed after the test. */
async function mcpClient(host: TestHost, token = host.token): Promise<Client> {
  const transport = new StreamableHTTPClientTransport(new URL(`${host.url}/mcp`), { requestInit: { headers: { Authorization: `Bearer ${token}` } } });
  const client = new Client({ name: 'agent-tray-test', version: '1.0.0' });
  await client.connect(transport);
  cleanups.push(() => client.close());
  return client;
}

/** Calls a tool; its text, whether it is an error, and its structured content (pids in it are tracked). */
async function callTool(client: Client, name: string, args: Record<string, unknown> = {}): Promise<{ text: string; isError: boolean; structured: Record<string, unknown> | undefined }> {
  const result = (await client.callTool({ name, arguments: args })) as CallToolResult;
  const text = result.content.map((c) => (c.type === 'text' ? c.text : '')).join('\n');
  const status = result.structuredContent?.status as AgentStatus | undefined;
  track(status?.pid);
  return { text, isError: result.isError === true, structured: result.structuredContent };
}

test('POST /mcp: the SDK client lists the tools, reads a status, starts and stops a real agent', { timeout: 30_000 }, async () => {
  const host = await startHost(cleanups, { agents: [ticker] });
  const client = await mcpClient(host);

  const { tools } = await client.listTools();
  assert.deepEqual(tools.map((t) => t.name).sort(), CONTROL_TOOLS, 'no edit tools without mcp.allowEdits');

  const before = await callTool(client, 'agent_status', { name: 'ticker' });
  assert.equal(before.isError, false, before.text);
  assert.equal(before.text, 'ticker: stopped');

  const started = await callTool(client, 'start_agent', { name: 'ticker' });
  assert.equal(started.isError, false, started.text);
  const status = started.structured?.status as AgentStatus;
  assert.equal(status.state, 'running');
  assert.ok(status.pid !== null && alive(status.pid), 'the agent process runs');
  assert.match(started.text, new RegExp(`^ticker: running \\(pid ${status.pid}\\)`));
  assert.equal((await host.api('GET', '/api/agents/ticker')).body.pid, status.pid, 'the host itself started it');

  const stopped = await callTool(client, 'stop_agent', { name: 'ticker' });
  assert.equal(stopped.isError, false, stopped.text);
  assert.equal((stopped.structured?.status as AgentStatus).state, 'stopped');
  assert.equal(alive(status.pid), false, 'the process is gone when stop_agent answers');

  const unknown = await callTool(client, 'agent_status', { name: 'nope' });
  assert.equal(unknown.isError, true);
  assert.match(unknown.text, /nope/);
});

test('/mcp needs the token (401), answers only to its own names, and refuses GET and DELETE with 405', { timeout: 30_000 }, async () => {
  const host = await startHost(cleanups, { agents: [ticker] });
  const init = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 't', version: '1' } } };
  const headers = { accept: 'application/json, text/event-stream' };

  const none = await host.api('POST', '/mcp', init, { ...headers, authorization: null });
  assert.equal(none.status, 401);
  assert.equal(none.body.error.code, 'unauthorized');
  assert.equal(none.headers.get('www-authenticate'), 'Bearer realm="agent-tray"');
  const wrong = await host.api('POST', '/mcp', init, { ...headers, authorization: `Bearer ${host.token}x` });
  assert.equal(wrong.status, 401);
  await assert.rejects(mcpClient(host, 'not-the-token'), /The API token is wrong/, 'the SDK client is refused too');

  const rebound = await rawRequest(host.port, { method: 'POST', path: '/mcp', headers: { host: 'evil.example:80', authorization: `Bearer ${host.token}` } });
  assert.equal(rebound.status, 403);

  const ok = await host.api('POST', '/mcp', init, headers);
  assert.equal(ok.status, 200);
  assert.equal(ok.body.result.serverInfo.name, 'agent-tray');
  assert.equal(ok.headers.get('mcp-session-id'), null, 'stateless: no session');
  assert.equal(ok.headers.get('cache-control'), 'no-store');

  for (const method of ['GET', 'DELETE']) {
    const answer = await host.api(method, '/mcp', undefined, headers);
    assert.equal(answer.status, 405, method);
    assert.equal(answer.headers.get('allow'), 'POST');
    assert.match(answer.body.error.message, /stateless/);
  }
  const noTokenGet = await host.api('GET', '/mcp', undefined, { authorization: null });
  assert.equal(noTokenGet.status, 401, 'the token is checked before the method');
});

test('/mcp offers add_agent only while settings.json has mcp.allowEdits', { timeout: 30_000 }, async () => {
  const host = await startHost(cleanups, { agents: [ticker] });
  const before = await mcpClient(host);
  assert.equal((await before.listTools()).tools.some((t) => t.name === 'add_agent'), false);

  await writeFile(path.join(host.dataDir, 'settings.json'), JSON.stringify({ mcp: { allowEdits: true } }));
  await waitFor(async () => (await host.api('GET', '/api/settings')).body.settings?.mcp?.allowEdits === true, 10_000, 'the host to load mcp.allowEdits');

  const after = await mcpClient(host);
  const names = (await after.listTools()).tools.map((t) => t.name);
  for (const tool of ['add_agent', 'edit_agent', 'remove_agent', 'agent_definition']) assert.ok(names.includes(tool), `${tool} is offered`);
  const added = await callTool(after, 'add_agent', { definition: { name: 'second', command: node, args: [fixture('well-behaved.mjs')] } });
  assert.equal(added.isError, false, added.text);
  assert.equal((await host.api('GET', '/api/agents/second')).status, 200, 'the host saved it');
});
