import { decodeProtectedHeader, errors, jwtVerify, type JWTPayload } from 'jose';
import { LRUCache } from 'lru-cache';
import { BROKER_SCOPE } from '@linkboard/contract';
import { BrokerError } from '../errors/broker-error.js';
import { TokenRefusal, type TokenRefusalReason } from '../errors/token-refusal.js';
import type { TenantKeySet } from './tenant-key-set.js';

/** The caller as the broker knows it after verification: only the verified `sub`. */
export interface VerifiedCaller {
  /** Auth0 user id, e.g. `auth0|alice`. The only source of "who" (security rule 6). */
  userId: string;
  /**
   * The verified token itself: the subject of a Token Vault exchange (the user's consent to get
   * their provider token). Kept in memory only, never logged.
   */
  accessToken: string;
}

export interface AccessTokenVerifierOptions {
  issuer: string;
  audience: string;
  /** The tenant's signing keys. */
  keys: TenantKeySet;
  maxTokenLength: number;
  clockToleranceSeconds: number;
}

export interface AccessTokenVerifier {
  verify(authorization: string | undefined): Promise<VerifiedCaller>;
  /** The caller of a token that passed `verify` and has not expired since, else undefined. */
  known(authorization: string | undefined): VerifiedCaller | undefined;
  /** The tenant's key set; readiness reports its `status()`. */
  keys: TenantKeySet;
}

const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
/** Header parameters that name key material: never used, and a token carrying them is refused. */
const KEY_REFERENCE_HEADERS = ['jku', 'jwk', 'x5u', 'x5c', 'x5t', 'x5t#S256'] as const;
/** Claims only ID tokens carry. */
const ID_TOKEN_CLAIMS = ['nonce', 'at_hash', 'c_hash', 'auth_time'] as const;

function refuse(reason: TokenRefusalReason, detail: string): TokenRefusal {
  return new TokenRefusal(reason, detail);
}

/**
 * Checks a caller's access token the way RFC 8725 and RFC 9700 ask (docs/architecture.md#security-rules, rule 5): RS256
 * only, key from the tenant's JWKS (see `TenantKeySet` for when it is fetched), exact
 * issuer, the broker's audience, `exp`/`nbf` with a small tolerance, the broker scope; M2M and
 * ID tokens refused.
 */
export function createAccessTokenVerifier(
  options: AccessTokenVerifierOptions,
): AccessTokenVerifier {
  const jwks = options.keys.resolve;
  const verified = new VerifiedTokenCache(options.clockToleranceSeconds);

  async function verify(authorization: string | undefined): Promise<VerifiedCaller> {
    const known = verified.get(authorization);
    if (known) return known;
    const caller = await verifyAfresh(authorization);
    verified.set(authorization, caller);
    return { userId: caller.userId, accessToken: caller.accessToken };
  }

  async function verifyAfresh(
    authorization: string | undefined,
  ): Promise<VerifiedCaller & { exp: number }> {
    if (!authorization) throw refuse('missing', 'no bearer token in the Authorization header');
    const match = /^Bearer +(\S+)$/i.exec(authorization);
    if (!match?.[1]) throw refuse('not_bearer', 'the Authorization header is not "Bearer <token>"');
    const token = match[1];
    if (token.length > options.maxTokenLength) throw refuse('too_large', 'the token is too large');
    if (!COMPACT_JWS.test(token)) throw refuse('not_jws', 'the token is not a signed JWT');

    let header: ReturnType<typeof decodeProtectedHeader>;
    try {
      header = decodeProtectedHeader(token);
    } catch {
      throw refuse('header_unreadable', 'the token header cannot be read');
    }
    if (header.alg !== 'RS256') throw refuse('algorithm', 'the token is not signed with RS256');
    for (const name of KEY_REFERENCE_HEADERS) {
      if (name in header)
        throw refuse('key_reference', `the token header names key material ("${name}")`);
    }
    if (header.crit !== undefined)
      throw refuse('critical_header', 'the token header has critical extensions');
    if (header.typ !== undefined && !/^(application\/)?(at\+jwt|jwt)$/i.test(header.typ)) {
      throw refuse('token_type', 'the token type is not an access token');
    }

    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, jwks, {
        algorithms: ['RS256'],
        issuer: options.issuer,
        audience: options.audience,
        clockTolerance: options.clockToleranceSeconds,
        requiredClaims: ['sub', 'exp', 'iat'],
      }));
    } catch (error) {
      throw mapJoseError(error);
    }

    if (payload.gty === 'client-credentials' || payload.sub?.endsWith('@clients')) {
      throw refuse('m2m_token', 'machine-to-machine tokens are not accepted');
    }
    for (const claim of ID_TOKEN_CLAIMS) {
      if (claim in payload) throw refuse('id_token', 'ID tokens are not accepted');
    }
    const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ') : [];
    if (!scopes.includes(BROKER_SCOPE)) {
      throw refuse('scope', `the token needs the "${BROKER_SCOPE}" scope`);
    }
    if (!payload.sub || payload.exp === undefined)
      throw refuse('claim_missing', 'the token has no subject');
    return { userId: payload.sub, accessToken: token, exp: payload.exp };
  }

  return { verify, known: (authorization) => verified.get(authorization), keys: options.keys };
}

