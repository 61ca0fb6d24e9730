/**
 * Names the desktop app, the sandbox and the tests must agree on.
 */

/** The privileged custom protocol that serves the renderer: the page's origin is `app://linkboard`. */
export const RENDERER_SCHEME = 'app';
export const RENDERER_HOST = 'linkboard';
export const RENDERER_ORIGIN = `${RENDERER_SCHEME}://${RENDERER_HOST}`;

/**
 * The languages the app speaks, each complete: the renderer's message catalogues, the sign-in
 * page main shows in the browser, and the `language` configuration key that forces one.
 */
export const APP_LANGUAGES = ['en', 'de'] as const;
export type AppLanguage = (typeof APP_LANGUAGES)[number];

/** The sign-in callback in custom-scheme redirect mode. */
export const CUSTOM_SCHEME = 'linkboard';
export const CUSTOM_SCHEME_REDIRECT_URI = `${CUSTOM_SCHEME}://callback`;

/** The one event main sends to the renderer: the sign-in callback URL, alone. */
export const AUTH_CALLBACK_EVENT = 'auth:callback';

/**
 * How long a sign-in may take in the browser: main stops listening for the callback and the page
 * gives up at the same moment.
 */
export const SIGN_IN_TIMEOUT_MS = 5 * 60 * 1000;

/** The loopback sign-in callback path (RFC 8252 §7.3): `http://127.0.0.1:{port}/callback`. */
export const LOOPBACK_CALLBACK_PATH = '/callback';

/** Scopes the desktop app asks for (docs/architecture.md#sign-in). */
export const DESKTOP_SCOPE = 'openid profile email offline_access read:linked_accounts';
/** The scope the broker requires of every caller. */
export const BROKER_SCOPE = 'read:linked_accounts';

/**
 * Where the page asks main's protocol for a provider's image: `/_images/{connection}?url={url}`,
 * on the page's own origin, so the CSP's `img-src 'self'` covers it.
 */
export const PROVIDER_IMAGE_PATH = '/_images/';

/** The same-origin path of a provider image (see PROVIDER_IMAGE_PATH). */
export function providerImagePath(connection: string, url: string): string {
  return `${PROVIDER_IMAGE_PATH}${encodeURIComponent(connection)}?${new URLSearchParams({ url })}`;
}
