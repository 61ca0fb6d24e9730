import type { FastifyPluginAsync } from 'fastify';
import { IdentitiesResponse, ProvidersResponse } from '@linkboard/contract';
import type { CompiledProvider } from '../catalogue/compiled-provider.js';
import type { IdpTokenRefresher } from '../idp/idp-token-refresher.js';
import { describeIdentities } from '../identities/linked-identities.js';
import type { IdentityCache } from '../management/identity-cache.js';
import { BrokerError } from '../errors/broker-error.js';
import { callerOf } from './plugins/auth-plugin.js';
import { deadlineOf } from './plugins/deadline-plugin.js';
import { untilDeadline } from '../upstream/deadline.js';

/**
 * `GET /v1/me/identities` and `GET /v1/providers`, answered through the contract's schemas; the
 * caller is already verified.
 */
export const apiRoutes: FastifyPluginAsync<{
  providers: Map<string, CompiledProvider>;
  /** The Management API's identities; undefined in `token-vault` mode. */
  identities: IdentityCache | undefined;
  refresher: IdpTokenRefresher;
  now: () => number;
}> = async (app, deps) => {
  app.get(
    '/v1/me/identities',
    { schema: { response: { 200: IdentitiesResponse } } },
    async (request): Promise<IdentitiesResponse> => {
      if (!deps.identities) {
        // Token Vault gives provider tokens, not the user's identity list; the broker has no
        // Management API access to read it (docs/architecture.md#provider-token-sources).
        throw new BrokerError(
          'upstream_error',
          'listing identities is not available with TOKEN_SOURCE=token-vault',
          { status: 501 },
        );
      }
      const read = await untilDeadline(
        deps.identities.get(callerOf(request).userId),
        deadlineOf(request).signal,
        'the Management API',
      );
      return { identities: describeIdentities(read, deps.providers, deps.refresher, deps.now()) };
    },
  );

  app.get(
    '/v1/providers',
    { schema: { response: { 200: ProvidersResponse } } },
    async (): Promise<ProvidersResponse> => ({
      providers: [...deps.providers.values()].map(({ entry }) => ({
        connection: entry.connection,
        displayName: entry.displayName,
        icon: entry.icon,
        views: entry.views,
        webOrigins: entry.webOrigins,
      })),
    }),
  );
};
