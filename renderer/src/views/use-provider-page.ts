import { useCallback, useEffect, useState } from 'react';
import { useLinkboard } from '../api/linkboard-context';
import type { Message } from '../i18n/message';
import { message } from '../i18n/message';

/** What the last open or copy came to, for a polite announcement under the view. */
export type ProviderPageStatus = { tone: 'info' | 'error'; message: Message } | null;

/** How long the status stays in sight over the view (it floats at the window's bottom edge). */
export const PROVIDER_PAGE_STATUS_MS = 8000;

/**
 * Opens a provider page in the system browser or copies its link, both through main (which
 * allows only the provider's own web origins), and says how it went.
 */
export function useProviderPage(connection: string, providerName: string) {
  const linkboard = useLinkboard();
  const [status, setStatus] = useState<ProviderPageStatus>(null);
  useEffect(() => {
    if (!status) return;
    const timer = setTimeout(() => setStatus(null), PROVIDER_PAGE_STATUS_MS);
    return () => clearTimeout(timer);
  }, [status]);
  const refused = useCallback(
    () => setStatus({ tone: 'error', message: message('web.refused', { name: providerName }) }),
    [providerName],
  );
  const open = useCallback(
    async (url: string) => {
      setStatus(null);
      try {
        await linkboard.web.open({ connection, url });
      } catch {
        refused();
      }
    },
    [linkboard, connection, refused],
  );
  const copy = useCallback(
    async (url: string) => {
      setStatus(null);
      try {
        await linkboard.web.copy({ connection, url });
        setStatus({ tone: 'info', message: message('web.copied') });
      } catch {
        refused();
      }
    },
    [linkboard, connection, refused],
  );
  return { open, copy, status };
}
