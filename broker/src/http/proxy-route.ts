import type { FastifyPluginAsync } from 'fastify';
import { PROXY_PREFIX } from '@linkboard/contract';
import type { AuditLog } from '../observability/logger.js';
import { boundPerLabels, type BrokerMetrics } from '../observability/metrics.js';
import type { IdpProxy, ProxyAudit } from '../proxy/idp-proxy.js';
import { BrokerError } from '../errors/broker-error.js';
import { callerOf } from './plugins/auth-plugin.js';
import { deadlineOf } from './plugins/deadline-plugin.js';
import type { ReferenceBase } from './public-base.js';

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
/** Methods whose body Fastify never reads, so its body limit does not apply to them. */
const UNPARSED_BODY_METHODS = new Set(['GET', 'HEAD']);

/**
 * Fastify's body limit never sees a GET or HEAD body, as it does not read one. So a GET or HEAD
 * that declares more than the limit (or a body of unknown length) is refused here, like any other
 * request that is too large, before anything is asked of the tenant or the provider.
 */
function refuseUnboundedBody(
  headers: Record<string, string | string[] | undefined>,
  maxRequestBytes: number,
): void {
  const declared = headers['content-length'];
  const tooLong = declared !== undefined && !(Number(declared) <= maxRequestBytes);
  if (tooLong || headers['transfer-encoding'] !== undefined) {
    throw new BrokerError('payload_too_large', 'the request body is too large');
  }
}

/**
 * `ANY /v1/idp/{connection}/{path}`. The raw URL is handed to the proxy as received: Fastify's
 * own decoding of the wildcard is not used, so the checks see exactly what the client sent.
 * One audit line per call, whatever the outcome.
 */
export const proxyRoute: FastifyPluginAsync<{
  proxy: IdpProxy;
  metrics: BrokerMetrics;
  audit: AuditLog;
  maxRequestBytes: number;
  referenceBase: ReferenceBase;
}> = async (app, deps) => {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: deps.maxRequestBytes },
    (_r, body, done) => done(null, body),
  );

  const callCounter = boundPerLabels((connection: string, outcome: string) =>
    deps.metrics.proxyCalls.labels(connection, outcome),
  );

  app.route({
    method: [...METHODS],
    url: `${PROXY_PREFIX}*`,
    exposeHeadRoute: false,
    onRequest: (request, _reply, done) => {
      if (!UNPARSED_BODY_METHODS.has(request.method)) return done();
      try {
        refuseUnboundedBody(request.headers, deps.maxRequestBytes);
        done();
      } catch (error) {
        done(error as BrokerError);
      }
    },
    handler: async (request, reply) => {
      const started = performance.now();
      const caller = callerOf(request);
      const audit: ProxyAudit = {};
      let status = 500;
      let outcome = 'ok';
      try {
        const answer = await deps.proxy.call(
          {
            caller,
            method: request.method,
            rawUrl: request.raw.url ?? '',
            headers: request.headers,
            body: Buffer.isBuffer(request.body) ? request.body : undefined,
            deadline: deadlineOf(request),
            referenceBase: (connection) => deps.referenceBase(request.raw, connection),
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
        callCounter(audit.connection ?? 'unknown', outcome).inc();
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
};
