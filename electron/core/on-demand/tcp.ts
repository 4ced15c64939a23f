// Small TCP helpers for the relay: a free port, and waiting until a port accepts connections.
import { createServer } from 'node:net';
import { DEFAULT_TCP_HOST } from '../health/health-defaults.js';
import { runProbe } from '../health/probes.js';

/** A port nobody listens on at this moment on 127.0.0.1 (the OS picks it; the socket is closed again). */
export function pickFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port was given'))));
    });
  });
}

/** Whether 127.0.0.1:`port` accepts a TCP connection now. */
export async function accepts(port: number, timeoutMs = 1000): Promise<boolean> {
  // the health checks' own TCP probe (it never rejects; cwd and env mean nothing to a TCP connect)
  return (await runProbe({ kind: 'tcp', host: DEFAULT_TCP_HOST, port }, { timeoutMs, cwd: '', env: {} })).ok;
}

/** Polls until `port` accepts, `alive()` says the agent is gone (rejects), or `timeoutMs` passes (rejects). */
export async function waitUntilAccepting(port: number, timeoutMs: number, alive: () => string | null, intervalMs = 25): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await accepts(port)) return;
    const gone = alive();
    if (gone) throw new Error(gone);
    if (Date.now() >= deadline) throw new Error(`its port ${port} did not accept connections within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
