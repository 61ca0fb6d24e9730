import { isLinkboardError } from '../api/linkboard-error';
import { message, type Message } from '../i18n/message';

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
export function describeSignInFailure(error: unknown): Message {
  if (isLinkboardError(error)) {
    if (error.code === 'url_not_allowed') {
      return message('notice.urlNotAllowed');
    }
    return message('notice.couldNotStart', { reason: error.message });
  }
  const code = oauthErrorCode(error);
  if (code === 'state_mismatch') {
    return message('notice.stateMismatch');
  }
  if (code === 'access_denied') {
    return message('notice.accessDenied');
  }
  if (code !== undefined) {
    // Only our own words, and the provider's code for support: `error_description` comes with the
    // callback, which anyone could have sent, so it is never shown as instructions.
    return message('notice.didNotFinish', { code: code.slice(0, 64) });
  }
  return message('notice.unreachable');
}

/** Why a remembered sign-in could not be renewed at start. */
export function describeRenewalFailure(error: unknown): Message {
  if (isSessionOver(error)) return message('notice.sessionExpired');
  return message('notice.renewalFailed');
}
