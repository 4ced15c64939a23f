// One on-demand agent's relay: Agent Tray listens on the agent's public port (127.0.0.1, and ::1
// where the machine has it); the first connection starts the agent on an internal port, held
// connections are relayed once it is ready, and after idleStopMs without an open connection the
// agent is stopped (the listener stays). A start that fails closes the held connections, and the
// restart policy's backoff paces the next tries, so a client that keeps reconnecting is no storm.
import { connect, type Socket } from 'node:net';
import { DEFAULT_START_TIMEOUT_MS, type AgentDefinition } from '../../../shared/agent.js';
import type { AgentState, EngineEvent, OnDemandStatus } from '../../../shared/status.js';
import type { Engine } from '../engine.js';
import { backoffDelay } from '../supervision/restart-policy.js';
import type { OnDemandHooks } from './hooks.js';
import { RelayListener } from './listener.js';
import { waitUntilReady } from './ready.js';
import { pickFreePort } from './tcp.js';

export type RelayEngine = Pick<Engine, 'status' | 'start' | 'stop' | 'subscribe' | 'publish' | 'setOnDemand' | 'clearOnDemand' | 'internalPort' | 'restartPolicy' | 'runContext' | 'effectiveDefinition'>;

/** What the relay tells its owner (the application raises an alert). */
export interface RelayEvents {
  /** The public port could not be taken (another program holds it); the relay tries again. */
  problem?(name: string, message: string): void;
}

/** Where a ready agent takes connections. */
interface Upstream {
  host: string;
  port: number;
}

/** States in which the engine itself is bringing the agent up: the relay waits for it rather than starting it again. */
function onTheWay(state: AgentState): boolean {
  return state === 'starting' || state === 'waiting' || state === 'backoff';
}

export class OnDemandRelay {
  private readonly listener: RelayListener;
  private connections = 0;
  private idleSince: number | null = Date.now();
  private idleTimer: NodeJS.Timeout | null = null;
  /** Where the agent takes connections once it is ready in this run; null: not (yet) known. */
  private ready: Promise<Upstream> | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly offEngine: () => void;
  /** Starts by this relay that failed in a row, and until when a new connection is refused instead of starting it again. */
  private failures = 0;
  private coolUntil = 0;
  private refusedNoted = 0;
  private closed = false;
  /** What the engine asks of this relay (registered as this object, so that a closing relay removes only its own). */
  private readonly ownHooks: OnDemandHooks;

  constructor(
    private readonly engine: RelayEngine,
    public def: AgentDefinition & { port: number; onDemand: { idleStopMs: number } },
    events: RelayEvents = {},
  ) {
    this.listener = new RelayListener(def.port, (socket) => this.accept(socket), {
      problem: (message) => {
        if (this.closed) return;
        this.note(`on-demand: ${message}`);
        this.changed();
        events.problem?.(def.name, message);
      },
      listening: () => {
        this.armIdle();
        this.changed();
      },
      acceptFailed: (message) => this.note(`on-demand: ${message}`),
    });
    this.offEngine = engine.subscribe((e) => this.observe(e));
    this.ownHooks = { internalPort: () => pickFreePort(), status: () => this.status() };
    engine.setOnDemand(def.name, this.ownHooks);
  }

  /** Takes a changed definition with the same port (idleStopMs, startTimeoutMs, readiness): held and open connections stay. */
  update(def: OnDemandRelay['def']): void {
    this.def = def;
    if (this.connections === 0 && this.idleTimer) this.armIdle(); // the idle time counts by the new idleStopMs
  }

  /** Starts listening on the public port; resolves false when the port is taken (a log line and an alert say so, and it tries again). */
  listen(): Promise<boolean> {
    return this.listener.open();
  }

  /** The relay's part of the agent's status (the engine adds the internal port). */
  status(): Omit<OnDemandStatus, 'internalPort'> {
    return {
      listening: this.listener.listening,
      publicPort: this.def.port,
      idleSince: this.connections === 0 ? this.idleSince : null,
      connections: this.connections,
      ...(this.listener.problem ? { problem: this.listener.problem } : {}),
    };
  }

  /** Stops listening and cuts relayed connections; the agent itself is left as it is. */
  async close(): Promise<void> {
    this.closed = true;
    this.offEngine();
    this.engine.clearOnDemand(this.def.name, this.ownHooks);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    for (const s of this.sockets) s.destroy();
    await this.listener.close();
  }

  /** A client connected: hold it until the agent is ready, then relay both ways; refused while a failed start cools down. */
  private accept(client: Socket): void {
    client.setNoDelay(true); // paused since it connected (pauseOnConnect) until the agent takes it
    // the status only while a failed start cools down (coolUntil is 0 after a success): this runs for every connection
    if (Date.now() < this.coolUntil) {
      const state = this.engine.status(this.def.name).state;
      if (state !== 'running' && !onTheWay(state)) {
        this.refuse(client);
        return;
      }
    }
    this.track(client);
    this.ensureReady().then(
      (upstream) => this.pipe(client, upstream),
      () => client.destroy(), // the start failed: the engine reports why (state errored or crashed, alert), the log says when it tries again
    );
  }

  /** Closes a connection that came while a failed start cools down (one log line per cooldown). */
  private refuse(client: Socket): void {
    client.destroy();
    if (this.refusedNoted === this.coolUntil) return;
    this.refusedNoted = this.coolUntil;
    this.note(`on-demand: connections are closed until ${new Date(this.coolUntil).toLocaleTimeString()}: its last start failed (the restart policy's backoff); a start from Agent Tray tries at once`);
  }

