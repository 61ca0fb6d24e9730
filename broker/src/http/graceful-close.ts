import type { FastifyInstance } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    /** Whether a stop has begun (`gracefulClose`): every answer from then on closes its connection. */
    stopping: boolean;
  }
}

/**
 * How often, during a stop, connections that went idle are closed: those whose answer was already
 * under way when the stop began, so it could not say `Connection: close`.
 */
const IDLE_SWEEP_MS = 20;

/**
 * A stop for a listening broker (docs/architecture.md#timeouts-budgets-and-limits, "Shutdown
 * grace"): the listener closes at once, so new connections are refused and readiness probes fail
 * first; requests in flight finish within `graceMs`, their keep-alive connections closing after
 * the answer instead of waiting out the idle timeout; then the app's `onClose` hooks close Redis
 * and the upstream pools. Requests still running at the bound have their connections closed and
 * the stop rejects at once, for the process to exit.
 *
 * Nothing is kept per request while the broker runs: every answer's headers are set by
 * `setAnswerHeaders`, which adds `Connection: close` once `app.stopping` is set, so the answers
 * still to come end their connections themselves. A set of the requests in flight, added to and
 * deleted from on every request, made the young generation's collections keep about 2 KB of each
 * request alive into the old generation (bench/README.md, point 15).
 */
export function gracefulClose(app: FastifyInstance, graceMs: number): () => Promise<void> {
  return async () => {
    app.stopping = true;
    // Answers already under way when the stop began keep their connection open: it is closed as
    // soon as it is idle (Node skips a connection whose answer is not finished).
    const sweep = setInterval(() => app.server.closeIdleConnections(), IDLE_SWEEP_MS);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), graceMs);
    });
    const closed = app.close().then(() => 'closed' as const);
    let outcome: 'closed' | 'late';
    try {
      outcome = await Promise.race([closed, late]);
    } finally {
      // Also when the close fails (an `onClose` hook rejects): nothing of the stop is left running.
      clearTimeout(timer);
      clearInterval(sweep);
    }
    if (outcome === 'late') {
      // The cut calls' upstream requests would hold the pools' close open until they end: the
      // caller exits instead of waiting for them.
      app.server.closeAllConnections();
      closed.catch(() => undefined);
      throw new Error(`requests were still in flight after ${graceMs} ms`);
    }
  };
}
