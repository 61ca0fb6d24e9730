import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, DEFAULT_LIMITS, loadConfig } from '../src/index.js';
import type { BrokerConfig } from '../src/config/broker-config.js';

const BASE = {
  AUTH0_DOMAIN: 'tenant.eu.auth0.com',
  AUTH0_M2M_CLIENT_ID: 'broker-client',
  AUTH0_M2M_CLIENT_SECRET: 'm2m-secret-value',
  BROKER_AUDIENCE: 'https://broker.linkboard.local/',
  PORT: '0',
};

/** The Management API settings of a `management` configuration (the default source). */
function managementOf(config: BrokerConfig) {
  expect(config.tokenSource.kind).toBe('management');
  if (config.tokenSource.kind !== 'management') throw new Error('not management');
  return config.tokenSource;
}

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('configuration accepted');
}

describe('loadConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'broker-config-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads the /metrics bearer token from BROKER_METRICS_TOKEN or its file, refusing a short one', () => {
    expect(loadConfig(BASE).metricsToken).toBeUndefined();
    const file = join(dir, 'metrics-token');
    writeFileSync(file, 'a-metrics-token-from-a-file\n');
    expect(loadConfig({ ...BASE, BROKER_METRICS_TOKEN_FILE: file }).metricsToken).toBe(
      'a-metrics-token-from-a-file',
    );
    expect(problemsOf({ ...BASE, BROKER_METRICS_TOKEN: 'short' })).toEqual([
      'BROKER_METRICS_TOKEN: use at least 16 characters (a random value)',
    ]);
  });

  it('needs BROKER_CACHE_KEY (or its file) with REDIS_URL, and reads previous keys after the first', () => {
    const redis = { ...BASE, REDIS_URL: 'redis://127.0.0.1:6379' };
    expect(problemsOf(redis)).toEqual([
      'BROKER_CACHE_KEY (or BROKER_CACHE_KEY_FILE) is missing: with REDIS_URL the broker seals ' +
        'cached provider tokens before they reach Redis (make a key with: openssl rand -base64 32)',
    ]);
    const current = Buffer.alloc(32, 1).toString('base64');
    const previous = Buffer.alloc(32, 2).toString('base64');
    const file = join(dir, 'cache-key');
    writeFileSync(file, `${current}\n${previous}\n`);
    const keys = loadConfig({ ...redis, BROKER_CACHE_KEY_FILE: file }).cacheKeys ?? [];
    expect(keys.map((key) => key.key.toString('base64'))).toEqual([current, previous]);
    expect(problemsOf({ ...redis, BROKER_CACHE_KEY: 'too-short' })).toEqual([
      'BROKER_CACHE_KEY: key 1 is not 32 bytes in base64 (make one with: openssl rand -base64 32)',
    ]);
    expect(problemsOf({ ...redis, BROKER_CACHE_KEY_FILE: join(dir, 'absent') })).toEqual([
      'BROKER_CACHE_KEY_FILE: cannot read the file (ENOENT)',
    ]);
    // Without Redis nothing leaves the process: no key needed.
    expect(loadConfig(BASE).cacheKeys).toBeUndefined();
  });

  it('reads the public URL and the trusted proxies, refusing what would let a client choose the host', () => {
    expect(loadConfig(BASE).publicUrl).toBeUndefined();
    expect(loadConfig(BASE).trustProxy).toBeUndefined();
    expect(
      loadConfig({ ...BASE, BROKER_PUBLIC_URL: 'https://corp.example/broker/' }).publicUrl,
    ).toBe('https://corp.example/broker');
    expect(loadConfig({ ...BASE, BROKER_PUBLIC_URL: 'http://127.0.0.1:8080' }).publicUrl).toBe(
      'http://127.0.0.1:8080',
    );
    expect(problemsOf({ ...BASE, BROKER_PUBLIC_URL: 'http://broker.example.com' })).toEqual([
      'BROKER_PUBLIC_URL: use https (plain http only for a loopback host)',
    ]);
    expect(problemsOf({ ...BASE, BROKER_PUBLIC_URL: 'https://u:p@broker.example.com' })).toEqual([
      'BROKER_PUBLIC_URL: give an origin and an optional path, without query or credentials',
    ]);
    expect(problemsOf({ ...BASE, BROKER_PUBLIC_URL: 'broker' })).toHaveLength(1);
    expect(
      loadConfig({ ...BASE, BROKER_TRUST_PROXY: 'loopback, 10.0.0.0/8,192.168.1.7' }).trustProxy,
    ).toEqual(['loopback', '10.0.0.0/8', '192.168.1.7']);
    for (const everyone of ['true', '*', '2', 'loopback,true']) {
      expect(problemsOf({ ...BASE, BROKER_TRUST_PROXY: everyone }), everyone).toHaveLength(1);
    }
    expect(problemsOf({ ...BASE, BROKER_TRUST_PROXY: 'not-an-address' })[0]).toMatch(
      /^BROKER_TRUST_PROXY: /,
    );
  });

  it('lists every missing variable at once', () => {
    const problems = problemsOf({});
    expect(problems.join('\n')).toMatch(/AUTH0_DOMAIN/);
    expect(problems.join('\n')).toMatch(/AUTH0_M2M_CLIENT_ID/);
    expect(problems.join('\n')).toMatch(/AUTH0_M2M_CLIENT_SECRET/);
    expect(problems.join('\n')).toMatch(/BROKER_AUDIENCE/);
    expect(problems.join('\n')).toMatch(/PORT/);
    expect(problems).toHaveLength(5);
  });

  it('reads every limit from its BROKER_ variable, refusing anything but a whole number', () => {
    const config = loadConfig(
      { ...BASE, BROKER_JWKS_MAX_STALE_MS: '3600000', BROKER_UPSTREAM_RETRIES: '0' },
      { jwksCooldownMs: 5 },
    );
    expect(config.limits).toMatchObject({
      jwksMaxStaleMs: 3_600_000,
      upstreamRetries: 0,
      jwksCooldownMs: 5,
      jwksRefreshAfterMs: DEFAULT_LIMITS.jwksRefreshAfterMs,
    });
    for (const bad of ['-1', '1.5', '1e3', 'soon', ' ']) {
      expect(problemsOf({ ...BASE, BROKER_JWKS_MAX_STALE_MS: bad }).join('\n')).toMatch(
        /^BROKER_JWKS_MAX_STALE_MS: .* is not a whole number$/,
      );
    }
  });

  it('takes a bare host as https and derives issuer and Management audience', () => {
    const config = loadConfig(BASE);
    expect(config.auth0Origin).toBe('https://tenant.eu.auth0.com');
    expect(config.issuer).toBe('https://tenant.eu.auth0.com/');
    expect(managementOf(config).managementAudience).toBe('https://tenant.eu.auth0.com/api/v2/');
    expect(config.host).toBe('127.0.0.1');
    expect(config.catalogue.map((p) => p.connection)).toEqual([
      'github',
      'google-oauth2',
      'windowslive',
      'bitbucket',
    ]);
  });

  it('sends the client-credentials grant and Get User to AUTH0_MANAGEMENT_DOMAIN when set', () => {
    const config = loadConfig({
      ...BASE,
      AUTH0_DOMAIN: 'login.example.com',
      AUTH0_MANAGEMENT_DOMAIN: 'tenant.eu.auth0.com',
    });
    expect(config.issuer).toBe('https://login.example.com/');
    expect(managementOf(config).managementOrigin).toBe('https://tenant.eu.auth0.com');
    expect(managementOf(config).managementAudience).toBe('https://tenant.eu.auth0.com/api/v2/');
    expect(problemsOf({ ...BASE, AUTH0_MANAGEMENT_DOMAIN: 'http://tenant.example' })[0]).toMatch(
      /^AUTH0_MANAGEMENT_DOMAIN: plain http/,
    );
  });

  it('takes a full loopback origin for the sandbox and refuses plain http elsewhere', () => {
    expect(loadConfig({ ...BASE, AUTH0_DOMAIN: 'http://127.0.0.1:4567' }).issuer).toBe(
      'http://127.0.0.1:4567/',
    );
    expect(problemsOf({ ...BASE, AUTH0_DOMAIN: 'http://tenant.example' })[0]).toMatch(/loopback/);
    expect(problemsOf({ ...BASE, AUTH0_DOMAIN: 'https://tenant.example/path' })[0]).toMatch(
      /without a path/,
    );
  });

  it('reads the secret from a file and refuses both forms at once', () => {
    const file = join(dir, 'secret');
    writeFileSync(file, 'from-file\n');
    const { AUTH0_M2M_CLIENT_SECRET: _omit, ...withoutSecret } = BASE;
    expect(
      managementOf(loadConfig({ ...withoutSecret, AUTH0_M2M_CLIENT_SECRET_FILE: file }))
        .m2mClientSecret,
    ).toBe('from-file');
    expect(problemsOf({ ...BASE, AUTH0_M2M_CLIENT_SECRET_FILE: file })[0]).toMatch(/both set/);
    expect(
      problemsOf({ ...withoutSecret, AUTH0_M2M_CLIENT_SECRET_FILE: join(dir, 'missing') })[0],
    ).toMatch(/ENOENT/);
  });

  it('never puts a secret value in its messages', () => {
    const error = (() => {
      try {
        loadConfig({ ...BASE, PORT: 'x', LOG_LEVEL: 'loud' });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error?.message).not.toContain('m2m-secret-value');
    expect((error as ConfigError).problems).toHaveLength(2);
  });

  it('applies provider URL overrides, per variable or as one JSON object, the variable winning', () => {
    const config = loadConfig({
      ...BASE,
      PROVIDER_BASE_URLS: JSON.stringify({
        github: 'http://127.0.0.1:1/_idp/github',
        windowslive: 'http://127.0.0.1:1/_idp/windowslive',
      }),
      PROVIDER_BASE_URL_GITHUB: 'http://127.0.0.1:2/_idp/github',
      PROVIDER_TOKEN_URL_GOOGLE_OAUTH2: 'http://127.0.0.1:1/_idp/google-oauth2/token',
    });
    const byConnection = Object.fromEntries(config.catalogue.map((p) => [p.connection, p]));
    expect(byConnection.github?.apiBaseUrl).toBe('http://127.0.0.1:2/_idp/github');
    expect(byConnection.windowslive?.apiBaseUrl).toBe('http://127.0.0.1:1/_idp/windowslive');
    expect(byConnection['google-oauth2']?.apiBaseUrl).toBe('https://www.googleapis.com');
    expect(byConnection['google-oauth2']?.tokenUrl).toBe(
      'http://127.0.0.1:1/_idp/google-oauth2/token',
    );
  });

  it('refuses overrides for unknown connections and bad URLs', () => {
    const problems = problemsOf({
      ...BASE,
      PROVIDER_BASE_URLS: '{"gitlab":"http://127.0.0.1:1"}',
      PROVIDER_BASE_URL_GITHUB: 'javascript:alert(1)',
    });
    expect(problems.join('\n')).toMatch(/gitlab/);
    expect(problems.join('\n')).toMatch(/PROVIDER_BASE_URL_GITHUB/);
    expect(problemsOf({ ...BASE, PROVIDER_BASE_URLS: '{' })[0]).toMatch(/JSON/);
  });

  it('reads IdP refresh credentials per connection, both halves required', () => {
    const config = loadConfig({
      ...BASE,
      IDP_GOOGLE_OAUTH2_CLIENT_ID: 'gid',
      IDP_GOOGLE_OAUTH2_CLIENT_SECRET: 'gsecret',
    });
    expect(config.idpClients['google-oauth2']).toEqual({
      clientId: 'gid',
      clientSecret: 'gsecret',
    });
    expect(problemsOf({ ...BASE, IDP_GOOGLE_OAUTH2_CLIENT_ID: 'gid' })[0]).toMatch(/together/);
  });

  it('needs only the Token Vault client in token-vault mode and ignores Management settings', () => {
    const vault = {
      AUTH0_DOMAIN: 'tenant.eu.auth0.com',
      BROKER_AUDIENCE: 'https://broker.linkboard.local/',
      PORT: '0',
      TOKEN_SOURCE: 'token-vault',
      AUTH0_TOKEN_VAULT_CLIENT_ID: 'broker-api-client',
      AUTH0_TOKEN_VAULT_CLIENT_SECRET: 'vault-secret-value',
    };
    expect(loadConfig(vault).tokenSource).toEqual({
      kind: 'token-vault',
      tokenUrl: 'https://tenant.eu.auth0.com/oauth/token',
      clientId: 'broker-api-client',
      clientSecret: 'vault-secret-value',
    });
    // Management settings present are not used: not validated, not kept.
    const withManagement = loadConfig({
      ...vault,
      AUTH0_M2M_CLIENT_ID: 'broker-client',
      AUTH0_MANAGEMENT_DOMAIN: 'http://not-checked.example',
    });
    expect(JSON.stringify(withManagement)).not.toMatch(/broker-client|not-checked/);

    const missing = problemsOf({ ...vault, AUTH0_TOKEN_VAULT_CLIENT_ID: '' }).join('\n');
    expect(missing).toMatch(/^AUTH0_TOKEN_VAULT_CLIENT_ID is missing .*no Management API/);
    expect(missing).not.toMatch(/M2M/);
    expect(problemsOf({ ...vault, AUTH0_TOKEN_VAULT_CLIENT_SECRET: '' })).toEqual([
      'AUTH0_TOKEN_VAULT_CLIENT_SECRET (or AUTH0_TOKEN_VAULT_CLIENT_SECRET_FILE) is missing',
    ]);
    expect(problemsOf({ ...BASE, TOKEN_SOURCE: 'vault' })).toEqual([
      'TOKEN_SOURCE: "vault" is not one of management, token-vault',
    ]);
    expect(managementOf(loadConfig(BASE)).m2mClientId).toBe('broker-client');
  });
});
