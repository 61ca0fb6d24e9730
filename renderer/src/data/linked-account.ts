import type { LinkedIdentity, ProviderSummary } from '@linkboard/contract/broker-api';
import { withViewDefaults } from '../views/view-defaults';

/** A linked identity together with its catalogue entry (none when the catalogue lacks it). */
export interface LinkedAccount {
  identity: LinkedIdentity;
  provider: ProviderSummary | undefined;
  displayName: string;
  icon: string;
  /** The account's own name at the provider: login, name or email, whichever is known. */
  accountLabel: string;
}

/**
 * Whether this identity is the one the user signed in with: in Auth0 the user id (`sub`) is the
 * primary identity's `provider|user_id`. That one is the user's own login (e.g. a database
 * connection), not an account linked to it.
 */
function isSignInIdentity(identity: LinkedIdentity, subject: string): boolean {
  return identity.userId !== undefined && `${identity.provider}|${identity.userId}` === subject;
}

export function toLinkedAccounts(
  identities: readonly LinkedIdentity[],
  providers: readonly ProviderSummary[],
  subject: string,
): LinkedAccount[] {
  const linked = identities.filter((identity) => !isSignInIdentity(identity, subject));
  return linked.map((identity) => {
    // The catalogue names the provider even when the broker cannot serve this identity; its
    // views are offered only when the broker says it can.
    const entry = providers.find((candidate) => candidate.connection === identity.connection);
    const provider =
      entry && identity.supported
        ? { ...entry, views: entry.views.map(withViewDefaults) }
        : undefined;
    return {
      identity,
      provider,
      displayName: entry?.displayName ?? identity.connection,
      icon: entry?.icon ?? 'generic',
      accountLabel:
        identity.profile.login ??
        identity.profile.name ??
        identity.profile.email ??
        identity.userId ??
        entry?.displayName ??
        identity.connection,
    };
  });
}

/** Whether the account has a page of views to browse. */
export function isBrowsable(account: LinkedAccount): boolean {
  return account.provider !== undefined && account.provider.views.length > 0;
}
