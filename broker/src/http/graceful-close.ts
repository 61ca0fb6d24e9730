import type { ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';

/**
 * A stop for a listening broker (docs/architecture.md#timeouts-budgets-and-limits, "Shutdown
 * grace"): the listener closes at once, so new connections are refused and readiness probes fail
 * first; requests in flight finish within `graceMs`, their keep-alive connections closing after
 * the answer instead of waiting out the idle timeout; then the app's `onClose` hooks close Redis
 * and the upstream pools. Requests still running at the bound have their connections closed and
 * the stop rejects at once, for the process to exit. Call it before the app listens.
 */
export function gracefulClose(app: FastifyInstance, graceMs: number): () => Promise<void> {
  const inFlight = new Set<ServerResponse>();
  let closing = false;
  app.server.on('request', (_request, response: ServerResponse) => {
    inFlight.add(response);
    response.once('close', () => inFlight.delete(response));
    if (closing) endConnectionAfter(app, response);
  });

  return async () => {
    closing = true;
    for (const response of inFlight) endConnectionAfter(app, response);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), graceMs);
    });
    const closed = app.close().then(() => 'closed' as const);
    const outcome = await Promise.race([closed, late]);
    clearTimeout(timer);
    if (outcome === 'late') {
      // The cut calls' upstream requests would hold the pools' close open until they end: the
      // caller exits instead of waiting for them.
      app.server.closeAllConnections();
      closed.catch(() => undefined);
      throw new Error(`requests were still in flight after ${graceMs} ms`);
    }
  };
}

/** The answer says `Connection: close`; one already under way has its idle connection closed after. */
function endConnectionAfter(app: FastifyInstance, response: ServerResponse): void {
  if (!response.headersSent) response.shouldKeepAlive = false;
  else response.once('finish', () => setImmediate(() => app.server.closeIdleConnections()));
}