/** How many of a header's last characters key its entry: a token's signature, random. */
const KEY_CHARACTERS = 32;

/**
 * Tokens that passed every check, so a client's next calls with the same token skip the signature
 * work. An entry is found by the header's last characters and used only for exactly the header it
 * was made for: keyed by the whole header, each lookup would hash a new string of a kilobyte or so
 * (1.2 µs, against 0.1). An entry lasts until the token's `exp` (plus the usual tolerance) and at
 * most a few minutes, so a rotated-out key stops being trusted soon after.
 */
class VerifiedTokenCache {
  private static readonly MAX_AGE_MS = 5 * 60_000;
  private readonly entries = new LRUCache<
    string,
    { authorization: string; caller: VerifiedCaller }
  >({
    max: 10_000,
    ttl: VerifiedTokenCache.MAX_AGE_MS,
  });

  constructor(private readonly toleranceSeconds: number) {}

  get(authorization: string | undefined): VerifiedCaller | undefined {
    if (!authorization) return undefined;
    const kept = this.entries.get(authorization.slice(-KEY_CHARACTERS));
    return kept?.authorization === authorization ? kept.caller : undefined;
  }

  set(authorization: string | undefined, caller: VerifiedCaller & { exp: number }): void {
    if (!authorization) return;
    const ttl = Math.min(
      (caller.exp + this.toleranceSeconds) * 1000 - Date.now(),
      VerifiedTokenCache.MAX_AGE_MS,
    );
    // A ttl of 0 would mean "forever" to the cache: a token at the end of its life is not kept.
    if (ttl >= 1)
      this.entries.set(
        authorization.slice(-KEY_CHARACTERS),
        { authorization, caller: { userId: caller.userId, accessToken: caller.accessToken } },
        { ttl },
      );
  }
}

/** jose's claim names, as refusal reasons. */
const CLAIM_REASONS: Record<string, TokenRefusalReason> = {
  iss: 'issuer',
  aud: 'audience',
  nbf: 'not_yet_valid',
  exp: 'expired',
};

function mapJoseError(error: unknown): BrokerError {
  // The key set could not be read (TenantKeySet says so itself).
  if (error instanceof BrokerError) return error;
  if (error instanceof errors.JWTExpired)
    return refuse('expired', 'the token has expired (claim "exp")');
  if (error instanceof errors.JWTClaimValidationFailed) {
    const reason =
      error.reason === 'missing'
        ? 'claim_missing'
        : (CLAIM_REASONS[error.claim] ?? 'claim_invalid');
    return refuse(reason, `claim "${error.claim}" is not acceptable (${error.reason})`);
  }
  if (error instanceof errors.JWKSNoMatchingKey)
    return refuse('unknown_key', 'the token is signed by an unknown key');
  if (error instanceof errors.JWKSMultipleMatchingKeys)
    return refuse('ambiguous_key', 'the signing key is ambiguous');
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return refuse('signature', 'the token signature does not verify');
  }
  if (error instanceof errors.JOSEError) {
    return refuse('malformed', `the token is not acceptable (${error.code})`);
  }
  return new BrokerError('internal_error', 'the token could not be checked');
}
