import type { FastifyReply, FastifyRequest } from 'fastify';
import { PROBLEM_CONTENT_TYPE, type Problem } from '@linkboard/contract';
import { problemTitle, type BrokerError } from './broker-error.js';

const PROBLEM_TYPE_BASE = 'https://linkboard.dev/problems/';

function toProblem(error: BrokerError, request: FastifyRequest): Problem {
  return {
    type: `${PROBLEM_TYPE_BASE}${error.code}`,
    title: problemTitle(error.code),
    status: error.status,
    code: error.code,
    ...(error.detail ? { detail: error.detail } : {}),
    instance: request.url.split('?')[0],
    requestId: String(request.id),
    ...(error.extra.retryAfterSeconds !== undefined
      ? { retryAfter: error.extra.retryAfterSeconds }
      : {}),
  };
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
  return reply
    .code(error.status)
    .header('content-type', PROBLEM_CONTENT_TYPE)
    .header('cache-control', 'no-store')
    .send(Buffer.from(JSON.stringify(toProblem(error, request))));
}
