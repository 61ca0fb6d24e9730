import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { PROBLEM_CONTENT_TYPE, Problem, type ProblemCode } from '@linkboard/contract';
import { BrokerError } from '../../errors/broker-error.js';

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
  upstream_rate_limited: 'The upstream service is rate limiting',
  upstream_unavailable: 'The upstream service is unavailable',
  upstream_error: 'The upstream service answered with an error',
  internal_error: 'The broker failed',
};

const PROBLEM_TYPE_BASE = 'https://linkboard.dev/problems/';

/** The problem document for `error`, checked against the contract's `Problem` schema. */
function toProblem(error: BrokerError, request: FastifyRequest): Problem {
  return Problem.parse({
    type: `${PROBLEM_TYPE_BASE}${error.code}`,
    title: TITLES[error.code],
    status: error.status,
    code: error.code,
    detail: error.detail,
    instance: request.url.split('?')[0],
    requestId: String(request.id),
    retryAfter: error.extra.retryAfterSeconds,
  });
}

/** Sends a problem document with the headers that go with it (`WWW-Authenticate`, `Retry-After`). */
export function sendProblem(reply: FastifyReply, request: FastifyRequest, error: BrokerError) {
  if (error.code === 'invalid_token') {
    reply.header('www-authenticate', 'Bearer error="invalid_token"');
  } else if (error.code === 'insufficient_scope') {
    reply.header('www-authenticate', 'Bearer error="insufficient_scope"');
  }
  if (error.extra.retryAfterSeconds !== undefined) {
    reply.header('retry-after', String(error.extra.retryAfterSeconds));
  }
  for (const [name, value] of Object.entries(error.extra.headers ?? {})) reply.header(name, value);
  return (
    reply
      .code(error.status)
      .header('content-type', PROBLEM_CONTENT_TYPE)
      .header('cache-control', 'no-store')
      // Bytes, so Fastify adds no charset to the media type clients match exactly.
      .send(Buffer.from(JSON.stringify(toProblem(error, request))))
  );
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
 * id: `BrokerError`s thrown anywhere, Fastify's own refusals, unknown routes, and unexpected
 * failures (logged, answered `internal_error` without their message).
 */
export const problemPlugin = fp(
  async (app) => {
    app.setErrorHandler((error, request, reply) => {
      const known = asBrokerError(error);
      if (known) return sendProblem(reply, request, known);
      request.log.error(
        { err: { type: (error as Error).name, message: (error as Error).message } },
        'request failed',
      );
      return sendProblem(reply, request, new BrokerError('internal_error'));
    });
    app.setNotFoundHandler((request, reply) =>
      sendProblem(
        reply,
        request,
        new BrokerError('invalid_request', 'no such route', { status: 404 }),
      ),
    );
  },
  { name: 'linkboard-problems' },
);
