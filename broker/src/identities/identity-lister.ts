import type { IdentitiesResponse, LinkedIdentity } from '@linkboard/contract';
import type { VerifiedCaller } from '../auth/verify-access-token.js';
import type { CompiledProvider } from '../catalogue/compiled-provider.js';
import { BrokerError } from '../errors/broker-error.js';
import type { IdpTokenRefresher } from '../idp/idp-token-refresher.js';
import type { TokenVaultTokenSource } from '../idp/token-vault-token-source.js';
import type { IdentityCache } from '../management/identity-cache.js';
import { untilDeadline } from '../upstream/deadline.js';
import { describeIdentities } from './linked-identities.js';

/**
 * What `GET /v1/me/identities` answers, from what the broker's token source can know
 * (docs/architecture.md#provider-token-sources).
 */
export interface IdentityLister {
  /**
   * `fresh`: the caller asked for an answer that reflects a change they just made (the app's
   * Connect or Disconnect sends `Cache-Control: no-cache`), so nothing kept for this user is reused.
   */
  list(
    caller: VerifiedCaller,
    signal: AbortSignal,
    options: { fresh: boolean },
  ): Promise<IdentitiesResponse>;
}

/**
 * `management`: the user's identities from the Management API; nothing connectable from the app.
 * `fresh` is not needed: with nothing connectable the app never changes accounts itself, and
 * accounts linked in the tenant show within the identities window.
 */
export function managementIdentities(parts: {
  identities: IdentityCache;
  providers: Map<string, CompiledProvider>;
  refresher: IdpTokenRefresher;
  now: () => number;
}): IdentityLister {
  return {
    async list(caller, signal) {
      const read = await untilDeadline(
        parts.identities.get(caller.userId),
        signal,
        'the Management API',
      );
      return {
        identities: describeIdentities(read, parts.providers, parts.refresher, parts.now()),
        connectable: [],
      };
    },
  };
}

/**
 * `token-vault`: the broker cannot list a user's connected accounts (that needs the user's My
 * Account API token, which stays on the desktop), so it asks Token Vault for each catalogue
 * connection with the caller's own token. The exchanges are the ones a proxied call would make and
 * share their cache: an exchanged token is `ready`, a refused provider refresh
 * `reconnect_required`, no connected account is left out. Every catalogue connection is
 * connectable from the app. A fresh list exchanges again for every connection and replaces what
 * is kept, so a token of a disconnected account is dropped and a new connection shows at once.
 */
export function connectedAccountIdentities(parts: {
  tokens: Pick<TokenVaultTokenSource, 'acquire'>;
  providers: Map<string, CompiledProvider>;
}): IdentityLister {
  return {
    async list(caller, signal, { fresh }) {
      const providers = [...parts.providers.values()];
      const outcomes = await untilDeadline(
        Promise.allSettled(
          providers.map((provider) => parts.tokens.acquire(caller, provider, { fresh })),
        ),
        signal,
        'the tenant token endpoint (Token Vault)',
      );
      const identities: LinkedIdentity[] = [];
      outcomes.forEach((outcome, index) => {
        const provider = providers[index] as CompiledProvider;
        if (outcome.status === 'fulfilled') {
          identities.push(connected(provider, 'ready'));
          return;
        }
        const error: unknown = outcome.reason;
        if (!(error instanceof BrokerError)) throw error;
        if (error.code === 'idp_reauth_required') {
          identities.push(connected(provider, 'reconnect_required'));
        } else if (error.code !== 'identity_not_linked') {
          // The tenant is down or rate limiting: say so rather than list a partial answer.
          throw error;
        }
      });
      return { identities, connectable: providers.map(({ entry }) => entry.connection) };
    },
  };
}

function connected(provider: CompiledProvider, status: LinkedIdentity['status']): LinkedIdentity {
  const { connection } = provider.entry;
  // Auth0's social connections carry their strategy's name (github, google-oauth2, windowslive).
  return { connection, provider: connection, isSocial: true, supported: true, status, profile: {} };
}
