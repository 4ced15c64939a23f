// The relay benchmark's measurements over plain HTTP on 127.0.0.1: per-request latency on one
// keep-alive connection, throughput over several, and the time to a first response byte from a
// fresh connection (retried while the port refuses). Percentiles and the verdict are pure.
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { freePorts } from '../soak/host.mjs';
import { percentile as nearestRank } from '../window/metrics.mjs';

/** A port nobody listens on at this moment on 127.0.0.1 (the OS picks it). */
export const freePort = async () => (await freePorts(1))[0];

/** A keep-alive client of at most `sockets` connections. */
export function keepAliveAgent(sockets) {
  return new Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
}

/** One GET / through `agent`; resolves with its duration in ms once the whole body arrived. */
export function timedGet(port, agent) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
      res.on('data', () => {});
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error(`HTTP ${res.statusCode} from port ${port}`))));
    });
    req.on('error', reject);
    req.end();
  });
}

/** `count` sequential GETs on one keep-alive connection (after `warmup` untimed ones); their durations in ms. */
export async function latencyRound(port, count, warmup = 20) {
  const agent = keepAliveAgent(1);
  try {
    for (let i = 0; i < warmup; i++) await timedGet(port, agent);
    const ms = [];
    for (let i = 0; i < count; i++) ms.push(await timedGet(port, agent));
    return ms;
  } finally {
    agent.destroy();
  }
}

/** `conns` keep-alive connections each sending GETs back to back for `durationMs`; requests per second and how many were answered. */
export async function throughputRound(port, conns, durationMs) {
  const agent = keepAliveAgent(conns);
  try {
    // open every connection before the clock starts
    await Promise.all(Array.from({ length: conns }, () => timedGet(port, agent)));
    let done = 0;
    const t0 = performance.now();
    const end = t0 + durationMs;
    const loop = async () => {
      while (performance.now() < end) {
        await timedGet(port, agent);
        done++;
      }
    };
    await Promise.all(Array.from({ length: conns }, loop));
    return { rps: done / ((performance.now() - t0) / 1000), requests: done };
  } finally {
    agent.destroy();
  }
}

/** One raw `GET /` with `Connection: close` on a fresh connection: resolves with the first response byte's time, rejects on a refusal or error. */
function firstByteOnce(port) {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.setNoDelay(true);
    let at = null;
    socket.once('connect', () => socket.write('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'));
    socket.once('data', () => (at = performance.now()));
    socket.on('data', () => {});
    socket.once('error', (err) => reject(err));
    // settle at close, so that the connection is gone (the relay counts it no more) when this resolves
    socket.once('close', () => (at === null ? reject(new Error(`port ${port} closed the connection without answering`)) : resolve(at)));
  });
}

/**
 * Tries `GET /` on `port` until an answer's first byte arrives (a refused connect is retried after
 * `retryMs`); resolves with that byte's time (performance.now()) once the connection closed.
 */
export async function firstByte(port, timeoutMs, retryMs = 1) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      return await firstByteOnce(port);
    } catch (err) {
      if (err.code !== 'ECONNREFUSED' || performance.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, retryMs));
    }
  }
}

/** The q-quantile (0..1) of the values, nearest rank; null when there are none (the window benchmark's percentile). @param {number[]} values @param {number} q */
export const percentile = (values, q) => nearestRank(values, q * 100);

export const TARGETS = { p50ExtraMs: 0.2, throughputRatio: 0.9, coldOverheadMs: 50 };

/** Whether the figures meet issue 18's targets; each entry null when its figure is missing. */
export function verdict(f) {
  const has = (v) => typeof v === 'number' && Number.isFinite(v);
  return {
    p50: has(f.p50ExtraMs) ? f.p50ExtraMs <= TARGETS.p50ExtraMs : null,
    throughput: has(f.throughputRatio) ? f.throughputRatio >= TARGETS.throughputRatio : null,
    cold: has(f.coldOverheadMs) ? f.coldOverheadMs <= TARGETS.coldOverheadMs : null,
  };
}
