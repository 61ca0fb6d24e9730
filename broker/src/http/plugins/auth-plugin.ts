import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AccessTokenVerifier, VerifiedCaller } from '../../auth/verify-access-token.js';
import { BrokerError } from '../../errors/broker-error.js';
import { TokenRefusal } from '../../errors/token-refusal.js';
import type { BrokerMetrics } from '../../observability/metrics.js';
import { inSpan, SPAN } from '../../observability/tracing.js';

declare module 'fastify' {
  interface FastifyRequest {
    caller: VerifiedCaller | undefined;
  }
}

/** The caller verified by the auth plugin of the scope the route is in. */
export function callerOf(request: FastifyRequest): VerifiedCaller {
  if (!request.caller) throw new BrokerError('invalid_token', 'no verified caller');
  return request.caller;
}

/**
 * Verifies the caller's access token before any route of the scope that registers it runs
 * (docs/architecture.md#security-rules, rules 5 and 6); `callerOf` then gives the verified user.
 * A refusal is counted by its reason and logged, then answered by the problem plugin.
 */
export const authPlugin = fp<{ verifier: AccessTokenVerifier; metrics: BrokerMetrics }>(
  async (app, { verifier, metrics }) => {
    app.decorateRequest('caller', undefined);
    // A callback hook: it runs on every request, and a token already verified (and not yet
    // expired) is known at once, with no promise on that path.
    app.addHook('onRequest', (request, _reply, done) => {
      const known = verifier.known(request.headers.authorization);
      if (known) {
        request.caller = known;
        return done();
      }
      inSpan(SPAN.verifyToken, {}, () => verifier.verify(request.headers.authorization)).then(
        (caller) => {
          request.caller = caller;
          done();
        },
        (error: unknown) => {
          if (error instanceof TokenRefusal) {
            metrics.tokenRefusals.labels(error.reason).inc();
            request.log.info({ tokenRefusal: error.reason }, 'token refused');
          }
          done(error as Error);
        },
      );
    });
  },
  { name: 'linkboard-auth' },
);
