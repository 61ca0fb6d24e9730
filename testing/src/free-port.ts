import { createServer } from 'node:net';

/**
 * A port that is free on 127.0.0.1 right now, asked of the OS (never hard-coded), for what needs
 * the number before anything listens on it: a configured port (the app's loopback redirect port),
 * another program's command line (`redis-server --port`), a port that must stay the same across a
 * restart.
 *
 * Another process may take the port between this answer and its use; where the code under test
 * can listen itself, listen on port 0 and read the address instead.
 */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      if (typeof address !== 'object' || address === null) {
        server.close(() => reject(new Error('no port from a listening socket')));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}
