import { createPublicKey } from 'node:crypto';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAccessTokenVerifier,
  type AccessTokenVerifier,
} from '../src/auth/verify-access-token.js';
import { TenantKeySet } from '../src/auth/tenant-key-set.js';
import { TokenRefusal } from '../src/errors/token-refusal.js';
import { noRetryClient } from './support/no-retry-client.js';
import { sendJson, startLocalServer, type LocalServer } from './support/local-server.js';
import {
  base64url,
  makeKey,
  signAccessToken,
  unsignedToken,
  type TestKey,
} from './support/token-factory.js';

const AUDIENCE = 'https://broker.linkboard.local/';

describe('access token verification', () => {
  let tenantKey: TestKey;
  let otherKey: TestKey;
  let tenant: LocalServer;
  let attacker: LocalServer;
  let issuer: string;
  let verifier: AccessTokenVerifier;
  const client = noRetryClient();

  beforeAll(async () => {
    tenantKey = await makeKey('tenant-key');
    otherKey = await makeKey('attacker-key');
    tenant = await startLocalServer((_req, res) =>
      sendJson(res, 200, { keys: [tenantKey.publicJwk] }),
    );
    attacker = await startLocalServer((_req, res) =>
      sendJson(res, 200, { keys: [otherKey.publicJwk] }),
    );
    issuer = `${tenant.url}/`;
    verifier = createAccessTokenVerifier({
      issuer,
      audience: AUDIENCE,
      keys: new TenantKeySet({
        url: new URL('/.well-known/jwks.json', tenant.url),
        client,
        refreshAfterMs: 600_000,
        maxStaleMs: 24 * 3600_000,
        cooldownMs: 60_000,
        failureCooldownMs: 5000,
        now: Date.now,
      }),
      maxTokenLength: 8192,
      clockToleranceSeconds: 5,
    });
  });
  afterAll(async () => {
    await client.close();
    await tenant.close();
    await attacker.close();
  });

  const valid = (options: Partial<Parameters<typeof signAccessToken>[1]> = {}, key = tenantKey) =>
    signAccessToken(key, { issuer, audience: AUDIENCE, ...options });

  /** Claims of a valid token for alice, to put in tokens signed wrongly or not at all. */
  const aliceClaims = () => {
    const now = Math.floor(Date.now() / 1000);
    return {
      iss: issuer,
      aud: AUDIENCE,
      sub: 'auth0|alice',
      iat: now,
      exp: now + 60,
      scope: 'read:linked_accounts',
    };
  };

  /** `code/reason` of the refusal: the problem code callers see and the check that failed. */
  async function refusal(token: string | undefined, header = token && `Bearer ${token}`) {
    try {
      await verifier.verify(header);
    } catch (error) {
      expect(error).toBeInstanceOf(TokenRefusal);
      return `${(error as TokenRefusal).code}/${(error as TokenRefusal).reason}`;
    }
    throw new Error('the token was accepted');
  }

  it('accepts a tenant access token and gives the verified subject', async () => {
    const bob = await valid({ sub: 'auth0|bob' });
    await expect(verifier.verify(`Bearer ${bob}`)).resolves.toEqual({
      userId: 'auth0|bob',
      accessToken: bob,
    });
  });

  it('remembers a verified token only until it expires', async () => {
    const shortLived = await valid({ sub: 'auth0|dave', expiresInSeconds: -3 });
    // Within tolerance now, and verified once; a repeat is served from the cache.
    await expect(verifier.verify(`Bearer ${shortLived}`)).resolves.toEqual({
      userId: 'auth0|dave',
      accessToken: shortLived,
    });
    await expect(verifier.verify(`Bearer ${shortLived}`)).resolves.toEqual({
      userId: 'auth0|dave',
      accessToken: shortLived,
    });
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect(await refusal(shortLived)).toBe('invalid_token/expired');
  });

  it('accepts an audience array that contains the broker', async () => {
    const token = await signAccessToken(tenantKey, { issuer, audience: AUDIENCE });
    const arrayAud = await new SignJWT({ scope: 'read:linked_accounts' })
      .setProtectedHeader({ alg: 'RS256', kid: tenantKey.kid, typ: 'at+jwt' })
      .setIssuer(issuer)
      .setAudience([AUDIENCE, `${issuer}userinfo`])
      .setSubject('auth0|alice')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(tenantKey.privateKey);
    await expect(verifier.verify(`Bearer ${token}`)).resolves.toEqual({
      userId: 'auth0|alice',
      accessToken: token,
    });
    await expect(verifier.verify(`Bearer ${arrayAud}`)).resolves.toEqual({
      userId: 'auth0|alice',
      accessToken: arrayAud,
    });
  });

  it('refuses a missing header, another scheme, a malformed token and a huge token', async () => {
    expect(await refusal(undefined, undefined)).toBe('invalid_token/missing');
    expect(await refusal('x', 'Basic YWxpY2U6cGFzcw==')).toBe('invalid_token/not_bearer');
    expect(await refusal('not.a-jwt')).toBe('invalid_token/not_jws');
    expect(await refusal('a.b.c')).toBe('invalid_token/header_unreadable');
    expect(await refusal('a'.repeat(9000) + '.b.c')).toBe('invalid_token/too_large');
    const jwe = 'eyJhbGciOiJSU0EtT0FFUCJ9.a.b.c.d';
    expect(await refusal(jwe)).toBe('invalid_token/not_jws');
  });

  it('refuses alg none', async () => {
    const token = unsignedToken(aliceClaims());
    expect(await refusal(token)).toBe('invalid_token/not_jws');
    // Same token with a bogus signature part.
    expect(await refusal(token + 'c2ln')).toBe('invalid_token/algorithm');
  });

  it('refuses HS256 signed with the tenant public key as the secret', async () => {
    const pem = createPublicKey({ key: tenantKey.publicJwk, format: 'jwk' }).export({
      type: 'spki',
      format: 'pem',
    });
    const token = await new SignJWT({ scope: 'read:linked_accounts' })
      .setProtectedHeader({ alg: 'HS256', kid: tenantKey.kid })
      .setIssuer(issuer)
      .setAudience(AUDIENCE)
      .setSubject('auth0|alice')
      .setIssuedAt()
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(String(pem)));
    expect(await refusal(token)).toBe('invalid_token/algorithm');
  });

  it('refuses a wrong issuer, also without the trailing slash', async () => {
    expect(await refusal(await valid({ issuer: issuer.slice(0, -1) }))).toBe(
      'invalid_token/issuer',
    );
    expect(await refusal(await valid({ issuer: 'https://evil.example/' }))).toBe(
      'invalid_token/issuer',
    );
  });

  it('refuses a wrong audience', async () => {
    expect(await refusal(await valid({ audience: `${issuer}api/v2/` }))).toBe(
      'invalid_token/audience',
    );
  });

  it('refuses expired tokens and tokens not yet valid, beyond the small tolerance', async () => {
    expect(await refusal(await valid({ expiresInSeconds: -30 }))).toBe('invalid_token/expired');
    expect(await refusal(await valid({ notBeforeSeconds: 60 }))).toBe(
      'invalid_token/not_yet_valid',
    );
    // Within the 5 s tolerance.
    const withinTolerance = await valid({ expiresInSeconds: -2 });
    await expect(verifier.verify(`Bearer ${withinTolerance}`)).resolves.toEqual({
      userId: 'auth0|alice',
      accessToken: withinTolerance,
    });
  });

  it('refuses an unknown kid, refetching the key set once and then cooling down', async () => {
    const before = tenant.requests.length;
    expect(await refusal(await valid({}, otherKey))).toBe('invalid_token/unknown_key');
    const afterFirst = tenant.requests.length;
    expect(afterFirst - before).toBeLessThanOrEqual(1);
    expect(await refusal(await valid({}, otherKey))).toBe('invalid_token/unknown_key');
    expect(await refusal(await valid({ header: { kid: 'nope' } }, otherKey))).toBe(
      'invalid_token/unknown_key',
    );
    expect(tenant.requests.length).toBe(afterFirst);
  });

  it.each(['jku', 'x5u'])('refuses a %s header and never fetches it', async (name) => {
    const token = await valid({ header: { [name]: `${attacker.url}/jwks.json` } }, otherKey);
    expect(await refusal(token)).toBe('invalid_token/key_reference');
    // Even signed by the tenant key, a token naming key material is refused.
    expect(await refusal(await valid({ header: { [name]: `${attacker.url}/jwks.json` } }))).toBe(
      'invalid_token/key_reference',
    );
    expect(attacker.requests).toHaveLength(0);
  });

  it('refuses an embedded jwk header', async () => {
    const token = await valid({ header: { jwk: otherKey.publicJwk } }, otherKey);
    expect(await refusal(token)).toBe('invalid_token/key_reference');
    expect(attacker.requests).toHaveLength(0);
  });

  it('refuses a tampered payload, also after the genuine token was verified and remembered', async () => {
    const carol = await valid({ sub: 'auth0|carol' });
    const [header, , signature] = carol.split('.');
    const payload = base64url(JSON.stringify(aliceClaims()));
    const tampered = `${header}.${payload}.${signature}`;
    expect(await refusal(tampered)).toBe('invalid_token/signature');
    // carol's token is remembered now; the tampered one ends with the same signature, and is
    // still not known, and still refused.
    await expect(verifier.verify(`Bearer ${carol}`)).resolves.toMatchObject({
      userId: 'auth0|carol',
    });
    expect(verifier.known(`Bearer ${carol}`)).toMatchObject({ userId: 'auth0|carol' });
    expect(verifier.known(`Bearer ${tampered}`)).toBeUndefined();
    expect(await refusal(tampered)).toBe('invalid_token/signature');
  });

  it('refuses M2M tokens', async () => {
    expect(await refusal(await valid({ extraClaims: { gty: 'client-credentials' } }))).toBe(
      'invalid_token/m2m_token',
    );
    expect(await refusal(await valid({ sub: 'linkboard-broker@clients' }))).toBe(
      'invalid_token/m2m_token',
    );
  });

  it('refuses ID tokens', async () => {
    expect(await refusal(await valid({ extraClaims: { nonce: 'n-123' } }))).toBe(
      'invalid_token/id_token',
    );
    expect(await refusal(await valid({ header: { typ: 'id_token+jwt' } }))).toBe(
      'invalid_token/token_type',
    );
  });

  it('refuses a token without the broker scope as insufficient_scope', async () => {
    expect(await refusal(await valid({ scope: 'openid profile' }))).toBe(
      'insufficient_scope/scope',
    );
    expect(await refusal(await valid({ scope: 'read:linked_accounts_extra' }))).toBe(
      'insufficient_scope/scope',
    );
  });
});
