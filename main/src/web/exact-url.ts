/**
 * A URL from outside (the page, a provider's data) read for what it says and nothing else, before
 * anything is opened with it: the checks the system browser's opener and the provider-page opener
 * share.
 */

/**
 * The URL `raw` names, or why it may not be read: the URL parser turns `\` into `/` and drops tabs
 * and newlines, so a URL with any of them, spaces or control characters would not mean what it
 * says.
 */
export function parseExactUrl(raw: string): { url: URL } | { reason: string } {
  // eslint-disable-next-line no-control-regex -- control characters are what this refuses
  if (/[\\\s\u0000-\u001f\u007f]/.test(raw)) {
    return { reason: 'backslash, space or control character' };
  }
  try {
    return { url: new URL(raw) };
  } catch {
    return { reason: 'not a URL' };
  }
}

/**
 * Whether the URL carries a user name or password. `https://@host/` parses to an empty user name,
 * so the authority as written is looked at too.
 */
export function carriesCredentials(raw: string, url: URL): boolean {
  const authority = raw.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[/?#]/)[0] ?? '';
  return url.username !== '' || url.password !== '' || authority.includes('@');
}
