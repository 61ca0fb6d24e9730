import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { createLinkboardClient } from '../../src/api/linkboard-client';
import { LinkboardContext } from '../../src/api/linkboard-context';
import { SessionContext } from '../../src/auth/session-context';
import { SessionController } from '../../src/auth/session-controller';
import {
  createFakeLinkboard,
  seedRememberedSession,
  type FakeLinkboard,
} from '../../dev/fake-linkboard';
import { FakeAuthClient } from './fake-auth-client';
import { I18nProvider } from '../../src/i18n/I18nProvider';

/**
 * A signed-in session over the fake bridge, and `ui` rendered inside its contexts: for testing a
 * screen or view on its own.
 */
export async function renderSignedIn(
  ui: ReactElement,
  fake: FakeLinkboard = createFakeLinkboard(),
) {
  seedRememberedSession(fake);
  const auth = new FakeAuthClient(fake.state.info.config.auth0Domain);
  const client = createLinkboardClient(fake);
  const controller = new SessionController({ linkboard: client, createAuthClient: () => auth });
  await controller.start();
  if (controller.getSnapshot().state.status !== 'signed-in') {
    throw new Error(`expected a signed-in session, got ${controller.getSnapshot().state.status}`);
  }
  const view = render(
    <I18nProvider initialSetting="en">
      <LinkboardContext.Provider value={client}>
        <SessionContext.Provider value={controller}>{ui}</SessionContext.Provider>
      </LinkboardContext.Provider>
    </I18nProvider>,
  );
  return { ...view, fake, auth, controller };
}
