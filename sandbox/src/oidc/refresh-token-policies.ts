import type Provider from 'oidc-provider';
import { DESKTOP_CLIENT_ID, MY_ACCOUNT_SCOPES } from '../tenant/tenant-config.js';

/**
 * Auth0's Multi-Resource Refresh Token (MRRT): an application's `refresh_token.policies` list other
 * APIs (audience and scopes) its refresh token may get access tokens for, beyond the one it signed
 * in for. auth0-spa-js (`useMrrt: true`) uses this to get a My Account API token from the refresh
 * token of the sign-in, with no second browser trip.
 */
export interface RefreshTokenPolicy {
  audience: string;
  scope: readonly string[];
}

/** The OIDC scopes Auth0 echoes in a token answer's `scope`, whatever the audience. */
export const ECHOED_OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;

/** The desktop application's policies: the My Account API's Connected Accounts scopes. */
export function refreshTokenPolicies(
  myAccountAudience: string,
): Readonly<Record<string, readonly RefreshTokenPolicy[]>> {
  return { [DESKTOP_CLIENT_ID]: [{ audience: myAccountAudience, scope: MY_ACCOUNT_SCOPES }] };
}

/**
 * Before oidc-provider answers a `refresh_token` grant that asks for another API (`resource`, from
 * Auth0's `audience`) the client's policy names, the refresh token and its grant are widened to
 * that API and its policy scopes, so oidc-provider's own refresh (rotation, reuse detection,
 * expiry, the access token's signing) serves it. Widening lasts, as MRRT's policies do for every
 * later use of the rotated token; anything else (unknown token, another client, an API no policy
 * names) is left to oidc-provider, which refuses it as it would.
 */
export async function applyRefreshTokenPolicies(
  provider: Provider,
  form: URLSearchParams,
  policies: Readonly<Record<string, readonly RefreshTokenPolicy[]>>,
): Promise<void> {
  const value = form.get('refresh_token');
  const resource = form.get('resource');
  const clientId = form.get('client_id') ?? '';
  const policy = policies[clientId]?.find((candidate) => candidate.audience === resource);
  if (!value || !policy) return;
  const refreshToken = await provider.RefreshToken.find(value, { ignoreExpiration: true });
  if (!refreshToken || refreshToken.clientId !== clientId || refreshToken.consumed) return;
  const grant = await provider.Grant.find(refreshToken.grantId as string);
  if (!grant) return;

  const resources = [refreshToken.resource ?? []].flat();
  if (!resources.includes(policy.audience)) {
    refreshToken.resource = [...resources, policy.audience];
    refreshToken.scope = [...new Set([...refreshToken.scopes, ...policy.scope])].join(' ');
    await refreshToken.save();
  }
  grant.addResourceScope(policy.audience, [...ECHOED_OIDC_SCOPES, ...policy.scope].join(' '));
  await grant.save();
}
