// On-demand agents kept as any agent is, on real processes and ports: a host that restarts takes the
// running agent back and its relay forwards again (no conflict on its own port, the PID file names
// the real port); a start that fails is no storm (the restart policy paces the next); readiness is
// the agent's own (readyLine, health probe), and its probes go to the internal port so they neither
// start it nor keep it up; ::1 clients and ::1-only agents are served; a taken public port is said.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { AgentTrayApp } from '../../electron/app/application.js';
import { canBind } from '../../electron/core/platform/port-free.js';
import { RELAY_RETRY_MS } from '../../electron/core/on-demand/listener.js';
import type { AgentDefinitionInput } from '../../shared/agent.js';
import type { EngineEvent } from '../../shared/status.js';
import type { Cleanups } from '../helpers/engine.js';
import { freePort } from '../helpers/ports.js';
import { rawRequest } from '../helpers/raw-request.js';
import { alive, fixture, killTracked, track } from '../helpers/processes.js';
import { tempDir } from '../helpers/temp-dir.js';
import { waitFor } from '../helpers/wait.js';

const cleanups: Cleanups = [];
afterEach(async () => {
  killTracked();
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Answer {
  status: number;
  pid: number;
  ready: boolean;
}

/** GET on host:port without keep-alive (a pooled connection would hold the agent up): its status, and the pid and readiness it answers. */
async function get(port: number, urlPath = '/', host = '127.0.0.1'): Promise<Answer> {
  const answer = await rawRequest(port, { path: urlPath, host });
  const parsed = JSON.parse(answer.body) as { pid: number; ready: boolean };
  return { status: answer.status, pid: parsed.pid, ready: parsed.ready };
}

/** A data directory with these agents, and a host opened on it (every agent pid tracked; closed, with its agents stopped, after the test). */
async function host(agents: AgentDefinitionInput[], dir?: string): Promise<{ app: AgentTrayApp; dir: string; events: EngineEvent[] }> {
  if (!dir) {
    const made = await tempDir();
    cleanups.push(made.cleanup);
    dir = made.dir;
    writeFileSync(path.join(dir, 'agents.json'), JSON.stringify({ agents }));
  }
  const app = await AgentTrayApp.open({ dataDir: dir, watch: false });
  const events: EngineEvent[] = [];
  app.engine.subscribe((e) => {
    events.push(e);
    if (e.type === 'state' && e.status.pid) track(e.status.pid);
  });
  let closed = false;
  const close = app.close.bind(app);
  app.close = async (opts) => {
    closed = true;
    await close(opts);
  };
  cleanups.push(() => (closed ? undefined : app.close({ stopAgents: true })));
  return { app, dir, events };
}

const server = (name: string, port: number, extra: Partial<AgentDefinitionInput> = {}): AgentDefinitionInput => ({
  name,
  command: process.execPath,
  args: [fixture('on-demand-server.mjs')],
  port,
  onDemand: { idleStopMs: 60_000 },
  startTimeoutMs: 10_000,
  ...extra,
});

const starts = (events: EngineEvent[], name: string) => events.filter((e) => e.type === 'state' && e.name === name && e.to === 'starting').length;

describe('on-demand agents are kept like any agent', () => {
  it('a host that restarts takes the running agent back and its relay forwards again; the PID file names the real port', async () => {
    const port = await freePort();
    const first = await host([server('od', port, { args: [fixture('on-demand-server.mjs'), '--port', '${PORT}'] })]);
    const answer = await get(port);
    const internal = first.app.engine.status('od').onDemand?.internalPort;
    assert.ok(internal);
    const record = JSON.parse(readFileSync(path.join(first.dir, 'run', 'od.pid'), 'utf8')) as { command: string; internalPort?: number };
    assert.match(record.command, new RegExp(`--port ${internal}$`), 'the PID file has the command line the process was given');
    assert.doesNotMatch(record.command, /\$\{PORT\}/);
    await first.app.close({ stopAgents: false }); // the host goes; the agent stays
    assert.ok(alive(answer.pid));

    const second = await host([], first.dir);
    const found = (await second.app.dispatch('discover', {})) as { results: { name: string; outcome: string; message: string }[] };
    assert.equal(found.results[0]?.outcome, 'adopted', found.results[0]?.message);
    const status = second.app.engine.status('od');
    assert.equal(status.pid, answer.pid);
    assert.equal(status.conflict, null, 'its own relay on the public port is no conflict');
    assert.equal(status.onDemand?.internalPort, internal);
    const again = await get(port);
    assert.equal(again.pid, answer.pid, 'the relay forwards to the process it took back, not to a second copy');
    assert.equal(starts(second.events, 'od'), 1, 'one transition through starting: the adoption');
  });

  it('a start that fails closes the held connection, and connections during the backoff start nothing (policy "no")', async () => {
    const port = await freePort();
    const { events } = await host([server('od', port, { env: { CRASH: '1' }, restart: { policy: 'no', backoff: { initialMs: 1500, factor: 2, maxMs: 1500 } } })]);
    await assert.rejects(get(port), /socket hang up|ECONNRESET/);
    assert.equal(starts(events, 'od'), 1);
    // a client that retries at once is refused without a start
    for (let i = 0; i < 5; i++) await assert.rejects(get(port), /socket hang up|ECONNRESET/);
    assert.equal(starts(events, 'od'), 1, 'five quick retries started nothing');
    assert.ok(events.some((e) => e.type === 'log' && e.lines.some((l) => /connections are closed until/.test(l.text))), 'its log says when it tries again');
    // after the backoff the next connection tries again
    await waitFor(async () => (await get(port).catch(() => null), starts(events, 'od') === 2), 6000, 'a second start after the backoff');
  });

  it('a connection while the engine retries a crash waits for that retry instead of starting it again (the restart budget is kept)', async () => {
    const port = await freePort();
    const { dir, cleanup } = await tempDir();
    cleanups.push(cleanup);
    const marker = path.join(dir, 'crashed-once');
    const { app, events } = await host([server('od', port, { env: { CRASH_ONCE_FILE: marker }, restart: { policy: 'on-failure', backoff: { initialMs: 800, factor: 2, maxMs: 800 } } })]);
    await assert.rejects(get(port), /socket hang up|ECONNRESET/);
    await waitFor(() => app.engine.status('od').state === 'backoff', 5000, 'the engine to schedule its retry');
    const answer = await get(port);
    assert.equal(answer.status, 200);
    const status = app.engine.status('od');
    assert.equal(status.pid, answer.pid);
    assert.equal(status.restarts, 1, 'the retry was the engine\'s (a start by the relay would have reset the count)');
    assert.equal(starts(events, 'od'), 2);
  });

  it('the run history says a client started it and it stopped when idle, not a person', async () => {
    const port = await freePort();
    const { app } = await host([server('od', port, { onDemand: { idleStopMs: 300 } })]);
    const answer = await get(port);
    await waitFor(() => app.history.list({ agent: 'od' }).length === 1, 8000, 'the run to end and be recorded');
    const [run] = app.history.list({ agent: 'od' });
    assert.equal(run?.pid, answer.pid);
    assert.equal(run?.startedBy, 'on-demand');
    assert.equal(run?.ended, 'idle');
    assert.match(run?.message ?? '', /no connection for/);
  });

  it('held connections wait for the readyLine, not only for the port to accept', async () => {
    const port = await freePort();
    await host([server('od', port, { env: { READY_DELAY_MS: '600', READY_TEXT: 'model loaded' }, readyLine: 'model loaded' })]);
    const answer = await get(port);
    assert.equal(answer.ready, true, 'answered only after the agent printed its readyLine');
  });

  it('held connections wait for a passing health probe, which goes to the internal port and does not hold off the idle stop', async () => {
    const port = await freePort();
    const { app } = await host([
      server('od', port, {
        env: { READY_DELAY_MS: '600' },
        onDemand: { idleStopMs: 1200 },
        health: { http: { url: `http://127.0.0.1:${port}/health` }, intervalMs: 200, startPeriodMs: 0 },
      }),
    ]);
    const answer = await get(port);
    assert.equal(answer.ready, true, 'answered only once its probe passed');
    // probes every 200 ms: through the relay they would count as clients and it would never idle
    await waitFor(() => app.engine.status('od').state === 'stopped', 8000, 'the idle stop while its probe runs');
    assert.ok(!alive(answer.pid));
  });

  it('serves clients on [::1] and an agent that listens on ::1 alone', async (t) => {
    if (!(await canBind(0, '::1').catch(() => false))) return t.skip('this machine has no IPv6 loopback');
    const port = await freePort();
    await host([server('od', port, { env: { LISTEN_HOST: '::1' } })]);
    const viaV6 = await get(port, '/', '::1');
    const viaV4 = await get(port, '/', '127.0.0.1');
    assert.equal(viaV6.status, 200);
    assert.equal(viaV4.pid, viaV6.pid);
  });

  it('a taken public port is a problem in the status and an alert naming the holder; the relay listens once it is free', async () => {
    const port = await freePort();
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
    let blocked = true;
    cleanups.push(() => (blocked ? new Promise<void>((r) => blocker.close(() => r())) : undefined));
    const { app } = await host([server('od', port)]);
    const od = app.engine.status('od').onDemand;
    assert.equal(od?.listening, false);
    assert.match(od?.problem ?? '', new RegExp(`port ${port} is in use by pid ${process.pid}`));
    const alert = app.alerts.list().find((a) => a.kind === 'port-conflict' && a.name === 'od');
    assert.ok(alert, 'an alert says so');
    assert.match(alert.message, /change "port"/);
    await new Promise<void>((r) => blocker.close(() => r()));
    blocked = false;
    await waitFor(() => app.engine.status('od').onDemand?.listening === true, RELAY_RETRY_MS + 3000, 'the relay to take the freed port');
    assert.equal(app.engine.status('od').onDemand?.problem, undefined);
    assert.equal((await get(port)).status, 200);
  });
});
