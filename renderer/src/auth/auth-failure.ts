import { isLinkboardError } from '../api/linkboard-error';

/** Errors (OAuth `error` codes) after which the remembered sign-in is of no more use. */
const SESSION_OVER = new Set([
  'invalid_grant',
  'missing_refresh_token',
  'login_required',
  'consent_required',
  'interaction_required',
]);

function oauthErrorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'error' in error) {
    const code = (error as { error: unknown }).error;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

/** The refresh token is missing, expired or revoked: only a new sign-in helps. */
export function isSessionOver(error: unknown): boolean {
  const code = oauthErrorCode(error);
  return code !== undefined && SESSION_OVER.has(code);
}

/** What to tell someone whose sign-in attempt failed, in words they can act on. */
export function describeSignInFailure(error: unknown): string {
  if (isLinkboardError(error)) {
    if (error.code === 'url_not_allowed') {
      return "Linkboard didn't open the sign-in page because its address isn't your organisation's sign-in service. Check the sign-in domain in your settings.";
    }
    return `Linkboard couldn't start signing in (${error.message}). Try again.`;
  }
  const code = oauthErrorCode(error);
  if (code === 'state_mismatch') {
    return 'The browser answered a different sign-in than the one this app started. Try again.';
  }
  if (code === 'access_denied') {
    return 'Sign-in was declined in the browser. Try again when you are ready.';
  }
  if (code !== undefined) {
    const description = (error as { error_description?: unknown }).error_description;
    return `Sign-in didn't finish: ${typeof description === 'string' ? description : code}. Try again.`;
  }
  return "Linkboard couldn't reach your organisation's sign-in service. Check your connection and try again.";
}

/** Why a remembered sign-in could not be renewed at start. */
export function describeRenewalFailure(error: unknown): string {
  if (isSessionOver(error)) return 'Your sign-in has expired. Sign in again to continue.';
  return "Linkboard couldn't renew your sign-in because your organisation's sign-in service didn't answer. Sign in again, or check your connection.";
}
