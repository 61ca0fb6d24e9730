import { createServer } from 'node:net';

/**
 * A port that is free on 127.0.0.1 right now, for configuration that needs a fixed number (the
 * loopback redirect port, like the app's configured one). Asked of the OS, never hard-coded.
 */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
