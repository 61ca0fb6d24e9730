import { readFileSync } from 'node:fs';
import { loadCatalogue } from '../catalogue/load-catalogue.js';
import { parseCacheKeys, type CacheKey } from '../cache/value-sealer.js';
import { compileCatalogue } from '../catalogue/compiled-provider.js';
import {
  DEFAULT_LIMITS,
  type BrokerConfig,
  type BrokerLimits,
  type IdpClientCredentials,
  type TokenSourceConfig,
} from './broker-config.js';
import { limitsFromEnv } from './limit-variables.js';
import { readConnectionPorts, readPublicUrl, readTrustProxy } from './public-url-variables.js';

/** Thrown by `loadConfig`: `problems` lists every missing or bad variable, one per line. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Broker configuration is not usable:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** `google-oauth2` → `GOOGLE_OAUTH2`: how a connection name appears in variable names. */
export function connectionEnvName(connection: string): string {
  return connection.toUpperCase().replace(/[^A-Z0-9]/g, '_');
}

/** `AUTH0_DOMAIN`: a bare host means https; a full origin is taken as is (no path allowed). */
function parseAuth0Domain(
  value: string,
  problems: string[],
  name = 'AUTH0_DOMAIN',
): string | undefined {
  const text = /^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? value : `https://${value}`;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    problems.push(`${name}: "${value}" is neither a host name nor an origin`);
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    problems.push(`${name}: only https (or http for a local tenant) is allowed`);
    return undefined;
  }
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    problems.push(`${name}: plain http is only allowed for a loopback tenant`);
    return undefined;
  }
  if ((url.pathname !== '/' && url.pathname !== '') || url.search || url.hash || url.username) {
    problems.push(`${name}: give a host or an origin, without a path, query or credentials`);
    return undefined;
  }
  return url.origin;
}

function isLoopbackHost(hostname: string): boolean {
  return hostname === '127.0.0.1' || hostname === '[::1]' || hostname === 'localhost';
}

/** A secret from `NAME` or from the file named by `NAME_FILE` (not both). */
function readSecret(env: Env, name: string, problems: string[], required: boolean) {
  const direct = env[name];
  const file = env[`${name}_FILE`];
  if (direct && file) {
    problems.push(`${name} and ${name}_FILE are both set: use one`);
    return undefined;
  }
  if (file) {
    try {
      const value = readFileSync(file, 'utf8').trim();
      if (!value) problems.push(`${name}_FILE: the file is empty`);
      return value || undefined;
    } catch (error) {
      problems.push(
        `${name}_FILE: cannot read the file (${(error as NodeJS.ErrnoException).code})`,
      );
      return undefined;
    }
  }
  if (!direct && required) problems.push(`${name} (or ${name}_FILE) is missing`);
  return direct || undefined;
}

function parseUrlMap(env: Env, name: string, problems: string[]): Record<string, string> {
  const text = env[name];
  if (!text) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    problems.push(`${name}: not valid JSON (expected {"connection": "https://..."})`);
    return {};
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push(`${name}: expected a JSON object of connection → URL`);
    return {};
  }
  const result: Record<string, string> = {};
  for (const [connection, url] of Object.entries(value)) {
    if (typeof url !== 'string' || !isHttpUrl(url)) {
      problems.push(`${name}: "${connection}" must map to an http(s) URL`);
    } else result[connection] = url;
  }
  return result;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'https:' || url.protocol === 'http:';
  } catch {
    return false;
  }
}

function parsePort(value: string | undefined, problems: string[]): number {
  if (value === undefined || value === '') {
    problems.push('PORT is missing (0 picks a free port)');
    return 0;
  }
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    problems.push(`PORT: "${value}" is not a port number`);
    return 0;
  }
  return port;
}

/**
 * `BROKER_CACHE_KEY` (or `_FILE`): required with `REDIS_URL`, since cached provider tokens then
 * leave the process; optional (and unused) without.
 */
