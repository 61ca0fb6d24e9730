import type { IssuedIdpToken } from '../control-schemas.js';
import { randomSecret } from './random-secret.js';
import type { SeededIdentity, SeededUser } from './seed.js';
import {
  CONNECTED_ACCOUNT_SCOPES,
  IDP_ACCESS_TOKEN_TTL,
  type IdpConnection,
} from './tenant-config.js';

/** An id in the shape of the My Account API's connected account ids. */
function connectedAccountId(): string {
  return `cac_${randomSecret().slice(0, 22)}`;
}

/** The shapes of each IdP's own tokens, so scanners that look for token shapes find the sandbox's. */
const ACCESS_TOKEN_PREFIX = {
  github: 'gho_',
  'google-oauth2': 'ya29.',
  windowslive: 'EwB',
  bitbucket: 'bbsandbox-at-',
} as const;
const REFRESH_TOKEN_PREFIX = {
  github: 'ghr_',
  'google-oauth2': '1//0',
  windowslive: 'M.C',
  bitbucket: 'bbsandbox-rt-',
} as const;

/**
 * The IdP tokens of this sandbox run: opaque random strings with an expiry, issued per start.
 * The Management API hands out the ones Auth0 stored at sign-in (`storedFor`); the Token Vault
 * exchange those of connected accounts (`vaultAccessToken`); the emulated IdP APIs accept any token
 * that is current (`resolve`); Google's token endpoint mints new ones (`refresh`).
 */
export interface IdpAccessToken {
  value: string;
  connection: IdpConnection;
  userId: string;
  /** Epoch milliseconds; null for tokens that do not expire (GitHub). */
  expiresAt: number | null;
}

/** An account connected through the My Account API: a Token Vault tokenset and its description. */
export interface ConnectedAccount {
  /** The My Account API's id of the connected account. */
  id: string;
  connection: IdpConnection;
  userId: string;
  scopes: readonly string[];
  /** ISO 8601. */
  createdAt: string;
  tokens: StoredIdpTokens;
}

/** What Auth0 keeps in `identities[]` for one linked account. */
export interface StoredIdpTokens {
  accessToken: IdpAccessToken;
  refreshToken?: string;
}

interface RefreshGrant {
  connection: IdpConnection;
  userId: string;
}

export class IdpTokenStore {
  readonly #accessTokens = new Map<string, IdpAccessToken>();
  readonly #refreshTokens = new Map<string, RefreshGrant>();
  /** Keyed by `${userId} ${connection}`. */
  readonly #stored = new Map<string, StoredIdpTokens>();
  /** Every token seeded or issued in this run, kept after it is replaced, for leak checks. */
  readonly #issued: IssuedIdpToken[] = [];
  readonly #now: () => number;

  /** Token Vault tokensets (Connected Accounts), keyed like `#stored`: one per user and connection. */
  readonly #vault = new Map<string, ConnectedAccount>();
  /** The seeded connected accounts as they started (values copied), which a reset restores. */
  readonly #seededVault: readonly ConnectedAccount[];

