import { randomUUID } from 'node:crypto';
import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import {
  PROBLEM_CONTENT_TYPE,
  Problem,
  type ErrorDialect,
  type ProblemCode,
} from '@linkboard/contract';
import type { CompiledProvider } from '../../catalogue/compiled-provider.js';
import { BrokerError } from '../../errors/broker-error.js';
import { dialectFor, renderInDialect } from '../error-dialect.js';

const TITLES: Record<ProblemCode, string> = {
  invalid_request: 'The request is malformed',
  invalid_token: 'The access token is not acceptable',
  insufficient_scope: 'The access token lacks the required scope',
  identity_not_linked: 'No identity of this connection is linked to your account',
  idp_token_unavailable: 'The tenant holds no token for this identity',
  idp_reauth_required: 'Sign in with this provider again',
  path_not_allowed: 'This path is not allowed',
  method_not_allowed: 'This method is not allowed',
  provider_unknown: 'This provider is not in the catalogue',
  payload_too_large: 'The request or the answer is too large',
  rate_limited: 'Too many requests to the broker',
  upstream_rate_limited: 'The upstream service is rate limiting',
  upstream_unavailable: 'The upstream service is unavailable',
  upstream_error: 'The upstream service answered with an error',
  internal_error: 'The broker failed',
};

const PROBLEM_TYPE_BASE = 'https://linkboard.dev/problems/';

/** The problem document for `error`, checked against the contract's `Problem` schema. */
function toProblem(error: BrokerError, instance: string | undefined, requestId: string): Problem {
  return Problem.parse({
    type: `${PROBLEM_TYPE_BASE}${error.code}`,
    title: TITLES[error.code],
    status: error.status,
    code: error.code,
    detail: error.detail,
    instance,
    requestId,
    retryAfter: error.extra.retryAfterSeconds,
    connect: error.extra.connect === undefined ? undefined : { connection: error.extra.connect },
  });
}

/**
 * Sends a refusal with the headers that go with it (`WWW-Authenticate`, `Retry-After`): a problem
 * document, or the same in the provider's error dialect on the proxy route.
 */
export function sendProblem(
  reply: FastifyReply,
  request: FastifyRequest,
  error: BrokerError,
  dialect: ErrorDialect = 'problem',
) {
  if (error.code === 'invalid_token') {
    reply.header('www-authenticate', 'Bearer error="invalid_token"');
  } else if (error.code === 'insufficient_scope') {
    reply.header('www-authenticate', 'Bearer error="insufficient_scope"');
  }
  if (error.extra.retryAfterSeconds !== undefined) {
    reply.header('retry-after', String(error.extra.retryAfterSeconds));
  }
  for (const [name, value] of Object.entries(error.extra.headers ?? {})) reply.header(name, value);
  // Set here too: a refusal made before routing (frameworkErrors) runs no onSend hook.
  reply.header('x-request-id', String(request.id));
  const problem = toProblem(error, request.url.split('?')[0], String(request.id));
  const { contentType, body } = renderInDialect(dialect, problem);
  return (
    reply
      .code(error.status)
      .header('content-type', contentType)
      .header('cache-control', 'no-store')
      // Bytes, so Fastify adds no charset to the media type clients match exactly.
      .send(Buffer.from(body))
  );
}

/** The dialect a request's refusals are in (`error-dialect.ts`). */
function dialectOf(
  request: FastifyRequest,
  providers: ReadonlyMap<string, CompiledProvider>,
): ErrorDialect {
  return dialectFor(request.url, request.headers.accept, providers);
}

/**
 * Fastify's `frameworkErrors`: a URL it cannot route (`FST_ERR_BAD_URL`, a malformed escape) is
 * answered as a problem with a request id, like every other refusal.
 */
export function frameworkErrorProblem(providers: ReadonlyMap<string, CompiledProvider>) {
  return (_error: Error, request: FastifyRequest, reply: FastifyReply): void => {
    void sendProblem(
      reply,
      request,
      new BrokerError('invalid_request', 'the request URL cannot be read'),
      dialectOf(request, providers),
    );
  };
}

/** What Node's HTTP parser refused, as the broker's own error. */
function clientRefusal(error: NodeJS.ErrnoException): BrokerError {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return new BrokerError('invalid_request', 'the request did not arrive in time', {
      status: 408,
    });
  }
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    return new BrokerError('payload_too_large', 'the request headers are too large', {
      status: 431,
    });
  }
  return new BrokerError('invalid_request', 'the request cannot be parsed');
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  408: 'Request Timeout',
  431: 'Request Header Fields Too Large',
};

/**
 * Fastify's `clientErrorHandler`: a request Node's parser refuses before Fastify sees it (control
 * characters, oversized headers, a body too slow) gets a problem document with a request id of
 * its own, then the connection is closed, as Fastify's default handler does.
 */
export function clientErrorProblem(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const refusal = clientRefusal(error);
  const requestId = randomUUID();
  const body = JSON.stringify(toProblem(refusal, undefined, requestId));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${refusal.status} ${STATUS_TEXT[refusal.status] ?? 'Bad Request'}\r\n` +
        `Content-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
        `X-Request-Id: ${requestId}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

/** A failure Fastify itself raised (body too large, unreadable), as the broker's own error. */
function asBrokerError(error: unknown): BrokerError | undefined {
  if (error instanceof BrokerError) return error;
  const status = (error as { statusCode?: number }).statusCode;
  if (status === 413) return new BrokerError('payload_too_large');
  if (status === 415 || status === 400) {
    return new BrokerError('invalid_request', 'the request cannot be read');
  }
  return undefined;
}

/**
 * Every error answer as `application/problem+json` (RFC 9457) with a stable code and the request
 * id — on the proxy route in the provider's own error dialect unless the caller asks for problem
 * details: `BrokerError`s thrown anywhere, Fastify's own refusals, unknown routes, and unexpected
 * failures (logged, answered `internal_error` without their message).
 */
export const problemPlugin = fp<{ providers: ReadonlyMap<string, CompiledProvider> }>(
  async (app, { providers }) => {
    app.setErrorHandler((error, request, reply) => {
      const dialect = dialectOf(request, providers);
      const known = asBrokerError(error);
      if (known) return sendProblem(reply, request, known, dialect);
      request.log.error(
        { err: { type: (error as Error).name, message: (error as Error).message } },
        'request failed',
      );
      return sendProblem(reply, request, new BrokerError('internal_error'), dialect);
    });
    app.setNotFoundHandler((request, reply) =>
      sendProblem(
        reply,
        request,
        new BrokerError('invalid_request', 'no such route', { status: 404 }),
        dialectOf(request, providers),
      ),
    );
  },
  { name: 'linkboard-problems' },
);
