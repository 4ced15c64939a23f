// A TCP port that is free right now on 127.0.0.1 (the OS picks it; the socket is closed again).
import { createServer } from 'node:net';

/** Resolves with a port nobody listens on at this moment. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
