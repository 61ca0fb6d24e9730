import { connectionEnvName } from '@linkboard/broker';
import type { SandboxInfo } from '@linkboard/sandbox/start-line';

/**
 * The broker's environment for a sandbox tenant: its domain and M2M client, every emulated IdP
 * base URL (one `PROVIDER_BASE_URLS` JSON object), the emulated token endpoints of the providers
 * that refresh (`PROVIDER_TOKEN_URLS`) and the OAuth clients the broker refreshes with. `extra`
 * wins.
 */
export function brokerEnvFromSandbox(
  info: Pick<SandboxInfo, 'domain' | 'brokerAudience' | 'm2m' | 'idpBaseUrls'> &
    Partial<Pick<SandboxInfo, 'idpClients' | 'idpTokenUrls'>>,
  extra: Record<string, string> = {},
): Record<string, string> {
  const env: Record<string, string> = {
    AUTH0_DOMAIN: info.domain,
    AUTH0_M2M_CLIENT_ID: info.m2m.clientId,
    AUTH0_M2M_CLIENT_SECRET: info.m2m.clientSecret,
    BROKER_AUDIENCE: info.brokerAudience,
    PORT: '0',
    HOST: '127.0.0.1',
    PROVIDER_BASE_URLS: JSON.stringify(info.idpBaseUrls),
  };
  if (info.idpTokenUrls && Object.keys(info.idpTokenUrls).length > 0) {
    env.PROVIDER_TOKEN_URLS = JSON.stringify(info.idpTokenUrls);
  }
  for (const [connection, client] of Object.entries(info.idpClients ?? {})) {
    const name = connectionEnvName(connection);
    env[`IDP_${name}_CLIENT_ID`] = client.clientId;
    env[`IDP_${name}_CLIENT_SECRET`] = client.clientSecret;
  }
  return { ...env, ...extra };
}
