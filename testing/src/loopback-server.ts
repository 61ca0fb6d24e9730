import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';

/**
 * Listens on 127.0.0.1 and a port the OS picks (port 0), and resolves with the server's origin,
 * `http://127.0.0.1:N`: a test's servers are reachable from this machine only, and two suites
 * running at once never fight over a port.
 */
export function listenOnLoopback(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      const address = server.address();
      if (typeof address !== 'object' || address === null) {
        reject(new Error('the server has no port'));
        return;
      }
      resolve(`http://127.0.0.1:${address.port}`);
    });
  });
}

/** Closes a server now: open keep-alive connections are cut rather than waited for. */
export function closeNow(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export interface LoopbackServer {
  origin: string;
  close(): Promise<void>;
}

/** A throwaway HTTP server on 127.0.0.1 and a free port. */
export async function startLoopbackServer(
  handler: (request: IncomingMessage, response: ServerResponse) => void,
): Promise<LoopbackServer> {
  const server = createServer(handler);
  const origin = await listenOnLoopback(server);
  return { origin, close: () => closeNow(server) };
}
