// The on-demand relay's benchmark (issue 18): the same HTTP requests sent to the agent directly
// (its internal port) and through Agent Tray's relay (its public port), interleaved in rounds so
// that machine noise hits both alike; and the cold start through the relay against the agent's own
// start-to-ready time. Writes relay.json and relay.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startChild } from '../lib/child.mjs';
import { cpuSeconds, MARKER } from '../lib/procfs.mjs';
import { killPid, waitGone } from '../lib/processes.mjs';
import { summarize } from '../lib/stats.mjs';
import { within, waitUntil } from '../lib/wait.mjs';
import { agentTray } from '../lib/tools/agent-tray.mjs';
import { firstByte, freePort, latencyRound, percentile, TARGETS, throughputRound, verdict } from './measure.mjs';

const AGENT = fileURLToPath(new URL('../relay-agent.mjs', import.meta.url));
const NAME = 'relay';

/** The sizes of a full run and of a smoke run. */
export function relayOptions(smoke) {
  return smoke
    ? { latencyRounds: 2, latencyPerRound: 50, throughputRounds: 2, throughputMs: 300, conns: 8, coldReps: 2 }
    : { latencyRounds: 10, latencyPerRound: 200, throughputRounds: 6, throughputMs: 1000, conns: 8, coldReps: 10 };
}

/** Runs `a` and `b` in turn, the order flipping with each round; their results as [a, b]. */
async function inTurn(round, a, b) {
  if (round % 2 === 0) {
    const ra = await a();
    return [ra, await b()];
  }
  const rb = await b();
  return [await a(), rb];
}

/** The agent's own start-to-ready time: from spawning it until the first byte of an answer on its port, in ms. */
async function directStart(ctx) {
  const port = await freePort();
  const t0 = performance.now();
  const child = startChild(process.execPath, [AGENT], { what: 'relay agent (direct)', env: { ...process.env, PORT: String(port), [MARKER]: `${ctx.nextRunId()}:${NAME}-direct` } });
  try {
    return (await firstByte(port, 30_000)) - t0;
  } finally {
    killPid(child.pid, 'SIGTERM');
    await within(child.exited, 5000);
    if (!child.done) killPid(child.pid);
    await waitGone([child.pid], 5000);
  }
}

/** Stops the agent through the API and waits until the host reports it stopped with no open connection. */
async function stopAndSettle(session) {
  await session.api('POST', `/api/agents/${NAME}/stop`);
  await waitUntil(
    async () => {
      const s = await session.api('GET', `/api/agents/${NAME}`);
      return s.state === 'stopped' && s.onDemand?.connections === 0;
    },
    30_000,
    `agent "${NAME}" stopped with no relayed connection`,
    5,
  );
}

/** A cold start through the relay: from a fresh connect to the public port until the answer's first byte, in ms (the agent is stopped before). */
async function relayColdStart(session, publicPort) {
  await stopAndSettle(session);
  const t0 = performance.now();
  return (await firstByte(publicPort, 30_000)) - t0;
}

/** CPU seconds of this process (the client) and of the given pids, read now. @param {Record<string, number>} pids */
function cpuNow(pids) {
  const own = process.cpuUsage();
  return { client: (own.user + own.system) / 1e6, ...Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid) ?? Number.NaN])) };
}

/**
 * Throughput rounds, direct and relayed in turn: the median requests/s of each, the median of the
 * rounds' paired ratios (neighbouring rounds share the machine's state), and the CPU each process
 * spent per request on each side (client, agent, host), which shows where a relayed request's cost goes.
 */
