import { useCallback, useEffect, useRef, useState } from 'react';
import { useLinkboard } from '../api/linkboard-context';
import { useSessionController } from '../auth/session-context';
import { SessionEndedError } from '../auth/session-controller';
import { toLinkedAccounts, type LinkedAccount } from './linked-account';

export type AccountsState =
  | { status: 'loading' }
  | { status: 'error'; error: unknown }
  /** `refreshing`: a reload is under way; the accounts shown until it answers are the last ones. */
  | { status: 'ready'; accounts: LinkedAccount[]; refreshing?: boolean };

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

  /** Loads the accounts; resolves to the state to show, or `null` when a newer load superseded it. */
  const fetchAccounts = useCallback(async (): Promise<AccountsState | null> => {
    const ticket = {};
    latest.current = ticket;
    try {
      const accessToken = await session.getAccessToken();
      const [{ identities }, { providers }] = await Promise.all([
        linkboard.broker.identities({ accessToken }),
        linkboard.broker.providers({ accessToken }),
      ]);
      if (latest.current !== ticket) return null;
      return { status: 'ready', accounts: toLinkedAccounts(identities, providers, subject) };
    } catch (error) {
      // A finished session already took the app back to the sign-in screen.
      if (latest.current !== ticket || error instanceof SessionEndedError) return null;
      return { status: 'error', error };
    }
  }, [linkboard, session, subject]);

  const show = useCallback((next: AccountsState | null) => {
    if (next) setState(next);
  }, []);

  useEffect(() => {
    void fetchAccounts().then(show);
    return () => {
      latest.current = null;
    };
  }, [fetchAccounts, show]);

  const reload = useCallback(() => {
    // Keep the accounts on screen (and in the sidebar) while they reload.
    setState((previous) =>
      previous.status === 'ready' ? { ...previous, refreshing: true } : { status: 'loading' },
    );
    void fetchAccounts().then(show);
  }, [fetchAccounts, show]);

  return { state, reload };
}
