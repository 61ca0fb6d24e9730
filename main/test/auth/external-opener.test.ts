import { describe, expect, it } from 'vitest';
import { authorizeUrl as appAuthorizeUrl, SIGN_IN_STATE } from './authorize-url.js';
import { AUDIENCE, CLIENT_ID, openerFixture, REDIRECT_URI } from './opener-fixture.js';

const STATE = SIGN_IN_STATE;
const APP = { clientId: CLIENT_ID, audience: AUDIENCE, redirectUri: REDIRECT_URI };

/** The app's `/authorize` URL on `origin`, with `changes` and anything `extra` appended. */
function authorizeUrl(origin: string, changes: Record<string, string | null> = {}, extra = '') {
  return `${appAuthorizeUrl(origin, APP, changes)}${extra}`;
}

describe('external opener', () => {
  it('opens /authorize and /v2/logout on the configured origin, and tells the sign-in its state', async () => {
    const { opener, opened, expectedStates } = openerFixture();
    await opener.open(authorizeUrl('https://tenant.auth0.com'));
    const logout = `https://tenant.auth0.com/v2/logout?client_id=${CLIENT_ID}&auth0Client=eyJ9`;
    await opener.open(logout);
    expect(opened).toHaveLength(2);
    const signIn = new URL(opened[0] ?? '');
    expect(`${signIn.origin}${signIn.pathname}`).toBe('https://tenant.auth0.com/authorize');
    expect(Object.fromEntries(signIn.searchParams)).toEqual(
      Object.fromEntries(new URL(authorizeUrl('https://tenant.auth0.com')).searchParams),
    );
    expect(opened[1]).toBe(logout);
    expect(expectedStates).toEqual([STATE]);
  });

  it('opens the sandbox origin over loopback http in development', async () => {
    const { opener, opened } = openerFixture({ origin: 'http://127.0.0.1:4100' });
    await opener.open(authorizeUrl('http://127.0.0.1:4100'));
    expect(opened).toHaveLength(1);
    await expect(opener.open(authorizeUrl('http://127.0.0.1:4101'))).rejects.toMatchObject({
      code: 'url_not_allowed',
    });
  });

  it.each([
    ['another client_id', authorizeUrl('https://tenant.auth0.com', { client_id: 'other-app' })],
    [
      'another audience',
      authorizeUrl('https://tenant.auth0.com', { audience: 'https://api.evil/' }),
    ],
    [
      'another redirect_uri',
      authorizeUrl('https://tenant.auth0.com', { redirect_uri: 'https://evil.example/callback' }),
    ],
    [
      'more scopes',
      authorizeUrl('https://tenant.auth0.com', {
        scope: 'openid profile email offline_access read:linked_accounts read:users',
      }),
    ],
    ['an implicit grant', authorizeUrl('https://tenant.auth0.com', { response_type: 'token' })],
    [
      'a plain PKCE challenge',
      authorizeUrl('https://tenant.auth0.com', { code_challenge_method: 'plain' }),
    ],
    ['no state', authorizeUrl('https://tenant.auth0.com', { state: null })],
    [
      'a parameter the app never sends',
      authorizeUrl('https://tenant.auth0.com', { connection: 'evil-idp' }),
    ],
    [
      'a repeated parameter',
      authorizeUrl('https://tenant.auth0.com', {}, `&client_id=${CLIENT_ID}`),
    ],
    ['a logout for another client', 'https://tenant.auth0.com/v2/logout?client_id=other-app'],
    [
      'a logout returning elsewhere',
      `https://tenant.auth0.com/v2/logout?client_id=${CLIENT_ID}&returnTo=https%3A%2F%2Fevil.example%2F`,
    ],
  ])('refuses %s: what opens is built from configuration', async (_name, url) => {
    const { opener, opened, warnings, expectedStates } = openerFixture();
    await expect(opener.open(url)).rejects.toMatchObject({ code: 'url_not_allowed' });
    expect(opened).toEqual([]);
    expect(expectedStates).toEqual([]);
    expect(warnings).toHaveLength(1);
  });

  it('refuses a sign-in page when no sign-in is waiting for its callback', async () => {
    const { opener, opened } = openerFixture({ pending: false });
    await expect(opener.open(authorizeUrl('https://tenant.auth0.com'))).rejects.toMatchObject({
      code: 'url_not_allowed',
    });
    expect(opened).toEqual([]);
  });

  it.each([
    ['a look-alike host', 'https://tenant.auth0.com.evil.com/authorize'],
    ['a look-alike prefix', 'https://eviltenant.auth0.com/authorize'],
    ['credentials before the host', 'https://tenant.auth0.com@evil.com/authorize'],
    ['a user name', 'https://user@tenant.auth0.com/authorize'],
    ['an empty user name', 'https://@tenant.auth0.com/authorize'],
    ['a backslash trick', 'https://evil.com\\@tenant.auth0.com/authorize'],
    ['another host', 'https://evil.com/authorize'],
    ['another port', 'https://tenant.auth0.com:8443/authorize'],
    ['another path', 'https://tenant.auth0.com/oauth/token'],
    ['a longer path', 'https://tenant.auth0.com/authorize/extra'],
    ['an encoded path', 'https://tenant.auth0.com/%61uthorize'],
    ['the root', 'https://tenant.auth0.com/'],
    ['plain http', 'http://tenant.auth0.com/authorize'],
    ['javascript:', 'javascript:alert(1)//https://tenant.auth0.com/authorize'],
    ['file:', 'file:///etc/passwd'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['a custom scheme', 'linkboard://callback?code=x&state=y'],
    ['a newline', 'https://tenant.auth0.com/author\nize'],
    ['not a URL', 'tenant.auth0.com/authorize'],
  ])('refuses %s and logs the refusal', async (_name, url) => {
    const { opener, opened, warnings } = openerFixture();
    await expect(opener.open(url)).rejects.toMatchObject({ code: 'url_not_allowed' });
    expect(opened).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(JSON.stringify(warnings)).not.toContain('?');
  });
});
