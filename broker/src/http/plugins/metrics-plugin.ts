import fp from 'fastify-plugin';
import { PROXY_PREFIX } from '@linkboard/contract';
import { BrokerError } from '../../errors/broker-error.js';
import { boundPerLabels, type BrokerMetrics } from '../../observability/metrics.js';

/**
 * Counts and times every answer by route pattern (never a URL), and writes one log line per
 * request except proxied calls, which have their audit line.
 */
export const metricsPlugin = fp<{ metrics: BrokerMetrics }>(
  async (app, { metrics }) => {
    const durationHistogram = boundPerLabels((route: string) => metrics.httpDuration.labels(route));
    app.addHook('onError', (_request, _reply, error, done) => {
      if (error instanceof BrokerError && error.code === 'upstream_rate_limited') {
        metrics.rateLimitRefusals.labels(error.extra.limitedBy ?? 'provider').inc();
      }
      done();
    });
    // A callback hook: it runs on every request, and needs no promise.
    app.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url ?? 'unmatched';
      metrics.httpRequestCounts.of(route, request.method, String(reply.statusCode)).count += 1;
      durationHistogram(route).observe(reply.elapsedTime / 1000);
      if (route !== `${PROXY_PREFIX}*`) {
        request.log.info(
          {
            method: request.method,
            route,
            status: reply.statusCode,
            durationMs: Math.round(reply.elapsedTime),
          },
          'request completed',
        );
      }
      done();
    });
  },
  { name: 'linkboard-metrics' },
);
