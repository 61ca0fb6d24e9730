import type { FastifyInstance } from 'fastify';
import { PROXY_PREFIX } from '@linkboard/contract';
import type { AuditLog } from '../observability/logger.js';
import type { BrokerMetrics } from '../observability/metrics.js';
import type { IdpProxy, ProxyAudit } from '../proxy/idp-proxy.js';
import { BrokerError } from './broker-error.js';
import { callerOf } from './build-broker.js';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/**
 * `ANY /v1/idp/{connection}/{path}`. The raw URL is handed to the proxy as received: Fastify's
 * own decoding of the wildcard is not used, so the checks see exactly what the client sent.
 * One audit line per call, whatever the outcome.
 */
export function registerProxyRoute(
  app: FastifyInstance,
  deps: { proxy: IdpProxy; metrics: BrokerMetrics; audit: AuditLog; maxRequestBytes: number },
) {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: deps.maxRequestBytes },
    (_r, body, done) => done(null, body),
  );

  // Bound once per (connection, outcome): no label hashing per call.
  const callCounters = new Map<string, { inc(): void }>();
  const countCall = (connection: string, outcome: string) => {
    const key = `${connection} ${outcome}`;
    let counter = callCounters.get(key);
    if (!counter) {
      counter = deps.metrics.proxyCalls.labels(connection, outcome);
      callCounters.set(key, counter);
    }
    counter.inc();
  };

  app.route({
    method: [...METHODS],
    url: `${PROXY_PREFIX}*`,
    exposeHeadRoute: false,
    handler: async (request, reply) => {
      const started = performance.now();
      const caller = callerOf(request);
      const audit: ProxyAudit = {};
      let status = 500;
      let outcome = 'ok';
      try {
        const answer = await deps.proxy.call(
          {
            userId: caller.userId,
            method: request.method,
            rawUrl: request.raw.url ?? '',
            headers: request.headers,
            body: Buffer.isBuffer(request.body) ? request.body : undefined,
          },
          audit,
        );
        status = answer.status;
        return reply.code(answer.status).headers(answer.headers).send(answer.body);
      } catch (error) {
        if (error instanceof BrokerError) {
          status = error.status;
          outcome = error.code;
        }
        throw error;
      } finally {
        countCall(audit.connection ?? 'unknown', outcome);
        deps.audit.write({
          requestId: String(request.id),
          user: caller.userId,
          connection: audit.connection,
          method: request.method,
          pathPattern: audit.pattern,
          status,
          outcome,
          upstreamStatus: audit.upstreamStatus,
          refreshed: audit.refreshed ?? false,
          durationMs: Math.round((performance.now() - started) * 10) / 10,
        });
      }
    },
  });
}
