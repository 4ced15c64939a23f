// Small TCP helpers for the relay: a free port, and whether a loopback port accepts connections.
import { createServer } from 'node:net';
import { DEFAULT_TCP_HOST } from '../health/health-defaults.js';
import { runProbe } from '../health/probes.js';

/** The loopback addresses an agent may listen on, IPv4 first (Node's `listen(port, 'localhost')` binds ::1 alone). */
const LOOPBACK_HOSTS = [DEFAULT_TCP_HOST, '::1'] as const;

/** A port nobody listens on at this moment on 127.0.0.1 (the OS picks it; the socket is closed again). */
export function pickFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, DEFAULT_TCP_HOST, () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port was given'))));
    });
  });
}

/** Whether `host`:`port` accepts a TCP connection now. */
export async function accepts(port: number, host: string = DEFAULT_TCP_HOST): Promise<boolean> {
  // the health checks' own TCP probe (it never rejects; cwd and env mean nothing to a TCP connect)
  return (await runProbe({ kind: 'tcp', host, port }, { timeoutMs: 1000, cwd: '', env: {} })).ok;
}

/** The first loopback address where `port` accepts now, or null. */
export async function acceptingHost(port: number): Promise<string | null> {
  for (const host of LOOPBACK_HOSTS) if (await accepts(port, host)) return host;
  return null;
}
