import type { FastifyRequest } from 'fastify';
import type { VerifiedCaller } from '../auth/verify-access-token.js';
import { BrokerError } from '../errors/broker-error.js';

declare module 'fastify' {
  interface FastifyRequest {
    caller: VerifiedCaller | undefined;
  }
}

/** The caller verified by the `onRequest` hook of the `/v1` routes. */
export function callerOf(request: FastifyRequest): VerifiedCaller {
  if (!request.caller) throw new BrokerError('invalid_token', 'no verified caller');
  return request.caller;
}
