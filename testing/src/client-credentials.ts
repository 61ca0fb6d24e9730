/** What a machine-to-machine client sends to a tenant's token endpoint. */
export interface ClientCredentialsGrant {
  /** The tenant's origin, e.g. the sandbox's `http://127.0.0.1:N`. */
  domain: string;
  clientId: string;
  clientSecret: string;
  audience: string;
}

/**
 * An access token from the tenant's client-credentials grant (`POST {domain}/oauth/token`), as the
 * broker gets its Management API token; suites use it to read what the broker reads. A refusal
 * throws, naming the client and the status, so a setup failure does not look like a test failure.
 */
export async function clientCredentialsToken(grant: ClientCredentialsGrant): Promise<string> {
  const response = await fetch(new URL('/oauth/token', grant.domain), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: grant.clientId,
      client_secret: grant.clientSecret,
      audience: grant.audience,
    }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) {
    throw new Error(`client-credentials grant for ${grant.clientId}: HTTP ${response.status}`);
  }
  const body = (await response.json()) as { access_token?: unknown };
  if (typeof body.access_token !== 'string') {
    throw new Error(`client-credentials grant for ${grant.clientId}: no access_token`);
  }
  return body.access_token;
}