async function throughput(o, ports, pids) {
  const rounds = { direct: [], relay: [] };
  const cpu = { direct: { requests: 0 }, relay: { requests: 0 } };
  const side = (which) => async () => {
    const before = cpuNow(pids);
    const t = await throughputRound(ports[which], o.conns, o.throughputMs);
    const after = cpuNow(pids);
    for (const k of Object.keys(before)) cpu[which][k] = (cpu[which][k] ?? 0) + after[k] - before[k];
    cpu[which].requests += t.requests;
    return t.rps;
  };
  for (let r = 0; r < o.throughputRounds; r++) {
    const [d, rl] = await inTurn(r, side('direct'), side('relay'));
    rounds.direct.push(d);
    rounds.relay.push(rl);
  }
  const perRequest = (c) => Object.fromEntries(Object.entries(c).filter(([k]) => k !== 'requests').map(([k, s]) => [k, (s * 1e6) / c.requests]));
  return {
    direct: summarize(rounds.direct).median,
    relay: summarize(rounds.relay).median,
    ratio: summarize(rounds.relay.map((rl, i) => rl / rounds.direct[i])).median,
    rounds,
    cpuUs: { direct: perRequest(cpu.direct), relay: perRequest(cpu.relay) },
  };
}

/**
 * Runs the relay benchmark on a real `agent-tray serve`; resolves with every figure.
 * @param {{ tmp: (what: string) => string, nextRunId: () => string }} ctx
 * @param {ReturnType<typeof relayOptions>} o
 * @param {(line: string) => void} log
 */
export async function runRelayBench(ctx, o, log = () => {}) {
  const loadBefore = os.loadavg()[0];
  const publicPort = await freePort();
  const session = await agentTray.open(ctx, [
    {
      name: NAME,
      script: AGENT,
      args: [],
      env: { [MARKER]: `${ctx.nextRunId()}:${NAME}` },
      definition: { port: publicPort, onDemand: { idleStopMs: 600_000 }, startTimeoutMs: 30_000 },
    },
  ]);
  try {
    const before = await session.api('GET', `/api/agents/${NAME}`);
    if (!before.onDemand?.listening) throw new Error(`the host does not listen on port ${publicPort} for "${NAME}": ${JSON.stringify(before.onDemand)}`);
    // the first request starts the agent; its internal port is in the status from then on
    await firstByte(publicPort, 30_000);
    const status = await session.api('GET', `/api/agents/${NAME}`);
    const internalPort = status.onDemand?.internalPort;
    if (status.state !== 'running' || !internalPort) throw new Error(`after a request "${NAME}" is ${status.state} with internal port ${internalPort}`);
    log(`relay: public port ${publicPort}, internal port ${internalPort}`);

    const latency = { direct: [], relay: [] };
    for (let r = 0; r < o.latencyRounds; r++) {
      const [d, rl] = await inTurn(r, () => latencyRound(internalPort, o.latencyPerRound), () => latencyRound(publicPort, o.latencyPerRound));
      latency.direct.push(...d);
      latency.relay.push(...rl);
    }
    const lat = (xs) => ({ p50: percentile(xs, 0.5), p99: percentile(xs, 0.99), count: xs.length });
    const latencyFig = { direct: lat(latency.direct), relay: lat(latency.relay) };
    log(`relay: latency p50 ${latencyFig.direct.p50.toFixed(3)} ms direct, ${latencyFig.relay.p50.toFixed(3)} ms relayed; p99 ${latencyFig.direct.p99.toFixed(3)} / ${latencyFig.relay.p99.toFixed(3)} ms`);

    const tp = await throughput(o, { direct: internalPort, relay: publicPort }, { host: session.hostPid, agent: status.pid });
    log(`relay: throughput ${Math.round(tp.direct)} req/s direct, ${Math.round(tp.relay)} req/s relayed (${o.conns} connections, ×${tp.ratio.toFixed(2)}); CPU µs per request direct/relayed: client ${tp.cpuUs.direct.client.toFixed(1)}/${tp.cpuUs.relay.client.toFixed(1)}, agent ${tp.cpuUs.direct.agent.toFixed(1)}/${tp.cpuUs.relay.agent.toFixed(1)}, host ${tp.cpuUs.relay.host.toFixed(1)}`);

    const cold = { direct: [], relay: [] };
    for (let r = 0; r < o.coldReps; r++) {
      const [d, rl] = await inTurn(r, () => directStart(ctx), () => relayColdStart(session, publicPort));
      cold.direct.push(d);
      cold.relay.push(rl);
    }
    const coldDirect = summarize(cold.direct).median;
    const coldRelay = summarize(cold.relay).median;
    log(`relay: cold start ${coldRelay.toFixed(1)} ms relayed against ${coldDirect.toFixed(1)} ms for the agent alone`);

    const figures = {
      p50ExtraMs: latencyFig.relay.p50 - latencyFig.direct.p50,
      p99ExtraMs: latencyFig.relay.p99 - latencyFig.direct.p99,
      throughputRatio: tp.ratio,
      coldOverheadMs: coldRelay - coldDirect,
    };
    return {
      loadAverage: { before: loadBefore, after: os.loadavg()[0] },
      options: o,
      targets: TARGETS,
      latency: latencyFig,
      throughput: { ...tp, conns: o.conns },
      cold: { directMedianMs: coldDirect, relayMedianMs: coldRelay, samples: cold },
      figures,
      verdict: verdict(figures),
    };
  } finally {
    await session.close();
  }
}

