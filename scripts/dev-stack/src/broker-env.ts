import { connectionEnvName } from '@linkboard/broker';
import type { SandboxInfo } from '@linkboard/sandbox/start-line';

/**
 * The broker's environment for a sandbox tenant: its domain and M2M client, every emulated IdP
 * base URL (one `PROVIDER_BASE_URLS` JSON object), Google's emulated token endpoint
 * (`{google base}/token`) and the Google client the broker refreshes with. `extra` wins.
 */
export function brokerEnvFromSandbox(
  info: Pick<SandboxInfo, 'domain' | 'brokerAudience' | 'm2m' | 'idpBaseUrls'> &
    Partial<Pick<SandboxInfo, 'google'>>,
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
  const google = info.idpBaseUrls['google-oauth2'];
  if (google) {
    env.PROVIDER_TOKEN_URLS = JSON.stringify({ 'google-oauth2': `${google}/token` });
  }
  if (info.google) {
    const name = connectionEnvName('google-oauth2');
    env[`IDP_${name}_CLIENT_ID`] = info.google.clientId;
    env[`IDP_${name}_CLIENT_SECRET`] = info.google.clientSecret;
  }
  return { ...env, ...extra };
}
