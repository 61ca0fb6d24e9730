import { CUSTOM_SCHEME, CUSTOM_SCHEME_REDIRECT_URI } from '@linkboard/contract/desktop';
import { isCompleteCallbackQuery } from './callback-query.js';

const MAX_CALLBACK_LENGTH = 8192;

/**
 * The sign-in callback in custom-scheme mode, as the OS hands it over (`open-url` on macOS, a
 * command-line argument of the second instance on Windows and Linux). Only a well-formed
 * `linkboard://callback?state=…&code=…` (or `error=…`) is accepted: no other host or path, no user
 * name, port or fragment. Returns the normalised URL, or null.
 */
export function parseCustomSchemeCallback(raw: string): string | null {
  if (raw.length > MAX_CALLBACK_LENGTH) return null;
  if (!raw.toLowerCase().startsWith(`${CUSTOM_SCHEME_REDIRECT_URI}?`)) return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== `${CUSTOM_SCHEME}:` || url.host !== 'callback' || url.pathname !== '')
    return null;
  if (url.username || url.password || url.port || url.hash) return null;
  if (!isCompleteCallbackQuery(url.searchParams)) return null;
  return url.href;
}

/** The callback URL among a second instance's command-line arguments, if one is well-formed. */
export function findCustomSchemeCallback(argv: readonly string[]): string | null {
  for (const argument of argv) {
    const url = parseCustomSchemeCallback(argument);
    if (url) return url;
  }
  return null;
}
