// The stand-in host's event stream (GET /api/events), in the real host's format (`id`, `event`,
// `data` lines): a snapshot of every agent first, then each agent's output history as log events
// (the window's store holds only lines that came as events: the backlog request gives at most
// 1000), then the replay, at a rate the benchmark sets. Events that happen while a client still
// receives the history wait in its queue, so nothing it sees is out of order.
import { AgentStatusSchema, AlertSchema, LogLineSchema, ProbeResultSchema, ResourceSampleSchema, TransitionReasonSchema } from '../../dist/shared/status.js';

/** The text of one event (the same as electron/server/sse.ts writes). */
export function formatEvent(id, event) {
  return `id: ${id}\nevent: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`;
}

/** How many events of each type are checked against the shared schemas (the first ones). */
const CHECK_FIRST = 25;

/** Throws when an event does not have the shape shared/ gives it. */
function checkEvent(event) {
  switch (event.type) {
    case 'state':
      AgentStatusSchema.parse(event.status);
      TransitionReasonSchema.parse(event.reason);
      break;
    case 'stats':
      ResourceSampleSchema.parse(event.sample);
      break;
    case 'log':
      for (const l of event.lines) LogLineSchema.parse(l);
      break;
    case 'health-changed':
      if (event.probe) ProbeResultSchema.parse(event.probe);
      break;
    case 'alert':
      AlertSchema.parse(event.alert);
      break;
    case 'snapshot':
      for (const s of event.agents) AgentStatusSchema.parse(s);
      break;
  }
}

/**
 * @param {ReturnType<import('./world.mjs').createWorld>} world
 * @param {{ now: () => number, chunkLines?: number }} opts
 */
export function createEventStreams(world, opts) {
  const chunkLines = opts.chunkLines ?? 500;
  /** @type {Set<{ res: import('node:http').ServerResponse, preloading: boolean, queue: string[], historyLinesSent: number, closed: boolean }>} */
  const clients = new Set();
  let nextId = 0;
  /** Events replayed, by type (each counted once, however many clients got it). */
  const replayed = {};
  const checkedCount = {};
  let rate = 0;
  let rateSince = 0;
  let emittedSinceRate = 0;
  let timer = null;

  const format = (event) => {
    const seen = checkedCount[event.type] ?? 0;
    if (seen < CHECK_FIRST) {
      checkEvent(event);
      checkedCount[event.type] = seen + 1;
    }
    return formatEvent(++nextId, event);
  };

  /** Writes and waits for the socket when its buffer is full (the history is large). */
  const write = async (client, text) => {
    if (client.closed) return;
    if (client.res.write(text)) return;
    await new Promise((resolve) => {
      const done = () => {
        client.res.off('drain', done);
        client.res.off('close', done);
        resolve(undefined);
      };
      client.res.on('drain', done);
      client.res.on('close', done);
    });
  };

  /** Sends every agent's history, a chunk of each agent in turn, so that they fill up together. */
  const sendHistory = async (client) => {
    const statuses = world.statuses();
    for (let from = 0; from < world.historyLines && !client.closed; from += chunkLines) {
      for (let i = 0; i < statuses.length && !client.closed; i++) {
        const lines = world.historyChunk(i, from, from + chunkLines);
        if (lines.length === 0) continue;
        await write(client, format({ type: 'log', name: statuses[i].name, lines }));
        client.historyLinesSent += lines.length;
      }
    }
  };

  const broadcast = (events) => {
    for (const event of events) {
      replayed[event.type] = (replayed[event.type] ?? 0) + 1;
      const text = format(event);
      for (const c of clients) {
        if (c.preloading) c.queue.push(text);
        else c.res.write(text);
      }
    }
  };

  /** Emits what is due at the current rate (called every 10 ms). */
  const tick = () => {
    if (rate <= 0) return;
    const now = opts.now();
    const due = Math.floor(((now - rateSince) * rate) / 1000) - emittedSinceRate;
    for (let k = 0; k < Math.min(due, 2_000); k++) broadcast(world.step(now));
    emittedSinceRate += Math.max(0, due);
  };

  return {
    /** Opens a client's stream on its raw response. */
    open(req, res) {
      res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive' });
      res.flushHeaders();
      req.socket.setNoDelay(true);
      const client = { res, preloading: true, queue: [], historyLinesSent: 0, closed: false };
      clients.add(client);
      res.on('close', () => {
        client.closed = true;
        clients.delete(client);
      });
      res.write(format({ type: 'snapshot', at: opts.now(), agents: world.statuses() }));
      void sendHistory(client).then(async () => {
        while (client.queue.length && !client.closed) await write(client, client.queue.shift());
        client.preloading = false;
      });
    },
    /** Replays `eventsPerS` events a second from now on (0 stops the replay). */
    setRate(eventsPerS) {
      rate = eventsPerS;
      rateSince = opts.now();
      emittedSinceRate = 0;
      if (rate > 0 && !timer) timer = setInterval(tick, 10);
      if (rate <= 0 && timer) {
        clearInterval(timer);
        timer = null;
      }
    },
    /** What the benchmark reads: the rate, the events replayed by type, each client's progress through the history. */
    state() {
      return {
        eventsPerS: rate,
        replayed: { ...replayed },
        historyLinesPerAgent: world.historyLines,
        clients: [...clients].map((c) => ({ historyDone: !c.preloading, historyLinesSent: c.historyLinesSent, queued: c.queue.length })),
      };
    },
    close() {
      if (timer) clearInterval(timer);
      timer = null;
      for (const c of clients) c.res.destroy();
      clients.clear();
    },
  };
}
