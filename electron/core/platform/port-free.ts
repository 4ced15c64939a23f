// Whether a TCP port is free, and who holds it when it is not: checked before an agent with a port is started.
import net from 'node:net';
import { commandLineText } from './command-lines.js';
import { listenersOnPort } from './listeners.js';

export interface PortHolder {
  /** Null when the platform does not tell (another user's process, or lsof without root on macOS). */
  pid: number | null;
  address: string;
  commandLine: string | null;
}

/** Hosts whose "address not available" means the machine has no IPv6, so nothing can hold the port there. */
function isIpv6Host(host: string): boolean {
  return host.includes(':');
}

/**
 * The process listening on `port` on any address, with its command line, or null when nobody listens. With several
 * listeners (IPv4 and IPv6, or several addresses) the first whose pid is known is named, else the first.
 */
export async function portHolder(port: number, platform: NodeJS.Platform = process.platform): Promise<PortHolder | null> {
  const listeners = await listenersOnPort(port, platform);
  const first = listeners.find((l) => l.pid !== null) ?? listeners[0];
  if (!first) return null;
  const commandLine = first.pid === null ? null : await commandLineText(first.pid, platform);
  return { pid: first.pid, address: first.address, commandLine };
}

/**
 * Whether this process can listen on `port` at `host` right now (it listens exclusively and closes at once).
 * False when the port is in use (EADDRINUSE) or refused to us (EACCES: a privileged port, or on Windows a port in an
 * excluded range reserved by Hyper-V/WSL). True when `host` is an IPv6 address and the machine has no IPv6.
 * Other errors (e.g. an IPv4 address this machine does not have) reject.
 */
export function canBind(port: number, host = '0.0.0.0'): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE' || error.code === 'EACCES') resolve(false);
      else if ((error.code === 'EADDRNOTAVAIL' || error.code === 'EAFNOSUPPORT') && isIpv6Host(host)) resolve(true);
      else reject(error);
    });
    server.listen({ port, host, exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}
