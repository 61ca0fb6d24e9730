import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';

/** A signing key made at run time (never committed) with its public JWK. */
export interface TestKey {
  privateKey: CryptoKey;
  publicJwk: JWK;
  kid: string;
}

export async function makeKey(kid: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { privateKey, publicJwk, kid };
}

export interface TokenOptions {
  issuer: string;
  audience: string;
  sub?: string;
  scope?: string;
  expiresInSeconds?: number;
  notBeforeSeconds?: number;
  extraClaims?: Record<string, unknown>;
  header?: Record<string, unknown>;
}

/** Signs an access token like the tenant's (RS256, `typ: at+jwt`) with `key`. */
export async function signAccessToken(key: TestKey, options: TokenOptions): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const jwt = new SignJWT({
    scope: options.scope ?? 'openid profile read:linked_accounts',
    ...options.extraClaims,
  })
    .setProtectedHeader({ alg: 'RS256', typ: 'at+jwt', kid: key.kid, ...options.header })
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setSubject(options.sub ?? 'auth0|alice')
    .setIssuedAt(now)
    .setExpirationTime(now + (options.expiresInSeconds ?? 600));
  if (options.notBeforeSeconds !== undefined) jwt.setNotBefore(now + options.notBeforeSeconds);
  return jwt.sign(key.privateKey);
}

export function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/** A token with `alg: none` and no signature. */
export function unsignedToken(payload: Record<string, unknown>): string {
  return `${base64url(JSON.stringify({ alg: 'none', typ: 'at+jwt' }))}.${base64url(JSON.stringify(payload))}.`;
}
