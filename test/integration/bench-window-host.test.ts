// The window benchmark's stand-in host (bench/window/stand-in-host.mjs), run as the benchmark runs
// it (a process on port 0): its answers have the shapes of shared/ (checked here against the
// TypeScript sources, while the host uses dist/shared), it refuses a missing token, and its event
// stream sends the snapshot, then every agent's history in order, then the replay at the rate asked.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { COMMANDS } from '../../shared/commands.js';
import type { HostEvent } from '../../shared/events.js';
import { AgentStatusSchema, LogLineSchema } from '../../shared/status.js';
import { killTracked, track } from '../helpers/processes.js';
import { waitFor } from '../helpers/wait.js';

const HOST = fileURLToPath(new URL('../../bench/window/stand-in-host.mjs', import.meta.url));
const AGENTS = 12;
const HISTORY = 1_200;

after(killTracked);

/** Starts the stand-in host; its URL and token from the line it prints. */
async function startHost(): Promise<{ url: string; token: string; pid: number }> {
  assert.ok(existsSync(fileURLToPath(new URL('../../dist/shared/commands.js', import.meta.url))), 'dist/ is built (npm run build)');
  const child = spawn(process.execPath, [HOST, '--agents', String(AGENTS), '--history-lines', String(HISTORY)], { stdio: ['ignore', 'pipe', 'pipe'] });
  track(child.pid);
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const line = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no URL line within 15 s; stderr: ${stderr}`)), 15_000);
    createInterface({ input: child.stdout }).on('line', (l) => {
      if (l.includes('listening on')) {
        clearTimeout(timer);
        resolve(l);
      }
    });
    child.on('exit', (code) => reject(new Error(`the host exited (${code}): ${stderr}`)));
  });
  const m = /listening on (http:\/\/\S+)\/\?token=(\S+)/.exec(line);
  assert.ok(m, line);
  return { url: m[1]!, token: m[2]!, pid: child.pid! };
}

/** Reads the event stream: every event in order, as it arrives. */
async function readEvents(url: string, token: string, events: { id: number; event: HostEvent }[], signal: AbortSignal): Promise<void> {
  const res = await fetch(`${url}/api/events?token=${token}`, { signal });
  assert.equal(res.headers.get('content-type'), 'text/event-stream; charset=utf-8');
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const id = Number(/^id: (\d+)$/m.exec(frame)?.[1]);
        const data = /^data: (.*)$/m.exec(frame)?.[1];
        if (data) events.push({ id, event: JSON.parse(data) as HostEvent });
      }
    }
  } catch (err) {
    if (!signal.aborted) throw err;
  }
}

test('the stand-in host answers in the shapes of shared/, refuses a missing token, and streams snapshot, history, then the replay', async () => {
  const { url, token } = await startHost();
  const api = async (method: string, path: string, auth = true) => {
    const res = await fetch(`${url}${path}`, { method, headers: auth ? { authorization: `Bearer ${token}` } : {} });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  assert.equal((await api('GET', '/api/agents', false)).status, 401);
  const { body: list } = await api('GET', '/api/agents');
  const agents = COMMANDS.listAgents.output.parse(list).agents;
  assert.equal(agents.length, AGENTS);
  assert.ok(agents.filter((a) => a.state === 'running').length >= AGENTS / 2, 'most agents run');
  const name = agents[1]!.name;
  const logs = COMMANDS.agentLogs.output.parse((await api('GET', `/api/agents/${name}/logs?lines=5&stream=all`)).body);
  assert.equal(logs.lines.length, 5);
  COMMANDS.getSettings.output.parse((await api('GET', '/api/settings')).body);
  COMMANDS.listAlerts.output.parse((await api('GET', '/api/alerts?since=0')).body);
  COMMANDS.agentStats.output.parse((await api('GET', `/api/agents/${name}/stats`)).body);
  COMMANDS.history.output.parse((await api('GET', `/api/history?agent=${name}&limit=10`)).body);
  const unknown = await api('GET', '/api/agents/nobody');
  assert.equal(unknown.status, 404);
  assert.equal((unknown.body.error as { code: string }).code, 'unknown-agent');

  const events: { id: number; event: HostEvent }[] = [];
  const abort = new AbortController();
  const reading = readEvents(url, token, events, abort.signal);
  try {
    await waitFor(async () => ((await api('GET', '/bench/state')).body.clients as { historyDone: boolean }[]).some((c) => c.historyDone), 15_000, 'the history sent');
    await api('POST', '/bench/rate?eventsPerS=200');
    await waitFor(() => events.filter((e) => e.event.type !== 'log' && e.event.type !== 'snapshot').length >= 20, 15_000, 'replayed events');
  } finally {
    abort.abort();
    await reading;
  }

  assert.equal(events[0]?.event.type, 'snapshot');
  const snapshot = events[0]!.event as Extract<HostEvent, { type: 'snapshot' }>;
  assert.equal(snapshot.agents.length, AGENTS);
  for (const s of snapshot.agents) AgentStatusSchema.parse(s);
  assert.deepEqual(
    events.map((e) => e.id),
    events.map((e) => e.id).sort((a, b) => a - b),
    'ids increase',
  );
  // each agent's history, whole and in order, before any replayed event
  // the history comes in events of 500 lines, a chunk of every agent in turn
  const firstReplayed = 1 + AGENTS * Math.ceil(HISTORY / 500);
  const history = events.slice(1, firstReplayed);
  assert.ok(history.every((e) => e.event.type === 'log'), 'the history is log events only');
  for (const a of agents) {
    const lines = history.flatMap((e) => (e.event.type === 'log' && e.event.name === a.name ? e.event.lines : []));
    assert.equal(lines.length, HISTORY, `${a.name}'s history`);
    for (const l of lines.slice(0, 50)) LogLineSchema.parse(l);
    assert.ok(lines.every((l, i) => i === 0 || l.at >= lines[i - 1]!.at), `${a.name}'s history in time order`);
  }
  const replayedTypes = new Set(events.slice(firstReplayed).map((e) => e.event.type));
  for (const type of ['stats', 'log', 'state', 'health-changed']) assert.ok(replayedTypes.has(type as HostEvent['type']), `the replay has ${type} events: ${[...replayedTypes].join(', ')}`);
  for (const e of events.slice(firstReplayed)) if (e.event.type === 'state') AgentStatusSchema.parse(e.event.status);
});
