import { useMemo } from 'react';
import type { LinkboardApi } from '@linkboard/contract/ipc';
import { createLinkboardClient } from './api/linkboard-client';
import { LinkboardContext } from './api/linkboard-context';
import type { AuthClientFactory } from './auth/auth-client';
import { SessionContext } from './auth/session-context';
import { SessionController } from './auth/session-controller';
import { App } from './App';
import { CrashBoundary } from './components/CrashBoundary';
import { UnavailableScreen } from './screens/UnavailableScreen';
import { message } from './i18n/message';
import { I18nProvider } from './i18n/I18nProvider';
import { useConfiguredLanguage } from './i18n/configured-language';
import type { LanguageSetting } from './i18n/locale';

interface RootProps {
  /** `window.linkboard`; missing when the page is opened outside the app. */
  linkboard: LinkboardApi | undefined;
  createAuthClient: AuthClientFactory;
  /** The language to start in; by default the one chosen in Settings, else the computer's. */
  language?: LanguageSetting;
}

/**
 * Wires the bridge and the session into React, inside the app's language (which the
 * configuration read by the session may force). Tests render this with a fake bridge.
 */
export function Root({ linkboard, createAuthClient, language }: RootProps) {
  const client = useMemo(() => (linkboard ? createLinkboardClient(linkboard) : null), [linkboard]);
  const controller = useMemo(
    () => (client ? new SessionController({ linkboard: client, createAuthClient }) : null),
    [client, createAuthClient],
  );
  const configured = useConfiguredLanguage(controller);

  return (
    <I18nProvider {...(language ? { initialSetting: language } : {})} configured={configured}>
      {client && controller ? (
        <CrashBoundary>
          <LinkboardContext.Provider value={client}>
            <SessionContext.Provider value={controller}>
              <App />
            </SessionContext.Provider>
          </LinkboardContext.Provider>
        </CrashBoundary>
      ) : (
        <UnavailableScreen
          message={message('app.bridgeMissing')}
          onRetry={() => window.location.reload()}
        />
      )}
    </I18nProvider>
  );
}