  /** Counts a relayed connection; the last one closing starts the idle time. */
  private track(socket: Socket): void {
    this.connections++;
    this.idleSince = null;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    this.sockets.add(socket);
    socket.once('close', () => {
      this.sockets.delete(socket);
      if (--this.connections === 0) {
        this.idleSince = Date.now();
        this.armIdle();
      }
    });
  }

  /** Relays bytes between the client and the agent, each side closing the other. */
  private pipe(client: Socket, to: Upstream): void {
    if (client.destroyed) return;
    const upstream = connect({ host: to.host, port: to.port, noDelay: true });
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('close', () => upstream.destroy());
    upstream.once('connect', () => {
      client.pipe(upstream);
      upstream.pipe(client);
      client.resume();
    });
  }

  /** Resolves with where the agent takes connections once it runs and is ready; one start serves every held connection. */
  private ensureReady(): Promise<Upstream> {
    this.ready ??= this.startAndWait().then(
      (upstream) => {
        this.failures = 0;
        this.coolUntil = 0;
        return upstream;
      },
      (err: unknown) => {
        this.ready = null;
        this.cooldown(err as Error);
        throw err;
      },
    );
    return this.ready;
  }

  /** A start by this relay failed: the next may come after the restart policy's backoff for this many failures. */
  private cooldown(err: Error): void {
    const waitMs = backoffDelay(this.engine.restartPolicy(this.def.name).backoff, this.failures++);
    this.coolUntil = Date.now() + waitMs;
    this.note(`on-demand: the start for a connection failed (${err.message}); held connections were closed, the next start may come in ${Math.round(waitMs / 100) / 10} s`);
  }

  /** Starts the agent unless it runs or the engine brings it up already (a retry, a start under way), then waits until it is ready. */
  private async startAndWait(): Promise<Upstream> {
    const name = this.def.name;
    const timeoutMs = this.def.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    const status = this.engine.status(name);
    if (status.state === 'backoff') await this.untilRunning(timeoutMs + Math.max(0, (status.nextAttemptAt ?? Date.now()) - Date.now()));
    else if (status.state !== 'running') {
      const after = await this.engine.start(name, { kind: 'on-demand', message: `a client connected to port ${this.def.port}` });
      if (after.state !== 'running') throw new Error(`Agent "${name}" is ${after.state} (its start was cancelled)`);
    }
    const port = this.engine.internalPort(name);
    if (port === null) throw new Error(`Agent "${name}" runs without an internal port known to Agent Tray (started by an older version, or found by its command line): restart it from Agent Tray`);
    // readiness by the definition in force now (a readyLine or probe edited since the relay opened counts)
    const def = { ...this.engine.effectiveDefinition(name), port: this.def.port };
    const host = await waitUntilReady({ def, internalPort: port, status: () => this.engine.status(name), context: () => this.engine.runContext(name), timeoutMs });
    return { host, port };
  }

  /** Waits for the engine's own retry to bring the agent to running (rejects when it gives up, or after `timeoutMs`). */
  private untilRunning(timeoutMs: number): Promise<void> {
    const name = this.def.name;
    return new Promise((resolve, reject) => {
      const done = (err?: Error) => {
        clearTimeout(timer);
        off();
        if (err) reject(err);
        else resolve();
      };
      const timer = setTimeout(() => done(new Error(`Agent "${name}" was not running again within ${timeoutMs} ms of its restart`)), timeoutMs);
      const off = this.engine.subscribe((e) => {
        if (e.type !== 'state' || e.name !== name) return;
        if (e.to === 'running') done();
        else if (!onTheWay(e.to)) done(new Error(`Agent "${name}" is ${e.to}${e.status.lastError ? `: ${e.status.lastError.message}` : ''}`));
      });
    });
  }

  /** Follows the agent's state: a run that ends forgets its readiness; a run with no connection starts the idle time. */
  private observe(e: EngineEvent): void {
    if (e.type !== 'state' || e.name !== this.def.name) return;
    // a run that ended forgets where it took connections; a start under way keeps the one shared wait (its failure clears it)
    if (e.from === 'running' && e.to !== 'running') this.ready = null;
    else if (e.to === 'running' && this.connections === 0) this.armIdle();
  }

  /** Stops the agent after idleStopMs unless a connection comes first. */
  private armIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    if (this.closed) return; // sockets a closing relay cut end after it
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.connections > 0 || this.engine.status(this.def.name).state !== 'running') return;
      const idle = { kind: 'on-demand' as const, message: `no connection for ${Math.round(this.def.onDemand.idleStopMs / 1000)} s (idleStopMs)` };
      this.engine.stop(this.def.name, idle).catch((err: unknown) => this.note(`on-demand: the idle stop failed (${(err as Error).message})`));
    }, this.def.onDemand.idleStopMs);
    this.idleTimer.unref();
  }

  /** The status changed outside a state transition (listening, a problem): windows hear of it. */
  private changed(): void {
    if (this.closed) return;
    try {
      this.engine.publish({ type: 'agent-updated', name: this.def.name, status: this.engine.status(this.def.name) });
    } catch {
      // the agent was removed meanwhile
    }
  }

  /** Writes a line to the agent's log, where a person looks. */
  private note(text: string): void {
    if (this.closed) return;
    this.engine.publish({ type: 'log', name: this.def.name, lines: [{ stream: 'stderr', at: Date.now(), text: `[agent-tray] ${text}` }] });
  }
}