function readCacheKeys(
  env: Env,
  redisUrl: string | undefined,
  problems: string[],
): CacheKey[] | undefined {
  const known = problems.length;
  const text = readSecret(env, 'BROKER_CACHE_KEY', problems, false);
  if (text === undefined) {
    // An unreadable key file is already reported.
    if (redisUrl && problems.length === known) {
      problems.push(
        'BROKER_CACHE_KEY (or BROKER_CACHE_KEY_FILE) is missing: with REDIS_URL the broker seals ' +
          'cached provider tokens before they reach Redis (make a key with: openssl rand -base64 32)',
      );
    }
    return undefined;
  }
  const keys = parseCacheKeys(text);
  if (typeof keys === 'string') {
    problems.push(`BROKER_CACHE_KEY: ${keys}`);
    return undefined;
  }
  return keys;
}

const TOKEN_SOURCES = ['management', 'token-vault'] as const;

/**
 * `TOKEN_SOURCE` and the settings of that source only: the Management API's variables are neither
 * required nor read in `token-vault` mode, and the Token Vault client's not in `management` mode.
 */
function readTokenSource(
  env: Env,
  auth0Origin: string | undefined,
  problems: string[],
): TokenSourceConfig | undefined {
  const kind = env.TOKEN_SOURCE || 'management';
  if (kind === 'token-vault') {
    const clientId = env.AUTH0_TOKEN_VAULT_CLIENT_ID;
    if (!clientId) {
      problems.push(
        'AUTH0_TOKEN_VAULT_CLIENT_ID is missing (TOKEN_SOURCE=token-vault needs the broker ' +
          "API's own client, allowed the Token Vault grant; no Management API settings are used)",
      );
    }
    const clientSecret = readSecret(env, 'AUTH0_TOKEN_VAULT_CLIENT_SECRET', problems, true);
    if (!auth0Origin || !clientId || !clientSecret) return undefined;
    return { kind, tokenUrl: `${auth0Origin}/oauth/token`, clientId, clientSecret };
  }
  if (kind !== 'management') {
    problems.push(`TOKEN_SOURCE: "${kind}" is not one of ${TOKEN_SOURCES.join(', ')}`);
    return undefined;
  }
  const managementDomain = env.AUTH0_MANAGEMENT_DOMAIN;
  const managementOrigin = managementDomain
    ? parseAuth0Domain(managementDomain, problems, 'AUTH0_MANAGEMENT_DOMAIN')
    : auth0Origin;
  const m2mClientId = env.AUTH0_M2M_CLIENT_ID;
  if (!m2mClientId) problems.push('AUTH0_M2M_CLIENT_ID is missing');
  const m2mClientSecret = readSecret(env, 'AUTH0_M2M_CLIENT_SECRET', problems, true);
  if (!managementOrigin || !m2mClientId || !m2mClientSecret) return undefined;
  return {
    kind,
    managementOrigin,
    managementAudience: `${managementOrigin}/api/v2/`,
    m2mClientId,
    m2mClientSecret,
  };
}

/**
 * Reads and checks the broker's configuration. Throws a `ConfigError` listing every problem
 * at once, so an operator fixes them in one go.
 *
 * Provider URLs: `PROVIDER_BASE_URL_<CONN>` / `PROVIDER_TOKEN_URL_<CONN>` per connection, or one
 * JSON object `PROVIDER_BASE_URLS` / `PROVIDER_TOKEN_URLS` (connection → URL); the per-connection
 * variable wins. IdP refresh credentials: `IDP_<CONN>_CLIENT_ID` with `IDP_<CONN>_CLIENT_SECRET`
 * or `IDP_<CONN>_CLIENT_SECRET_FILE`. `<CONN>` is the connection name upper-cased with `-` → `_`.
 */
