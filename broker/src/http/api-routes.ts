import type { FastifyPluginAsync } from 'fastify';
import { IdentitiesResponse, ProvidersResponse } from '@linkboard/contract';
import type { CompiledProvider } from '../catalogue/compiled-provider.js';
import type { IdentityLister } from '../identities/identity-lister.js';
import { callerOf } from './plugins/auth-plugin.js';
import { deadlineOf } from './plugins/deadline-plugin.js';

/**
 * `GET /v1/me/identities` and `GET /v1/providers`, answered through the contract's schemas; the
 * caller is already verified.
 */
export const apiRoutes: FastifyPluginAsync<{
  providers: Map<string, CompiledProvider>;
  /** What the token source can tell of the user's accounts (identity-lister.ts). */
  identities: IdentityLister;
}> = async (app, deps) => {
  app.get(
    '/v1/me/identities',
    { schema: { response: { 200: IdentitiesResponse } } },
    async (request): Promise<IdentitiesResponse> =>
      deps.identities.list(callerOf(request), deadlineOf(request).signal, {
        fresh: asksNoCache(request.headers['cache-control']),
      }),
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
        imageOrigins: entry.imageOrigins,
      })),
    }),
  );
};

/**
 * Whether a request's `Cache-Control` has `no-cache` (RFC 9111 §5.2.1.4: the answer must not come
 * from what is stored without checking). The app sends it after it connected or disconnected an
 * account; it only ever concerns the caller's own user (docs/architecture.md#provider-token-sources).
 */
function asksNoCache(header: string | undefined): boolean {
  return (header ?? '')
    .split(',')
    .some((directive) => directive.trim().toLowerCase() === 'no-cache');
}
