import type { SandboxInfo } from '../../src/index.js';
import { clientCredentials } from '@linkboard/testing/headless-sign-in';

/** A Management API token for one of the sandbox's M2M clients. */
export async function managementToken(
  info: SandboxInfo,
  client: 'm2m' | 'm2mLimited' = 'm2m',
): Promise<string> {
  const { status, body } = await clientCredentials(info, info[client]);
  if (status !== 200)
    throw new Error(`client credentials failed: ${status} ${JSON.stringify(body)}`);
  return body.access_token as string;
}

export async function getUser(
  info: SandboxInfo,
  id: string,
  token: string | undefined,
  query = '',
): Promise<Response> {
  return fetch(`${info.domain}/api/v2/users/${encodeURIComponent(id)}${query}`, {
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
}

export interface IdentityEntry {
  provider: string;
  connection: string;
  user_id: string;
  isSocial: boolean;
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
  profileData?: Record<string, unknown>;
}

/** The current IdP access token Auth0 stored for a user's connection (needs `read:user_idp_tokens`). */
export async function idpToken(
  info: SandboxInfo,
  userId: string,
  connection: string,
): Promise<IdentityEntry> {
  const response = await getUser(info, userId, await managementToken(info), '?fields=identities');
  const { identities } = (await response.json()) as { identities: IdentityEntry[] };
  const identity = identities.find((candidate) => candidate.connection === connection);
  if (!identity?.access_token) throw new Error(`no ${connection} token for ${userId}`);
  return identity;
}