  constructor(users: readonly SeededUser[], now: () => number = Date.now) {
    this.#now = now;
    for (const user of users) {
      for (const identity of user.identities)
        this.#stored.set(`${user.id} ${identity.connection}`, this.#seed(user.id, identity));
      for (const account of user.connectedAccounts ?? [])
        this.#vault.set(`${user.id} ${account.connection}`, {
          id: connectedAccountId(),
          connection: account.connection,
          userId: user.id,
          scopes: CONNECTED_ACCOUNT_SCOPES[account.connection].split(' '),
          createdAt: new Date(this.#now()).toISOString(),
          tokens: this.#seed(user.id, account),
        });
    }
    this.#seededVault = [...this.#vault.values()].map(copyAccount);
  }

  /**
   * Puts the Token Vault tokensets back as seeded (a sandbox reset): accounts connected since are
   * gone and their tokens stop working; seeded ones disconnected, revoked or refreshed since are
   * back with their seeded tokens (same values and expiry), as a new sandbox would hold them.
   */
  restoreConnectedAccounts(): void {
    for (const account of this.#vault.values()) this.#forget(account.tokens);
    this.#vault.clear();
    for (const seeded of this.#seededVault) {
      const account = copyAccount(seeded);
      const { accessToken, refreshToken } = account.tokens;
      this.#accessTokens.set(accessToken.value, accessToken);
      if (refreshToken)
        this.#refreshTokens.set(refreshToken, {
          connection: account.connection,
          userId: account.userId,
        });
      this.#vault.set(`${account.userId} ${account.connection}`, account);
    }
  }

  #seed(userId: string, identity: SeededIdentity): StoredIdpTokens {
    const start = this.#now();
    const expiresAt =
      identity.token.kind === 'expired'
        ? start - 60_000
        : identity.token.expiresInSeconds === null
          ? null
          : start + identity.token.expiresInSeconds * 1000;
    const stored: StoredIdpTokens = {
      accessToken: this.#mint(identity.connection, userId, expiresAt, 'seed'),
    };
    if (identity.token.refreshable) {
      stored.refreshToken = `${REFRESH_TOKEN_PREFIX[identity.connection]}${randomSecret()}`;
      this.#issued.push({
        kind: 'refresh_token',
        value: stored.refreshToken,
        connection: identity.connection,
        userId,
        source: 'seed',
      });
      this.#refreshTokens.set(stored.refreshToken, { connection: identity.connection, userId });
    }
    return stored;
  }

  /**
   * A current access token from the user's Token Vault tokenset for this connection, refreshed at
   * the IdP first when the stored one has expired (the new one is stored). `none`: no connected
   * account; `refresh_failed`: the stored token has expired and cannot be refreshed.
   */
  vaultAccessToken(
    userId: string,
    connection: IdpConnection,
  ): { token: IdpAccessToken; scopes: readonly string[] } | 'none' | 'refresh_failed' {
    const account = this.#vault.get(`${userId} ${connection}`);
    if (!account) return 'none';
    const tokenset = account.tokens;
    const { accessToken } = tokenset;
    if (accessToken.expiresAt === null || accessToken.expiresAt > this.#now())
      return { token: accessToken, scopes: account.scopes };
    const refreshed = tokenset.refreshToken && this.refresh(connection, tokenset.refreshToken);
    if (!refreshed) return 'refresh_failed';
    tokenset.accessToken = refreshed;
    return { token: refreshed, scopes: account.scopes };
  }

  /**
   * Stores what the provider issued when the user connected an account (My Account API): a new
   * tokenset in Token Vault, replacing any earlier one for that connection.
   */
  connect(userId: string, connection: IdpConnection, scopes: readonly string[]): ConnectedAccount {
    const accessToken = this.#mint(
      connection,
      userId,
      this.#now() + IDP_ACCESS_TOKEN_TTL * 1000,
      'connect',
    );
    const refreshToken = `${REFRESH_TOKEN_PREFIX[connection]}${randomSecret()}`;
    this.#issued.push({
      kind: 'refresh_token',
      value: refreshToken,
      connection,
      userId,
      source: 'connect',
    });
    this.#refreshTokens.set(refreshToken, { connection, userId });
    const previous = this.#vault.get(`${userId} ${connection}`);
    if (previous) this.#forget(previous.tokens);
    const account: ConnectedAccount = {
      id: connectedAccountId(),
      connection,
      userId,
      scopes,
      createdAt: new Date(this.#now()).toISOString(),
      tokens: { accessToken, refreshToken },
    };
    this.#vault.set(`${userId} ${connection}`, account);
    return account;
  }

  /**
   * As if the user revoked the app at the provider: the connected account's stored access token
   * expires now and the provider no longer takes its refresh token, so Token Vault's exchange
   * fails its refresh (the account must be connected again). False when nothing is connected.
   */
  revokeConnected(userId: string, connection: IdpConnection): boolean {
    const account = this.#vault.get(`${userId} ${connection}`);
    if (!account) return false;
    account.tokens.accessToken.expiresAt = this.#now() - 1000;
    if (account.tokens.refreshToken) this.#refreshTokens.delete(account.tokens.refreshToken);
    return true;
  }

  /** The user's connected accounts, in connection order. */
  connectedAccounts(userId: string): ConnectedAccount[] {
    return [...this.#vault.values()].filter((account) => account.userId === userId);
  }

  /** Deletes one of the user's connected accounts; its tokens stop working. False when unknown. */
  disconnect(userId: string, id: string): boolean {
    const account = this.connectedAccounts(userId).find((candidate) => candidate.id === id);
    if (!account) return false;
    this.#vault.delete(`${userId} ${account.connection}`);
    this.#forget(account.tokens);
    return true;
  }

  #forget(tokens: StoredIdpTokens): void {
    this.#accessTokens.delete(tokens.accessToken.value);
    if (tokens.refreshToken) this.#refreshTokens.delete(tokens.refreshToken);
  }

  /** The tokens Auth0 stored for this user's identity at this connection. */
  storedFor(userId: string, connection: IdpConnection): StoredIdpTokens | undefined {
    return this.#stored.get(`${userId} ${connection}`);
  }

  /** The user a current token belongs to; undefined for unknown, expired or other-IdP tokens. */
  resolve(connection: IdpConnection, value: string): IdpAccessToken | undefined {
    const token = this.#accessTokens.get(value);
    if (!token || token.connection !== connection) return undefined;
    if (token.expiresAt !== null && token.expiresAt <= this.#now()) return undefined;
    return token;
  }

  /** Google-style refresh: a new access token for the refresh token's user; the refresh token stays. */
  refresh(connection: IdpConnection, refreshToken: string): IdpAccessToken | undefined {
    const grant = this.#refreshTokens.get(refreshToken);
    if (!grant || grant.connection !== connection) return undefined;
    return this.#mint(
      connection,
      grant.userId,
      this.#now() + IDP_ACCESS_TOKEN_TTL * 1000,
      'refresh',
    );
  }

  /**
   * A further refresh token for the user, as providers that hand out a new one with each refresh
   * do (Microsoft, Bitbucket); earlier ones keep working.
   */
  issueRefreshToken(connection: IdpConnection, userId: string): string {
    const value = `${REFRESH_TOKEN_PREFIX[connection]}${randomSecret()}`;
    this.#issued.push({ kind: 'refresh_token', value, connection, userId, source: 'refresh' });
    this.#refreshTokens.set(value, { connection, userId });
    return value;
  }

  /**
   * As if the user signed in again at the IdP: Auth0 stores a new access token and the old one stops
   * working. Returns false when the user has no such identity.
   */
  rotate(userId: string, connection: IdpConnection): boolean {
    const stored = this.#stored.get(`${userId} ${connection}`);
    if (!stored) return false;
    const { expiresAt } = stored.accessToken;
    this.#accessTokens.delete(stored.accessToken.value);
    stored.accessToken = this.#mint(
      connection,
      userId,
      expiresAt === null ? null : this.#now() + IDP_ACCESS_TOKEN_TTL * 1000,
      'rotate',
    );
    return true;
  }

  /** Makes the stored access token expire now (the IdP then refuses it). */
  expire(userId: string, connection: IdpConnection): boolean {
    const stored = this.#stored.get(`${userId} ${connection}`);
    if (!stored) return false;
    stored.accessToken.expiresAt = this.#now() - 1000;
    return true;
  }

  /** Every IdP access and refresh token seeded or issued in this run, oldest first. */
  issued(): IssuedIdpToken[] {
    return this.#issued.map((token) => ({ ...token }));
  }

  #mint(
    connection: IdpConnection,
    userId: string,
    expiresAt: number | null,
    source: IssuedIdpToken['source'],
  ): IdpAccessToken {
    const token: IdpAccessToken = {
      value: `${ACCESS_TOKEN_PREFIX[connection]}${randomSecret()}`,
      connection,
      userId,
      expiresAt,
    };
    this.#accessTokens.set(token.value, token);
    this.#issued.push({ kind: 'access_token', value: token.value, connection, userId, source });
    return token;
  }
}

/** A copy that later changes to `account` (a revoke, a refresh) do not reach. */
function copyAccount(account: ConnectedAccount): ConnectedAccount {
  return {
    ...account,
    scopes: [...account.scopes],
    tokens: { ...account.tokens, accessToken: { ...account.tokens.accessToken } },
  };
}
