// The stand-in host's world: N agents with statuses in the shape of shared/status.ts, the events a
// real host would send about them (state changes, resource samples, output, health), and each
// agent's output history. Deterministic for a seed; no I/O, no timers (the caller passes the clock).
import { createRng } from '../soak/rng.mjs';
import { logText } from './log-text.mjs';

/** How far apart (ms) the lines of an agent's history are. */
const HISTORY_STEP_MS = 150;
/** How many live lines each agent keeps for the backlog request (the API serves at most 1000). */
const LIVE_KEEP = 1000;

/** The name of agent `i` (0-based): agent-001 … */
export function agentName(i) {
  return `agent-${String(i + 1).padStart(3, '0')}`;
}

/**
 * The agents and their events.
 * @param {{ agents: number, historyLines: number, seed?: number, now: number }} opts
 */
export function createWorld(opts) {
  const rng = createRng(opts.seed ?? 1);
  const t0 = opts.now;
  const historyLines = opts.historyLines;
  /** @type {any[]} */
  const statuses = [];
  /** Per agent: how many lines it has printed (history included), and its newest live lines. */
  const logs = [];
  let alertId = 0;
  /** @type {any[]} */
  const alerts = [];

  /** A resource reading of agent i (its level fixed by i, a little noise). */
  const sample = (at, i) => ({
    at,
    cpuPercent: Math.round((2 + ((i * 37) % 40) + rng.next() * 8) * 10) / 10,
    memoryMB: Math.round((80 + ((i * 53) % 900) + rng.next() * 20) * 10) / 10,
    threads: 4 + (i % 12),
    fileHandles: 20 + (i % 50),
    processes: 1 + (i % 3),
  });

  /** The fields of a status that runs since `at`. */
  const running = (i, at) => ({
    state: 'running',
    since: at,
    pid: 10_000 + i * 7 + rng.int(0, 6),
    startedAt: at,
    uptimeMs: Math.max(0, t0 - at),
    exitCode: null,
    signal: null,
    lastError: null,
    nextAttemptAt: null,
    health: i % 3 === 0 ? 'healthy' : 'unknown',
    healthScore: 100,
    stats: sample(at, i),
    ready: true,
    readyAt: at,
  });
  /** The fields of a status without a process, in `state` since `at`. */
  const notRunning = (state, at, extra = {}) => ({
    state,
    since: at,
    pid: null,
    startedAt: null,
    uptimeMs: null,
    exitCode: null,
    signal: null,
    lastError: null,
    nextAttemptAt: null,
    health: 'unknown',
    healthScore: 100,
    stats: null,
    ready: false,
    readyAt: null,
    ...extra,
  });
  /** Why a failed agent failed (lastError). */
  const failure = (at, i) => ({
    message: `exited with code 1 after 3.2 s: ModuleNotFoundError: No module named 'torch' (agent ${agentName(i)})`,
    at,
    exitCode: 1,
    signal: null,
    stderr: ['Traceback (most recent call last):', '  File "serve.py", line 3, in <module>', "ModuleNotFoundError: No module named 'torch'"],
  });

  for (let i = 0; i < opts.agents; i++) {
    const name = agentName(i);
    const roll = (i * 7919) % 100;
    const since = t0 - rng.int(60_000, 3 * 86_400_000);
    let s;
    if (roll < 80) s = running(i, since);
    else if (roll < 88) s = notRunning('stopped', since, { exitCode: 0 });
    else if (roll < 92) s = notRunning('crashed', since, { exitCode: 1, lastError: failure(since, i) });
    else if (roll < 96) s = notRunning('backoff', since, { exitCode: 1, lastError: failure(since, i), nextAttemptAt: t0 + 5_000 });
    else if (roll < 98) s = notRunning('errored', since, { lastError: { ...failure(since, i), message: `spawn python3 ENOENT: the command "python3" is not on PATH (agent ${name})`, exitCode: null, stderr: [] } });
    else s = notRunning('waiting', since, { waitingFor: [{ agent: agentName(0), condition: 'healthy' }] });
    statuses.push({
      name,
      restarts: i % 17 === 0 ? rng.int(1, 9) : 0,
      port: i % 3 === 0 ? 8000 + i : null,
      violations: 0,
      adopted: i % 25 === 0,
      outputCaptured: true,
      conflict: null,
      groups: i % 4 === 0 ? ['models'] : i % 4 === 1 ? ['tools'] : [],
      ...(i > 0 && i % 20 === 0 ? { dependsOn: { [agentName(0)]: 'healthy' } } : {}),
      ...s,
    });
    logs.push({ printed: historyLines, live: [] });
  }

  /** Line `n` of agent `i`'s output history (n < historyLines): its time is fixed by its place. */
  const historyLine = (i, n) => ({
    stream: logText(i, n).stream,
    at: t0 - 60_000 - (historyLines - n) * HISTORY_STEP_MS - (i % 10),
    text: logText(i, n).text,
  });

  /** Lines [from, to) of agent i's output (history or live). */
  const linesOf = (i, from, to) => {
    const out = [];
    const log = logs[i];
    const liveStart = log.printed - log.live.length;
    for (let n = Math.max(0, from); n < Math.min(to, log.printed); n++) {
      if (n < historyLines) out.push(historyLine(i, n));
      else if (n >= liveStart) out.push(log.live[n - liveStart]);
    }
    return out;
  };

  /** New live lines of agent i. */
  const printLines = (i, count, at) => {
    const log = logs[i];
    const lines = [];
    for (let k = 0; k < count; k++) {
      const { stream, text } = logText(i, log.printed);
      lines.push({ stream, at, text });
      log.live.push(lines[k]);
      log.printed++;
    }
    if (log.live.length > LIVE_KEEP) log.live.splice(0, log.live.length - LIVE_KEEP);
    return lines;
  };

  /** A running agent picked at random (null when few run). */
  const pickRunning = () => {
    for (let tries = 0; tries < 20; tries++) {
      const i = rng.int(0, statuses.length - 1);
      if (statuses[i].state === 'running') return i;
    }
    return null;
  };

  /** The next state of a step along start → run → stop → start, or running → backoff → crashed. */
  const nextState = (s) => {
    switch (s.state) {
      case 'running':
        return rng.chance(0.25) ? 'backoff' : 'stopping';
      case 'stopping':
        return 'stopped';
      case 'backoff':
        return rng.chance(0.3) ? 'crashed' : 'starting';
      case 'starting':
        return 'running';
      default:
        return 'starting';
    }
  };

  /** Agents the replay moved out of running and is bringing back (so that most agents keep running). */
  const moving = new Set();
  /** One step of an agent's lifecycle (and the alert of a crash). */
  const stateEvent = (at) => {
    let i;
    if (moving.size > 0 && rng.chance(0.8)) i = rng.pick([...moving]);
    else i = pickRunning() ?? rng.int(0, statuses.length - 1);
    const prev = statuses[i];
    const to = nextState(prev);
    let next;
    let reason;
    if (to === 'running') {
      next = { ...prev, ...running(i, at), health: prev.health === 'unknown' ? 'unknown' : 'starting' };
      reason = { kind: 'spawned', message: `started as pid ${next.pid}` };
    } else if (to === 'starting') {
      next = { ...prev, ...notRunning('starting', at), restarts: prev.state === 'backoff' ? prev.restarts + 1 : prev.restarts };
      reason = { kind: prev.state === 'backoff' ? 'policy' : 'user', message: prev.state === 'backoff' ? 'restart after backoff' : 'started by the user' };
    } else if (to === 'stopping') {
      next = { ...prev, state: 'stopping', since: at };
      reason = { kind: 'user', message: 'stop asked by the user' };
    } else if (to === 'stopped') {
      next = { ...prev, ...notRunning('stopped', at, { exitCode: 0 }) };
      reason = { kind: 'stopped', message: 'stopped: exited after SIGTERM in 40 ms', exitCode: 0, signal: null };
    } else if (to === 'backoff') {
      next = { ...prev, ...notRunning('backoff', at, { exitCode: 1, lastError: failure(at, i), nextAttemptAt: at + 2_000 }) };
      reason = { kind: 'exited', message: 'exited with code 1', exitCode: 1, signal: null };
    } else {
      next = { ...prev, ...notRunning('crashed', at, { exitCode: 1, lastError: failure(at, i) }) };
      reason = { kind: 'policy', message: 'gave up after 5 restarts in 60 s' };
    }
    statuses[i] = next;
    if (to === 'running' || to === 'crashed') moving.delete(i);
    else moving.add(i);
    const events = [{ type: 'state', name: next.name, from: prev.state, to, reason, at, status: next }];
    if (to === 'crashed') {
      const alert = { id: ++alertId, at, severity: 'critical', kind: 'crashed', name: next.name, message: `${next.name} crashed: ${next.lastError.message}`, read: false };
      alerts.push(alert);
      if (alerts.length > 500) alerts.shift();
      events.push({ type: 'alert', alert });
    }
    return events;
  };

  /** A resource sample of a running agent. */
  const statsEvent = (at) => {
    const i = pickRunning();
    if (i === null) return [];
    const s = sample(at, i);
    statuses[i] = { ...statuses[i], stats: s, uptimeMs: at - statuses[i].startedAt };
    return [{ type: 'stats', name: statuses[i].name, sample: s }];
  };

  /** One to four lines of output of any agent. */
  const logEvent = (at) => {
    const i = rng.int(0, statuses.length - 1);
    return [{ type: 'log', name: statuses[i].name, lines: printLines(i, rng.int(1, 4), at) }];
  };

  /** A running agent's probe turns healthy or unhealthy. */
  const healthEvent = (at) => {
    const i = pickRunning();
    if (i === null) return [];
    const prev = statuses[i];
    const from = prev.health;
    const to = from === 'healthy' ? 'unhealthy' : 'healthy';
    const score = to === 'healthy' ? 100 : 60;
    const ok = to === 'healthy';
    const probe = { at, ok, durationMs: ok ? rng.int(2, 40) : 2000, detail: ok ? 'HTTP 200' : 'timed out after 2000 ms' };
    statuses[i] = { ...prev, health: to, healthScore: score };
    return [{ type: 'health-changed', name: prev.name, from, to, score, probe, at }];
  };

  /** The mix of a real host's stream: mostly samples and output, some health and state changes. */
  const WEIGHTS = { stats: 40, log: 40, health: 10, state: 10 };
  const MAKERS = { stats: statsEvent, log: logEvent, health: healthEvent, state: stateEvent };

  return {
    statuses: () => statuses,
    alerts: () => alerts,
    historyLines,
    /** Agent i's index by name, or -1. @param {string} name */
    indexOf: (name) => statuses.findIndex((s) => s.name === name),
    /** The newest `count` lines of agent i (oldest first). */
    recentLines: (i, count) => linesOf(i, logs[i].printed - count, logs[i].printed),
    /** Lines [from, to) of agent i's history (for the event stream's preload). */
    historyChunk: (i, from, to) => linesOf(i, from, Math.min(to, historyLines)),
    /** Resource samples of agent i over the last `count` sampling intervals (oldest first). */
    statsHistory: (i, now, count = 300, stepMs = 2_000) => (statuses[i].state === 'running' ? Array.from({ length: count }, (_, k) => sample(now - (count - k) * stepMs, i)) : []),
    /** The events of one step of the replay (one event, two when a crash raises an alert). @param {number} at */
    step: (at) => {
      for (let tries = 0; tries < 4; tries++) {
        const events = MAKERS[rng.weighted(WEIGHTS)](at);
        if (events.length) return events;
      }
      return logEvent(at);
    },
  };
}