export function loadConfig(env: Env, limits: Partial<BrokerLimits> = {}): BrokerConfig {
  const problems: string[] = [];

  const domain = env.AUTH0_DOMAIN;
  if (!domain) problems.push('AUTH0_DOMAIN is missing (a host such as tenant.eu.auth0.com)');
  const auth0Origin = domain ? parseAuth0Domain(domain, problems) : undefined;

  const tokenSource = readTokenSource(env, auth0Origin, problems);

  const brokerAudience = env.BROKER_AUDIENCE;
  if (!brokerAudience) problems.push('BROKER_AUDIENCE is missing (the API identifier in Auth0)');

  const port = parsePort(env.PORT, problems);
  const host = env.HOST || '127.0.0.1';

  const redisUrl = env.REDIS_URL || undefined;
  if (redisUrl && !/^rediss?:\/\//.test(redisUrl)) {
    problems.push('REDIS_URL: expected redis://… or rediss://…');
  }

  const cacheKeys = readCacheKeys(env, redisUrl, problems);

  const logLevel = (env.LOG_LEVEL || 'info') as BrokerConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    problems.push(`LOG_LEVEL: "${env.LOG_LEVEL}" is not one of ${LOG_LEVELS.join(', ')}`);
  }

  const envLimits = limitsFromEnv(env, problems);

  const apiBaseUrls = parseUrlMap(env, 'PROVIDER_BASE_URLS', problems);
  const tokenUrls = parseUrlMap(env, 'PROVIDER_TOKEN_URLS', problems);
  const { catalogue: baseCatalogue } = loadCatalogue();
  const idpClients: Record<string, IdpClientCredentials> = {};
  for (const { connection } of baseCatalogue) {
    const envName = connectionEnvName(connection);
    for (const [kind, target] of [
      ['BASE', apiBaseUrls],
      ['TOKEN', tokenUrls],
    ] as const) {
      const name = `PROVIDER_${kind}_URL_${envName}`;
      const value = env[name];
      if (!value) continue;
      if (isHttpUrl(value)) target[connection] = value;
      else problems.push(`${name}: "${value}" is not an http(s) URL`);
    }
    const clientId = env[`IDP_${envName}_CLIENT_ID`];
    const clientSecret = readSecret(env, `IDP_${envName}_CLIENT_SECRET`, problems, false);
    if (clientId && clientSecret) idpClients[connection] = { clientId, clientSecret };
    else if (clientId || clientSecret) {
      problems.push(
        `IDP_${envName}_CLIENT_ID and IDP_${envName}_CLIENT_SECRET must be set together`,
      );
    }
  }
  const metricsToken = readSecret(env, 'BROKER_METRICS_TOKEN', problems, false);
  if (metricsToken !== undefined && metricsToken.length < 16) {
    problems.push('BROKER_METRICS_TOKEN: use at least 16 characters (a random value)');
  }
  const publicUrl = readPublicUrl(env.BROKER_PUBLIC_URL, 'BROKER_PUBLIC_URL', problems);
  const trustProxy = readTrustProxy(env, problems);
  const connectionPorts = readConnectionPorts(
    env,
    baseCatalogue.map((entry) => entry.connection),
    problems,
  );
  const { catalogue, problems: catalogueProblems } = loadCatalogue({ apiBaseUrls, tokenUrls });
  problems.push(...catalogueProblems);
  try {
    compileCatalogue(catalogue);
  } catch (error) {
    problems.push((error as Error).message);
  }

  if (problems.length > 0 || !auth0Origin || !tokenSource || !brokerAudience) {
    throw new ConfigError(problems);
  }
  return {
    auth0Origin,
    issuer: `${auth0Origin}/`,
    tokenSource,
    brokerAudience,
    host,
    port,
    redisUrl,
    cacheKeys,
    logLevel,
    catalogue,
    idpClients,
    ...(metricsToken ? { metricsToken } : {}),
    ...(publicUrl ? { publicUrl } : {}),
    ...(trustProxy ? { trustProxy } : {}),
    ...(connectionPorts ? { connectionPorts } : {}),
    limits: { ...DEFAULT_LIMITS, ...envLimits, ...limits },
  };
}
