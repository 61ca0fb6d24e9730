import { z } from 'zod';

/**
 * The parts of Auth0's `GET /api/v2/users/{id}` the broker reads. Unknown fields are ignored;
 * tokens stay inside the broker (they never leave through `LinkedIdentity`).
 */
export const Auth0Identity = z.object({
  connection: z.string(),
  provider: z.string(),
  user_id: z.union([z.string(), z.number()]).transform(String),
  isSocial: z.boolean().optional(),
  access_token: z.string().min(1).optional(),
  refresh_token: z.string().min(1).optional(),
  /** Seconds the access token had left when Auth0 answered, when Auth0 knows. */
  expires_in: z.number().optional(),
  profileData: z.record(z.string(), z.unknown()).optional(),
});

export const Auth0User = z.object({
  user_id: z.string(),
  name: z.string().optional(),
  email: z.string().optional(),
  nickname: z.string().optional(),
  picture: z.string().optional(),
  identities: z.array(Auth0Identity).default([]),
});
export type Auth0User = z.infer<typeof Auth0User>;

/** The fields asked of Get User: only what the broker uses. */
export const USER_FIELDS = 'user_id,name,email,nickname,picture,identities';

/** One linked identity as the broker keeps it in memory. */
export interface IdentityRecord {
  connection: string;
  provider: string;
  userId: string;
  isSocial: boolean;
  accessToken: string | undefined;
  refreshToken: string | undefined;
  /** Epoch ms at which the access token expires; undefined when not known. */
  accessTokenExpiresAt: number | undefined;
  profile: { name?: string; email?: string; login?: string; picture?: string };
}

/** A user's identities as read at `fetchedAt`. A new object on every read. */
export interface UserIdentities {
  userId: string;
  identities: IdentityRecord[];
  fetchedAt: number;
  /** Connections whose token the IdP refused after this read (so no more calls until re-read). */
  refusedConnections: Set<string>;
}

/**
 * A read as the fleet shares it (sealed: it carries provider tokens), without the per-instance
 * `refusedConnections` (docs/architecture.md#fleet-state).
 */
export const SharedUserIdentities = z.object({
  userId: z.string(),
  fetchedAt: z.number(),
  identities: z.array(
    z.object({
      connection: z.string(),
      provider: z.string(),
      userId: z.string(),
      isSocial: z.boolean(),
      accessToken: z.string().optional(),
      refreshToken: z.string().optional(),
      accessTokenExpiresAt: z.number().optional(),
      profile: z.object({
        name: z.string().optional(),
        email: z.string().optional(),
        login: z.string().optional(),
        picture: z.string().optional(),
      }),
    }),
  ),
});
export type SharedUserIdentities = z.infer<typeof SharedUserIdentities>;

/** A shared read as this instance keeps it: with a set of its own for refusals. */
export function fromShared(shared: SharedUserIdentities): UserIdentities {
  return {
    userId: shared.userId,
    fetchedAt: shared.fetchedAt,
    identities: shared.identities.map((identity) => ({
      ...identity,
      accessToken: identity.accessToken,
      refreshToken: identity.refreshToken,
      accessTokenExpiresAt: identity.accessTokenExpiresAt,
    })),
    refusedConnections: new Set(),
  };
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export function toUserIdentities(user: Auth0User, fetchedAt: number): UserIdentities {
  const identities = user.identities.map((identity): IdentityRecord => {
    const data = identity.profileData ?? {};
    // The primary identity's profile is the user's own; linked ones carry `profileData`.
    const isPrimary = identity.profileData === undefined;
    const profile = {
      name: text(data.name) ?? (isPrimary ? user.name : undefined),
      email: text(data.email) ?? (isPrimary ? user.email : undefined),
      login: text(data.login) ?? text(data.nickname) ?? (isPrimary ? user.nickname : undefined),
      picture:
        text(data.picture) ?? text(data.avatar_url) ?? (isPrimary ? user.picture : undefined),
    };
    return {
      connection: identity.connection,
      provider: identity.provider,
      userId: identity.user_id,
      isSocial: identity.isSocial ?? false,
      accessToken: identity.access_token,
      refreshToken: identity.refresh_token,
      accessTokenExpiresAt:
        identity.expires_in === undefined ? undefined : fetchedAt + identity.expires_in * 1000,
      profile: Object.fromEntries(Object.entries(profile).filter(([, v]) => v !== undefined)),
    };
  });
  return { userId: user.user_id, identities, fetchedAt, refusedConnections: new Set() };
}
