import type { IdpConnection } from './tenant-config.js';

/**
 * The seeded users of the sandbox tenant. Usernames and passwords are deterministic (they are
 * printed in the start line); IdP tokens are not seeded here but issued at random on each start.
 */

/** How the identity's IdP access token starts out on each sandbox start. */
export type SeededTokenState =
  /** A current access token; `expiresInSeconds` null means it does not expire (GitHub OAuth apps). */
  | { kind: 'valid'; expiresInSeconds: number | null; refreshable: boolean }
  /** An access token that has expired (or was revoked): the IdP refuses it like an unknown one. */
  | { kind: 'expired'; refreshable: boolean };

export interface SeededIdentity {
  connection: IdpConnection;
  /** Auth0's `provider` (same as the connection name for these social connections). */
  provider: string;
  /** The user's id at the IdP, as Auth0 stores it. */
  userId: string;
  /** IdP login or handle, used to build the emulated data. */
  login: string;
  token: SeededTokenState;
}

export interface SeededUser {
  /** Auth0 user id, e.g. `auth0|alice`. */
  id: string;
  username: string;
  password: string;
  name: string;
  givenName: string;
  familyName: string;
  email: string;
  /** Accounts linked to the user (`identities[]` of the Management API). */
  identities: readonly SeededIdentity[];
  /**
   * Accounts connected through the My Account API's Connected Accounts flow: their tokens live in
   * the user's Token Vault tokensets, reachable only through the Token Vault exchange, and they are
   * not in `identities[]`.
   */
  connectedAccounts?: readonly SeededIdentity[];
}

const HOUR = 3600;

export const SEEDED_USERS: readonly SeededUser[] = [
  {
    id: 'auth0|alice',
    username: 'alice',
    password: 'alice-sandbox-pass',
    name: 'Alice Example',
    givenName: 'Alice',
    familyName: 'Example',
    email: 'alice@example.com',
    identities: [
      {
        connection: 'github',
        provider: 'github',
        userId: '5810001',
        login: 'alice-example',
        token: { kind: 'valid', expiresInSeconds: null, refreshable: false },
      },
      {
        connection: 'google-oauth2',
        provider: 'google-oauth2',
        userId: '104920000000000000001',
        login: 'alice.example@gmail.com',
        token: { kind: 'valid', expiresInSeconds: HOUR, refreshable: true },
      },
    ],
  },
  {
    id: 'auth0|bob',
    username: 'bob',
    password: 'bob-sandbox-pass',
    name: 'Bob Sample',
    givenName: 'Bob',
    familyName: 'Sample',
    email: 'bob@example.com',
    identities: [
      {
        connection: 'github',
        provider: 'github',
        userId: '5810002',
        login: 'bob-sample',
        token: { kind: 'expired', refreshable: false },
      },
      {
        connection: 'windowslive',
        provider: 'windowslive',
        userId: '9f1c2d3e4b5a6978',
        login: 'bob.sample@outlook.com',
        token: { kind: 'valid', expiresInSeconds: HOUR, refreshable: false },
      },
    ],
  },
  {
    id: 'auth0|carol',
    username: 'carol',
    password: 'carol-sandbox-pass',
    name: 'Carol Nolinks',
    givenName: 'Carol',
    familyName: 'Nolinks',
    email: 'carol@example.com',
    identities: [],
  },
  {
    id: 'auth0|dave',
    username: 'dave',
    password: 'dave-sandbox-pass',
    name: 'Dave Refresh',
    givenName: 'Dave',
    familyName: 'Refresh',
    email: 'dave@example.com',
    identities: [
      {
        connection: 'google-oauth2',
        provider: 'google-oauth2',
        userId: '104920000000000000004',
        login: 'dave.refresh@gmail.com',
        token: { kind: 'expired', refreshable: true },
      },
    ],
  },
  {
    id: 'auth0|erin',
    username: 'erin',
    password: 'erin-sandbox-pass',
    name: 'Erin Vault',
    givenName: 'Erin',
    familyName: 'Vault',
    email: 'erin@example.com',
    identities: [],
    connectedAccounts: [
      {
        connection: 'github',
        provider: 'github',
        userId: '5810005',
        login: 'erin-vault',
        token: { kind: 'valid', expiresInSeconds: 8 * HOUR, refreshable: true },
      },
      {
        connection: 'google-oauth2',
        provider: 'google-oauth2',
        userId: '104920000000000000005',
        login: 'erin.vault@gmail.com',
        token: { kind: 'expired', refreshable: true },
      },
    ],
  },
  {
    // Providers that hand the broker a refresh token through Auth0: both tokens have expired.
    id: 'auth0|frank',
    username: 'frank',
    password: 'frank-sandbox-pass',
    name: 'Frank Renew',
    givenName: 'Frank',
    familyName: 'Renew',
    email: 'frank@example.com',
    identities: [
      {
        connection: 'windowslive',
        provider: 'windowslive',
        userId: '7e2d9c4b1a3f5e60',
        login: 'frank.renew@example.com',
        token: { kind: 'expired', refreshable: true },
      },
      {
        connection: 'bitbucket',
        provider: 'bitbucket',
        userId: '557058:5b1f2c3d-sandbox-frank',
        login: 'frank-renew',
        token: { kind: 'expired', refreshable: true },
      },
    ],
  },
];

export function findSeededUser(id: string): SeededUser | undefined {
  return SEEDED_USERS.find((user) => user.id === id);
}

export function findSeededUserByUsername(username: string): SeededUser | undefined {
  const wanted = username.trim().toLowerCase();
  return SEEDED_USERS.find((user) => user.username === wanted || user.email === wanted);
}

/** The user's seeded account at an IdP, linked or connected. */
export function findProviderAccount(
  user: SeededUser,
  connection: IdpConnection,
): SeededIdentity | undefined {
  return [...user.identities, ...(user.connectedAccounts ?? [])].find(
    (account) => account.connection === connection,
  );
}

const ACCOUNT_ID_BASE: Record<IdpConnection, string> = {
  github: '58109',
  'google-oauth2': '1049200000000000009',
  windowslive: 'a0b1c2d3e4f5',
  bitbucket: '557058:sandbox-',
};

/**
 * The user's account at an IdP as the emulated IdP APIs serve it: the seeded one, or, for an
 * account the user connected during this run (My Account API), one made from the username.
 */
export function providerAccountFor(user: SeededUser, connection: IdpConnection): SeededIdentity {
  const seeded = findProviderAccount(user, connection);
  if (seeded) return seeded;
  const index = String(SEEDED_USERS.indexOf(user) + 1).padStart(2, '0');
  const login =
    connection === 'github'
      ? `${user.username}-connected`
      : connection === 'google-oauth2'
        ? `${user.username}.connected@gmail.com`
        : connection === 'bitbucket'
          ? `${user.username}-connected`
          : `${user.username}.connected@outlook.com`;
  return {
    connection,
    provider: connection,
    userId: `${ACCOUNT_ID_BASE[connection]}${index}`,
    login,
    token: { kind: 'valid', expiresInSeconds: 3600, refreshable: true },
  };
}

/** Auth0's avatar for users without a picture: a deterministic URL (never fetched by the sandbox). */
export function pictureFor(user: SeededUser): string {
  return `https://s.gravatar.com/avatar/${user.username}?s=480&r=pg&d=identicon`;
}

/** The tenant's creation time for every seeded user: fixed, so profiles are stable across starts. */
export const SEEDED_CREATED_AT = '2024-03-01T09:00:00.000Z';
export const SEEDED_UPDATED_AT = '2026-01-15T10:30:00.000Z';
