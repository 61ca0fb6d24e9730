import type { SandboxInfo } from '@linkboard/sandbox/start-line';
import { clientCredentialsToken } from '@linkboard/testing/client-credentials';
import type { Secret } from './leak-scanner.js';
import { issuedIdpTokens } from './sandbox-probe.js';

interface ManagementIdentity {
  connection?: string;
  access_token?: string;
  refresh_token?: string;
}

function managementToken(info: SandboxInfo): Promise<string> {
  return clientCredentialsToken({
    domain: info.domain,
    ...info.m2m,
    audience: info.managementAudience,
  });
}

/** One linked identity's IdP tokens, as the Management API gives them to the broker. */
export interface IdpTokens {
  username: string;
  connection: string;
  accessToken: string | null;
  refreshToken: string | null;
}

/** Every seeded user's IdP tokens, read the way the broker reads them (M2M token, then the user). */
export async function readIdpTokens(info: SandboxInfo, token?: string): Promise<IdpTokens[]> {
  const bearer = token ?? (await managementToken(info));
  const all: IdpTokens[] = [];
  for (const user of info.users) {
    const response = await fetch(`${info.domain}/api/v2/users/${encodeURIComponent(user.id)}`, {
      headers: { authorization: `Bearer ${bearer}` },
      signal: AbortSignal.timeout(10_000),
    });
    if (!response.ok) throw new Error(`sandbox user ${user.username}: HTTP ${response.status}`);
    const body = (await response.json()) as { identities?: ManagementIdentity[] };
    for (const identity of body.identities ?? []) {
      all.push({
        username: user.username,
        connection: identity.connection ?? '?',
        accessToken: identity.access_token ?? null,
        refreshToken: identity.refresh_token ?? null,
      });
    }
  }
  return all;
}

/** One user's IdP access token at one connection (for the test's own calls to the sandbox). */
export async function idpAccessToken(
  info: SandboxInfo,
  username: string,
  connection: string,
): Promise<string> {
  const found = (await readIdpTokens(info)).find(
    (t) => t.username === username && t.connection === connection,
  );
  if (!found?.accessToken)
    throw new Error(`the sandbox has no ${connection} token for ${username}`);
  return found.accessToken;
}

/**
 * Everything that must never reach the desktop side of this sandbox run: every seeded user's IdP
 * access and refresh tokens (from the Management API, with the M2M credentials), every IdP token
 * the sandbox issued so far (`/_sandbox/idp-tokens`: also those the Management API never hands out,
 * like a Google token the broker refreshed, or a connected account's Token Vault tokens), the M2M
 * and Token Vault client secrets, each provider's client secret and a Management API token. Call it at
 * the end of a run to cover every token issued during it.
 */
export async function secretsOfSandbox(info: SandboxInfo): Promise<Secret[]> {
  const token = await managementToken(info);
  const secrets: Secret[] = [
    { name: 'M2M client secret', value: info.m2m.clientSecret },
    { name: 'limited M2M client secret', value: info.m2mLimited.clientSecret },
    { name: 'Token Vault client secret', value: info.tokenVault.clientSecret },
    ...Object.entries(info.idpClients).map(([connection, client]) => ({
      name: `${connection} client secret`,
      value: client.clientSecret,
    })),
    { name: 'Management API token', value: token },
  ];
  for (const tokens of await readIdpTokens(info, token)) {
    const where = `${tokens.username} ${tokens.connection}`;
    if (tokens.accessToken) {
      secrets.push({ name: `${where} IdP access token`, value: tokens.accessToken });
    }
    if (tokens.refreshToken) {
      secrets.push({ name: `${where} IdP refresh token`, value: tokens.refreshToken });
    }
  }
  for (const issued of await issuedIdpTokens(info)) {
    if (secrets.some((known) => known.value === issued.value)) continue;
    secrets.push({
      name: `${issued.userId} ${issued.connection} IdP ${issued.kind.replace('_', ' ')} (${issued.source})`,
      value: issued.value,
    });
  }
  return secrets;
}
