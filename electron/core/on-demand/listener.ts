// The relay's listening sockets on an on-demand agent's public port: 127.0.0.1, and ::1 where the
// machine has IPv6 (a client that resolves "localhost" to ::1 finds the agent there too). A port
// another program holds is a problem the relay reports, naming the holder, and it tries again
// until the port is free.
import { createServer, type Server, type Socket } from 'node:net';
import { portHolder } from '../platform/port-free.js';

/** How long the relay waits before it tries a taken public port again. */
export const RELAY_RETRY_MS = 5_000;

export interface ListenerEvents {
  /** The port could not be taken: why, in words a person can act on. */
  problem(message: string): void;
  /** It listens now (after a problem, too). */
  listening(): void;
  /** A listening socket failed to accept a connection (out of file descriptors): it listens on. */
  acceptFailed(message: string): void;
}

/** Whether an error says the machine has no such address (no IPv6): nothing to listen on there, no problem. */
function noSuchAddress(err: NodeJS.ErrnoException): boolean {
  return err.code === 'EADDRNOTAVAIL' || err.code === 'EAFNOSUPPORT' || err.code === 'EINVAL';
}

/** Listens on one address; resolves with the server, or rejects with the listen error. Later errors (an accept that fails: out of file descriptors) go to `later`. */
function listenOn(port: number, host: string, onConnection: (s: Socket) => void, later: (err: Error) => void): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer({ noDelay: true, pauseOnConnect: true }, onConnection);
    server.once('error', reject);
    server.listen({ port, host, ipv6Only: host === '::1' }, () => {
      server.off('error', reject);
      server.on('error', later); // without a listener an 'error' would end the host
      resolve(server);
    });
  });
}

export class RelayListener {
  private servers: Server[] = [];
  private retry: NodeJS.Timeout | null = null;
  private closed = false;
  /** Why it does not listen (the port is taken), or null. */
  problem: string | null = null;

  constructor(
    private readonly port: number,
    private readonly onConnection: (s: Socket) => void,
    private readonly events: ListenerEvents,
  ) {}

  /** True while it listens on 127.0.0.1. */
  get listening(): boolean {
    return this.servers.length > 0;
  }

  /** Takes the port; resolves false when it is taken (the problem is reported and a retry scheduled). */
  async open(): Promise<boolean> {
    if (this.closed || this.listening) return this.listening;
    let v4: Server;
    try {
      v4 = await listenOn(this.port, '127.0.0.1', this.onConnection, this.later);
    } catch (err) {
      await this.report(err as NodeJS.ErrnoException);
      return false;
    }
    if (this.closed) {
      v4.close();
      return false;
    }
    this.servers = [v4];
    try {
      this.servers.push(await listenOn(this.port, '::1', this.onConnection, this.later));
    } catch (err) {
      // no IPv6 here is normal; ::1 held by another program leaves IPv4 clients served, and is said once
      if (!noSuchAddress(err as NodeJS.ErrnoException)) this.events.problem(`port ${this.port} on ::1 is taken (${(err as Error).message}): clients that connect to [::1]:${this.port} do not reach the agent`);
    }
    if (this.closed) {
      await this.close();
      return false;
    }
    this.problem = null;
    this.events.listening();
    return true;
  }

  /** An error of a listening server (a failed accept): said, and it listens on. */
  private readonly later = (err: Error): void => {
    if (!this.closed) this.events.acceptFailed(`port ${this.port}: a connection could not be accepted (${err.message})`);
  };

  /** Stops listening (and retrying). */
  async close(): Promise<void> {
    this.closed = true;
    if (this.retry) clearTimeout(this.retry);
    this.retry = null;
    const servers = this.servers.splice(0);
    await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
  }

  /** Says why the port cannot be taken (naming its holder) and tries again later. */
  private async report(err: NodeJS.ErrnoException): Promise<void> {
    const holder = err.code === 'EADDRINUSE' ? await portHolder(this.port).catch(() => null) : null;
    const who = holder ? (holder.pid !== null ? ` by pid ${holder.pid}${holder.commandLine ? ` (${holder.commandLine})` : ''}` : ' by a process Agent Tray cannot see') : '';
    const cause = err.code === 'EADDRINUSE' ? `is in use${who}` : `cannot be listened on (${err.message})`;
    const message = `port ${this.port} ${cause}, so Agent Tray cannot listen for this on-demand agent; stop that program or change "port" (it tries again every ${RELAY_RETRY_MS / 1000} s)`;
    const first = this.problem !== message;
    this.problem = message;
    if (first) this.events.problem(message);
    if (this.closed) return;
    this.retry = setTimeout(() => {
      this.retry = null;
      void this.open();
    }, RELAY_RETRY_MS);
    this.retry.unref();
  }
}
