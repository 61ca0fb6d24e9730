import type { FastifyInstance } from 'fastify';
import type { IdentitiesResponse, ProvidersResponse } from '@linkboard/contract';
import type { CompiledProvider } from '../catalogue/compiled-provider.js';
import type { IdpTokenRefresher } from '../idp/idp-token-refresher.js';
import { describeIdentities } from '../identities/linked-identities.js';
import type { IdentityCache } from '../management/identity-cache.js';
import { callerOf } from './verified-caller.js';

/** `GET /v1/me/identities` and `GET /v1/providers`; the caller is already verified. */
export function registerApiRoutes(
  app: FastifyInstance,
  deps: {
    providers: Map<string, CompiledProvider>;
    identities: IdentityCache;
    refresher: IdpTokenRefresher;
    now: () => number;
  },
) {
  app.get('/v1/me/identities', async (request): Promise<IdentitiesResponse> => {
    const read = await deps.identities.get(callerOf(request).userId);
    return { identities: describeIdentities(read, deps.providers, deps.refresher, deps.now()) };
  });

  app.get('/v1/providers', async (): Promise<ProvidersResponse> => ({
    providers: [...deps.providers.values()].map(({ entry }) => ({
      connection: entry.connection,
      displayName: entry.displayName,
      icon: entry.icon,
      views: entry.views,
    })),
  }));
}
