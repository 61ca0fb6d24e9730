import type { Account, FindAccount } from 'oidc-provider';
import { findSeededUser, pictureFor, SEEDED_UPDATED_AT, type SeededUser } from '../tenant/seed.js';

/** The claims Auth0 puts in ID tokens and `/userinfo` for a database user. */
export function profileClaims(user: SeededUser): Record<string, string | boolean> {
  return {
    name: user.name,
    given_name: user.givenName,
    family_name: user.familyName,
    nickname: user.username,
    picture: pictureFor(user),
    updated_at: SEEDED_UPDATED_AT,
    email: user.email,
    email_verified: true,
  };
}

export const findAccount: FindAccount = async (_ctx, sub): Promise<Account | undefined> => {
  const user = findSeededUser(sub);
  if (!user) return undefined;
  return {
    accountId: user.id,
    claims: () => ({ sub: user.id, ...profileClaims(user) }),
  };
};
