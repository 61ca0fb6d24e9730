import { useCallback, useEffect, useRef, useState } from 'react';
import type { LinkedIdentity, ProviderSummary } from '@linkboard/contract/broker-api';
import { useLinkboard } from '../api/linkboard-context';
import { useSessionController } from '../auth/session-context';
import { SessionEndedError, type SessionController } from '../auth/session-controller';
import {
  toConnectableConnections,
  withoutDisconnected,
  type ConnectableConnection,
} from './connectable-connection';
import { toLinkedAccounts, type LinkedAccount } from './linked-account';

export type AccountsState =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  /**
   * `refreshing`: a reload is under way; the accounts shown until it answers are the last ones.
   * `asOf`: they are the ones kept from an earlier start, saved then.
   */
  | {
      status: 'ready';
      accounts: LinkedAccount[];
      /** What the user can connect from the app, and its state (docs/architecture.md#connecting-an-account). */
      connectable: ConnectableConnection[];
      refreshing?: boolean;
      asOf?: string;
    };

/** The name the linked accounts are kept under for the next start. */
const KEPT_KEY = 'accounts';

/** What is kept of the accounts: the broker's answers as read, and what can be connected. */
interface KeptAccounts {
  identities: LinkedIdentity[];
  providers: ProviderSummary[];
  connectable: ConnectableConnection[];
}

/**
 * The signed-in user's linked accounts and the catalogue, loaded together from the broker.
 * `subject`: the signed-in user's `sub`, whose own sign-in identity is not listed.
 */
export function useLinkedAccounts(subject: string) {
  const linkboard = useLinkboard();
  const session = useSessionController();
  const [state, setState] = useState<AccountsState>({ status: 'loading' });
  /** The load whose answer may still be shown; an older one's answer is dropped. */
  const latest = useRef<object | null>(null);

  /**
   * The accounts kept from an earlier start, shown at once while nothing else is and fresh ones
   * load (instant start).
   */
  const showKept = useCallback(
    (ticket: object) =>
      linkboard.views
        .get({ subject, key: KEPT_KEY })
        .then(({ cached }) => {
          const kept = cached?.data as Partial<KeptAccounts> | undefined;
          if (!cached || !kept || latest.current !== ticket) return;
          const { identities, providers, connectable } = kept;
          if (![identities, providers, connectable].every(Array.isArray)) return;
          const accounts = toLinkedAccounts(identities!, providers!, subject);
          setState((previous) =>
            previous.status === 'loading'
              ? {
                  status: 'ready',
                  accounts,
                  connectable: connectable!,
                  refreshing: true,
                  asOf: cached.savedAt,
                }
              : previous,
          );
        })
        // Nothing kept, or kept accounts that no longer read: the fresh answer will do.
        .catch(() => undefined),
    [linkboard, subject],
  );

  /**
   * Loads the accounts; resolves to the state to show, or `null` when a newer load superseded it.
   * `fresh`: the user has just connected or disconnected an account, which the broker may not
   * know yet (docs/architecture.md#provider-token-sources).
   */
  const fetchAccounts = useCallback(
    async (fresh = false): Promise<AccountsState | null> => {
      const ticket = {};
      latest.current = ticket;
      void showKept(ticket);
      try {
        const accessToken = await session.getAccessToken();
        const [{ identities: listed, connectable }, { providers }] = await Promise.all([
          linkboard.broker.identities(fresh ? { accessToken, fresh } : { accessToken }),
          linkboard.broker.providers({ accessToken }),
        ]);
        const connected = connectable.length > 0 ? await connectedConnections(session) : null;
        if (latest.current !== ticket) return null;
        const identities = withoutDisconnected(listed, connectable, connected);
        const connectableConnections = toConnectableConnections(
          connectable,
          identities,
          providers,
          connected,
        );
        const kept: KeptAccounts = { identities, providers, connectable: connectableConnections };
        linkboard.views.set({ subject, key: KEPT_KEY, data: kept }).catch(() => undefined);
        return {
          status: 'ready',
          accounts: toLinkedAccounts(identities, providers, subject),
          connectable: connectableConnections,
        };
      } catch (error) {
        // A finished session already took the app back to the sign-in screen.
        if (latest.current !== ticket || error instanceof SessionEndedError) return null;
        return { status: 'error', error };
      }
    },
    [linkboard, session, subject, showKept],
  );

  const show = useCallback((next: AccountsState | null) => {
    if (!next) return;
    // Kept accounts stay on screen, with their time, when fresh ones cannot be had.
    setState((previous) =>
      next.status === 'error' && previous.status === 'ready' && previous.asOf
        ? { ...previous, refreshing: false }
        : next,
    );
  }, []);

  useEffect(() => {
    void fetchAccounts().then(show);
    return () => {
      latest.current = null;
    };
  }, [fetchAccounts, show]);

  const reload = useCallback(
    (options: { fresh?: boolean } = {}) => {
      // Keep the accounts on screen (and in the sidebar) while they reload.
      setState((previous) =>
        previous.status === 'ready' ? { ...previous, refreshing: true } : { status: 'loading' },
      );
      void fetchAccounts(options.fresh === true).then(show);
    },
    [fetchAccounts, show],
  );
  /** Reads the accounts again after the user connected or disconnected one. */
  const reloadAfterChange = useCallback(() => reload({ fresh: true }), [reload]);

  return { state, reload, reloadAfterChange };
}

/**
 * The connections the user has connected accounts of, from the My Account API; null when it cannot
 * be read (the tenant does not let the app read them), and then the broker's answer alone counts.
 */
async function connectedConnections(session: SessionController): Promise<Set<string> | null> {
  try {
    const accounts = await session.myAccount().connectedAccounts();
    return new Set(accounts.map((account) => account.connection));
  } catch (error) {
    if (error instanceof SessionEndedError) throw error;
    return null;
  }
}
