// One on-demand agent's relay: Agent Tray listens on the agent's public port; the first connection
// starts the agent on an internal port, held connections are relayed once that port accepts, and
// after idleStopMs without an open connection the agent is stopped (the listener stays).
import { connect, createServer, type Server, type Socket } from 'node:net';
import { DEFAULT_START_TIMEOUT_MS, type AgentDefinition } from '../../../shared/agent.js';
import type { EngineEvent, OnDemandStatus } from '../../../shared/status.js';
import type { Engine } from '../engine.js';
import type { OnDemandHooks } from './hooks.js';
import { pickFreePort, waitUntilAccepting } from './tcp.js';

export type RelayEngine = Pick<Engine, 'status' | 'start' | 'stop' | 'subscribe' | 'publish' | 'setOnDemand'>;

export class OnDemandRelay {
  private readonly server: Server;
  private listening = false;
  private internalPort: number | null = null;
  private connections = 0;
  private idleSince: number | null = Date.now();
  private idleTimer: NodeJS.Timeout | null = null;
  /** The agent's internal port once it accepts connections in this run; null: not (yet) known. */
  private ready: Promise<number> | null = null;
  private readonly sockets = new Set<Socket>();
  private readonly offEngine: () => void;

  constructor(
    private readonly engine: RelayEngine,
    readonly def: AgentDefinition & { port: number; onDemand: { idleStopMs: number } },
  ) {
    this.server = createServer((socket) => this.accept(socket));
    this.server.on('error', (err) => this.note(`on-demand: cannot listen on port ${def.port} (${err.message}); free the port or change "port"`));
    this.offEngine = engine.subscribe((e) => this.observe(e));
    engine.setOnDemand(def.name, this.hooks());
  }

  /** What the engine asks of this relay. */
  private hooks(): OnDemandHooks {
    return {
      internalPort: async () => (this.internalPort = await pickFreePort()),
      status: () => this.status(),
    };
  }

  /** Starts listening on the public port (127.0.0.1); resolves false when the port is taken (a log line says so). */
  listen(): Promise<boolean> {
    return new Promise((resolve) => {
      const failed = () => resolve(false);
      this.server.once('error', failed);
      this.server.listen(this.def.port, '127.0.0.1', () => {
        this.server.off('error', failed);
        this.listening = true;
        this.armIdle();
        resolve(true);
      });
    });
  }

  /** The relay's part of the agent's status. */
  status(): OnDemandStatus {
    return { listening: this.listening, publicPort: this.def.port, internalPort: this.internalPort, idleSince: this.connections === 0 ? this.idleSince : null, connections: this.connections };
  }

  /** Stops listening and cuts relayed connections; the agent itself is left as it is. */
  async close(): Promise<void> {
    this.offEngine();
    this.engine.setOnDemand(this.def.name, null);
    if (this.idleTimer) clearTimeout(this.idleTimer);
    for (const s of this.sockets) s.destroy();
    if (!this.listening) return;
    this.listening = false;
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A client connected: hold it until the agent accepts, then relay both ways. */
  private accept(client: Socket): void {
    client.pause();
    this.track(client);
    this.ensureReady().then(
      (port) => this.pipe(client, port),
      () => client.destroy(), // the start failed: the engine reports why (state errored, alert)
    );
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

  /** Relays bytes between the client and the agent's internal port, each side closing the other. */
  private pipe(client: Socket, port: number): void {
    if (client.destroyed) return;
    const upstream = connect({ host: '127.0.0.1', port });
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

  /** Resolves with the internal port once the agent runs and accepts; one start serves every held connection. */
  private ensureReady(): Promise<number> {
    this.ready ??= this.startAndWait().catch((err: unknown) => {
      this.ready = null;
      throw err;
    });
    return this.ready;
  }

  /** Starts the agent unless it runs (a person's start included), then waits until its internal port accepts. */
  private async startAndWait(): Promise<number> {
    const name = this.def.name;
    if (this.engine.status(name).state !== 'running') await this.engine.start(name);
    const port = this.internalPort;
    if (port === null) throw new Error(`Agent "${name}" runs without an internal port known to Agent Tray (adopted?)`);
    const timeoutMs = this.def.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
    await waitUntilAccepting(port, timeoutMs, () => (this.engine.status(name).state === 'running' ? null : `Agent "${name}" stopped before its port ${port} accepted connections`));
    return port;
  }

  /** Follows the agent's state: a run that ends forgets its readiness; a run with no connection starts the idle time. */
  private observe(e: EngineEvent): void {
    if (e.type !== 'state' || e.name !== this.def.name) return;
    if (e.to !== 'running') this.ready = null;
    else if (this.connections === 0) this.armIdle();
  }

  /** Stops the agent after idleStopMs unless a connection comes first. */
  private armIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => {
      this.idleTimer = null;
      if (this.connections > 0 || this.engine.status(this.def.name).state !== 'running') return;
      this.engine.stop(this.def.name).catch((err: unknown) => this.note(`on-demand: the idle stop failed (${(err as Error).message})`));
    }, this.def.onDemand.idleStopMs);
    this.idleTimer.unref();
  }

  /** Writes a line to the agent's log, where a person looks. */
  private note(text: string): void {
    this.engine.publish({ type: 'log', name: this.def.name, lines: [{ stream: 'stderr', at: Date.now(), text: `[agent-tray] ${text}` }] });
  }
}
