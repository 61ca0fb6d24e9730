import { connectionEnvName } from '@linkboard/broker';
import type { SandboxInfo } from '@linkboard/sandbox/start-line';

/**
 * The broker's environment for a sandbox tenant: its domain and M2M client, every emulated IdP
 * base URL (one `PROVIDER_BASE_URLS` JSON object), the emulated token endpoints of the providers
 * that refresh (`PROVIDER_TOKEN_URLS`) and the OAuth clients the broker refreshes with. `extra`
 * wins. With `TOKEN_SOURCE: 'token-vault'` in `extra` the broker gets the sandbox's Token Vault
 * client instead of the M2M client, and no Management API settings at all
 * (docs/architecture.md#provider-token-sources).
 */
export function brokerEnvFromSandbox(
  info: Pick<SandboxInfo, 'domain' | 'brokerAudience' | 'm2m' | 'idpBaseUrls'> &
    Partial<Pick<SandboxInfo, 'idpClients' | 'idpTokenUrls' | 'tokenVault'>>,
  extra: Record<string, string> = {},
): Record<string, string> {
  const vault = extra.TOKEN_SOURCE === 'token-vault';
  if (vault && !info.tokenVault) throw new Error('this sandbox names no Token Vault client');
  const env: Record<string, string> = {
    AUTH0_DOMAIN: info.domain,
    ...(vault && info.tokenVault
      ? {
          AUTH0_TOKEN_VAULT_CLIENT_ID: info.tokenVault.clientId,
          AUTH0_TOKEN_VAULT_CLIENT_SECRET: info.tokenVault.clientSecret,
        }
      : {
          AUTH0_M2M_CLIENT_ID: info.m2m.clientId,
          AUTH0_M2M_CLIENT_SECRET: info.m2m.clientSecret,
        }),
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
