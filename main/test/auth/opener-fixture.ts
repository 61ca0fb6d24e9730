import { createExternalOpener } from '../../src/auth/external-opener.js';

/** The desktop client the opener's tests stand for. */
export const CLIENT_ID = 'desktop-client';
export const AUDIENCE = 'https://broker.linkboard.example/';
export const REDIRECT_URI = 'http://127.0.0.1:53682/callback';

/**
 * An external opener for `origin` that records what it opened, what it warned about and the
 * states it told the sign-in to expect; `pending: false` stands for no sign-in or connect waiting
 * for its redirect.
 */
export function openerFixture({
  origin = 'https://tenant.auth0.com',
  pending = true,
}: { origin?: string; pending?: boolean } = {}) {
  const opened: string[] = [];
  const warnings: Array<Record<string, unknown>> = [];
  const expectedStates: string[] = [];
  const opener = createExternalOpener({
    client: { origin, clientId: CLIENT_ID, audience: AUDIENCE },
    pendingSignIn: () =>
      pending
        ? { redirectUri: REDIRECT_URI, expectState: (state) => expectedStates.push(state) }
        : null,
    openExternal: async (url) => {
      opened.push(url);
    },
    log: { warn: (_message, fields = {}) => warnings.push(fields) },
  });
  return { opener, opened, warnings, expectedStates };
}
