import type { VerifiedCaller } from '../auth/verify-access-token.js';
import type { CompiledProvider } from '../catalogue/compiled-provider.js';
import { BrokerError } from '../errors/broker-error.js';
import type { IdentityCache } from '../management/identity-cache.js';
import type { IdentityRecord, UserIdentities } from '../management/user-identities.js';
import type { IdpTokenRefresher } from './idp-token-refresher.js';
import type { IdpTokenLease, IdpTokenSource } from './idp-token-source.js';
import type { CacheLookup } from '../observability/metrics.js';
import { inSpan, SPAN } from '../observability/tracing.js';

/** A lease with the read it came from, so a refusal is remembered on that read. */
interface ManagementLease extends IdpTokenLease {
  userId: string;
  provider: CompiledProvider;
  read: UserIdentities;
  identity: IdentityRecord;
}

/**
 * Provider tokens as Auth0 keeps them: the user's identities from the Management API (cached per
 * user), the identity chosen by connection, and the broker's own refresh where it holds the
 * provider's client credentials.
 */
export class ManagementTokenSource implements IdpTokenSource<ManagementLease> {
  constructor(
    private readonly options: {
      identities: IdentityCache;
      refresher: IdpTokenRefresher;
      now?: () => number;
      /**
       * Called once per token found: in memory (`hit`: the identities' token or one refreshed
       * before) or only through a refresh (`miss`) (metrics).
       */
      onTokenLookup?: (result: CacheLookup) => void;
    },
  ) {}

  held({ userId }: VerifiedCaller, provider: CompiledProvider): ManagementLease | undefined {
    return this.options.identities.held(userId, (read) => {
      const identity = read.identities.find((i) => i.connection === provider.entry.connection);
      return identity && this.usable({ userId, provider, read, identity });
    });
  }

  async acquire({ userId }: VerifiedCaller, provider: CompiledProvider): Promise<ManagementLease> {
    const read = await inSpan(SPAN.identities, {}, () => this.options.identities.get(userId));
    const identity = findIdentity(read, provider);
    const lease = { userId, provider, read, identity };
    const usable = this.usable(lease);
    if (usable) return usable;
    const refresher = this.options.refresher;
    if (refresher.canRefresh(provider, identity)) {
      this.options.onTokenLookup?.('miss');
      return {
        ...lease,
        token: await refresher.refresh(userId, provider, identity),
        refreshed: true,
      };
    }
    if (!identity.accessToken) {
      throw new BrokerError(
        'idp_token_unavailable',
        `the tenant gives no ${provider.entry.displayName} token for this identity: the ` +
          "broker's M2M client must be granted read:user_idp_tokens on the Management API",
      );
    }
    throw new BrokerError(
      'idp_reauth_required',
      `the ${provider.entry.displayName} token has expired: link the account again`,
    );
  }

  /** The lease with the token this instance holds for the identity, if it may still be used. */
  private usable(lease: Omit<ManagementLease, 'token' | 'refreshed'>): ManagementLease | undefined {
    const { userId, provider, read, identity } = lease;
    const held = this.options.refresher.current(userId, identity);
    if (held) {
      this.options.onTokenLookup?.('hit');
      return { ...lease, token: held, refreshed: false };
    }
    const expired =
      identity.accessTokenExpiresAt !== undefined &&
      identity.accessTokenExpiresAt <= (this.options.now ?? Date.now)();
    const refused = read.refusedConnections.has(provider.entry.connection);
    if (!identity.accessToken || expired || refused) return undefined;
    this.options.onTokenLookup?.('hit');
    return { ...lease, token: identity.accessToken, refreshed: false };
  }

  async renew(lease: ManagementLease): Promise<ManagementLease | undefined> {
    const { userId, provider, identity, token } = lease;
    const refresher = this.options.refresher;
    if (refresher.canRefresh(provider, identity)) {
      const fresh = await refresher.refresh(userId, provider, identity, token);
      return { ...lease, token: fresh, refreshed: true };
    }
    // Auth0 may hold a newer token (the user linked the account again): read once more. Many
    // callers refused with the same read share one re-read (compare-and-drop, single flight).
    const read = await this.options.identities.reread(lease.read);
    const reread = findIdentity(read, provider);
    const fresh = reread.accessToken;
    if (fresh && fresh !== token && !read.refusedConnections.has(provider.entry.connection)) {
      return { ...lease, read, identity: reread, token: fresh };
    }
    this.refused({ ...lease, read });
    return undefined;
  }

  refused(lease: ManagementLease): void {
    lease.read.refusedConnections.add(lease.provider.entry.connection);
  }
}

function findIdentity(read: UserIdentities, provider: CompiledProvider): IdentityRecord {
  // By connection, never identities[0]: a user may have linked several accounts.
  const identity = read.identities.find((i) => i.connection === provider.entry.connection);
  if (!identity) {
    throw new BrokerError(
      'identity_not_linked',
      `no ${provider.entry.displayName} account is linked to this user`,
    );
  }
  return identity;
}
