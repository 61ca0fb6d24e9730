import type { IdentityStatus, LinkedIdentity } from '@linkboard/contract';
import type { CompiledProvider } from '../catalogue/compiled-provider.js';
import type { IdpTokenRefresher } from '../idp/idp-token-refresher.js';
import type { IdentityRecord, UserIdentities } from '../management/user-identities.js';

/**
 * What the desktop may know about each linked identity: profile fields and a status, never a
 * token. Built field by field so nothing else from the tenant's record can slip through.
 */
export function describeIdentities(
  read: UserIdentities,
  providers: Map<string, CompiledProvider>,
  refresher: IdpTokenRefresher,
  now: number,
): LinkedIdentity[] {
  return read.identities.map((identity) => {
    const provider = providers.get(identity.connection);
    const { name, email, login, picture } = identity.profile;
    return {
      connection: identity.connection,
      provider: identity.provider,
      userId: identity.userId,
      isSocial: identity.isSocial,
      supported: provider !== undefined,
      status: statusOf(read, identity, provider, refresher, now),
      profile: {
        ...(name === undefined ? {} : { name }),
        ...(email === undefined ? {} : { email }),
        ...(login === undefined ? {} : { login }),
        ...(picture === undefined ? {} : { picture }),
      },
    };
  });
}

function statusOf(
  read: UserIdentities,
  identity: IdentityRecord,
  provider: CompiledProvider | undefined,
  refresher: IdpTokenRefresher,
  now: number,
): IdentityStatus {
  const refreshable = provider !== undefined && refresher.canRefresh(provider, identity);
  if (!identity.accessToken && !refreshable) return 'token_unavailable';
  if (refreshable) return 'ready';
  const expired =
    identity.accessTokenExpiresAt !== undefined && identity.accessTokenExpiresAt <= now;
  if (expired || read.refusedConnections.has(identity.connection)) return 'reconnect_required';
  return 'ready';
}