const f = (v, digits) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : '–');
const signed = (v, digits) => (typeof v === 'number' && Number.isFinite(v) ? `${v < 0 ? '−' : '+'}${Math.abs(v).toFixed(digits)}` : '–');
const met = (v) => (v === null ? '–' : v ? 'met' : 'missed');

/** The Markdown table of one run's figures; `meta`: the machine in words, the date and the commit. */
export function renderRelayMarkdown(r, meta) {
  const { latency: l, throughput: t, cold: c, figures: x, verdict: v } = r;
  return [
    '# On-demand relay: through the relay against direct',
    '',
    `${meta.date} at commit ${meta.commit}; ${meta.machine}; ${l.direct.count} sequential requests per side on one keep-alive connection; throughput with ${t.conns} keep-alive connections, medians of ${t.rounds.direct.length} rounds per side and of the paired ratios; cold start median of ${c.samples.direct.length}; load average ${f(r.loadAverage.before, 2)} before, ${f(r.loadAverage.after, 2)} after.`,
    '',
    '| Measure | Direct | Relay | Difference | Target | |',
    '|---|---:|---:|---:|---:|---|',
    `| latency p50 (ms) | ${f(l.direct.p50, 3)} | ${f(l.relay.p50, 3)} | ${signed(x.p50ExtraMs, 3)} | ≤ +${TARGETS.p50ExtraMs} | ${met(v.p50)} |`,
    `| latency p99 (ms) | ${f(l.direct.p99, 3)} | ${f(l.relay.p99, 3)} | ${signed(x.p99ExtraMs, 3)} | | |`,
    `| throughput (req/s) | ${f(t.direct, 0)} | ${f(t.relay, 0)} | ×${f(x.throughputRatio, 2)} | ≥ ×${TARGETS.throughputRatio} | ${met(v.throughput)} |`,
    `| cold start to first byte (ms) | ${f(c.directMedianMs, 1)} | ${f(c.relayMedianMs, 1)} | ${signed(x.coldOverheadMs, 1)} | ≤ +${TARGETS.coldOverheadMs} | ${met(v.cold)} |`,
    '',
    'CPU per request in the throughput rounds (µs, utime + stime; the client is the benchmark itself, the host `agent-tray serve`):',
    '',
    '| | Client | Agent | Host | Total |',
    '|---|---:|---:|---:|---:|',
    ...['direct', 'relay'].map((k) => {
      const c = t.cpuUs[k];
      return `| ${k} | ${f(c.client, 1)} | ${f(c.agent, 1)} | ${f(c.host, 1)} | ${f(c.client + c.agent + c.host, 1)} |`;
    }),
    '',
  ].join('\n');
}

/** Writes relay.json and relay.md into `out`; their paths. @param {{ machine: string, date: string, commit: string }} meta */
export function writeRelayResults(results, meta, out) {
  mkdirSync(out, { recursive: true });
  const json = join(out, 'relay.json');
  const md = join(out, 'relay.md');
  writeFileSync(json, JSON.stringify({ ...meta, ...results }, null, 1) + '\n');
  writeFileSync(md, renderRelayMarkdown(results, meta));
  return [json, md];
}
