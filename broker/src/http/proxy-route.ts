import { Readable } from 'node:stream';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { PROXY_PREFIX } from '@linkboard/contract';
import type { AuditLog } from '../observability/logger.js';
import type { BrokerMetrics } from '../observability/metrics.js';
import type { IdpProxy, ProxyAudit } from '../proxy/idp-proxy.js';
import { BrokerError } from '../errors/broker-error.js';
import { HeaderRecord, setAnswerHeaders } from './answer-headers.js';
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
 * Whether an answer of this method and status is written by `writeWhole`: one with a body, whose
 * length is the buffer's. HEAD, 1xx, 204 and 304 answers, whose headers describe a body that is
 * not sent, go through Fastify's reply as before.
 */
function writtenWhole(method: string, status: number): boolean {
  return method !== 'HEAD' && status >= 200 && status !== 204 && status !== 304;
}

/**
 * A proxied answer held whole, written at once: status, headers and body in one write. Fastify's
 * reply (its header copies, the `onSend` pass, the payload checks) adds nothing to a buffer that
 * is already checked, and costs more than the rest of the answer's JavaScript; the headers every
 * answer carries are set as the `onSend` hook sets them. `onResponse` hooks (metrics, the
 * deadline's end) still run when the answer is sent; an error before this point is answered by
 * the problem plugin as before.
 */
function writeWhole(
  request: FastifyRequest,
  reply: FastifyReply,
  status: number,
  headers: Record<string, string>,
  body: Buffer | readonly Buffer[],
): void {
  const record = new HeaderRecord(headers);
  setAnswerHeaders(request, record);
  let length = 0;
  if (Buffer.isBuffer(body)) length = body.length;
  else for (const chunk of body) length += chunk.length;
  record.header('content-length', String(length));
  const response = reply.raw;
  // Before the reply is taken over: a header Node would refuse throws while Fastify can still
  // answer with a problem.
  response.writeHead(status, record.headers);
  reply.hijack();
  if (Buffer.isBuffer(body)) {
    response.end(body);
    return;
  }
  // Corked: the headers and every chunk leave in one write, as one buffer would.
  response.cork();
  for (const chunk of body) response.write(chunk);
  response.end();
  response.uncork();
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
        const { body } = answer;
        if (!(body instanceof Readable) && writtenWhole(request.method, answer.status)) {
          writeWhole(request, reply, answer.status, answer.headers, body);
          return;
        }
        return reply
          .code(answer.status)
          .headers(answer.headers)
          .send(Array.isArray(body) ? Buffer.concat(body) : body);
      } catch (error) {
        if (error instanceof BrokerError) {
          status = error.status;
          outcome = error.code;
        }
        throw error;
      } finally {
        deps.metrics.proxyCallCounts.of(audit.connection ?? 'unknown', outcome).count += 1;
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
