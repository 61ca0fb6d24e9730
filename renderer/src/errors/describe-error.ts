import { isLinkboardError } from '../api/linkboard-error';

/** What the user can do about an error, which decides the button the panel offers. */
export type ErrorAction = 'retry' | 'wait-and-retry' | 'none';

export interface ErrorDescription {
  code: string;
  title: string;
  detail: string;
  action: ErrorAction;
  /** Seconds to wait before retrying (rate limits). */
  retryAfter?: number;
  /** Something to quote to an administrator. */
  reference?: string;
}

export interface ErrorContext {
  /** "GitHub", when the error is about one provider. */
  providerName?: string;
}

/** Says what happened and what to do, for every error code the bridge can give. */
export function describeError(error: unknown, context: ErrorContext = {}): ErrorDescription {
  const provider = context.providerName ?? 'this account';
  if (!isLinkboardError(error)) {
    return {
      code: 'unknown',
      title: "Linkboard can't reach your organisation's sign-in service",
      detail: 'Linkboard needs it to renew your sign-in. Check your connection, then try again.',
      action: 'retry',
    };
  }
  const reference = error.requestId ? `Request id ${error.requestId}` : undefined;
  const withReference = (description: ErrorDescription): ErrorDescription =>
    reference ? { ...description, reference } : description;

  switch (error.code) {
    case 'idp_reauth_required':
      return {
        code: error.code,
        title: `Your ${provider} link has expired — sign in with ${provider} again to reconnect it`,
        detail: `${provider} no longer accepts the access Linkboard had. Once you have signed in with ${provider} again, try again here.`,
        action: 'retry',
      };
    case 'idp_token_unavailable':
      return {
        code: error.code,
        title: `No ${provider} access is available for your account`,
        detail: `Your organisation's sign-in service keeps no ${provider} token for you, so Linkboard can't show this data. Ask your administrator to allow it for the ${provider} connection.`,
        action: 'none',
      };
    case 'identity_not_linked':
      return {
        code: error.code,
        title: `${provider} isn't linked to your account`,
        detail: `Link your ${provider} account to your sign-in, then try again.`,
        action: 'retry',
      };
    case 'upstream_rate_limited': {
      const seconds = error.retryAfter ?? 60;
      return {
        code: error.code,
        title: `${context.providerName ?? 'The service'} is asking Linkboard to slow down`,
        detail: `Too many requests in a short time. Wait ${seconds} second${seconds === 1 ? '' : 's'}, then try again.`,
        action: 'wait-and-retry',
        retryAfter: seconds,
      };
    }
    case 'broker_unreachable':
    case 'upstream_unavailable':
      return withReference({
        code: error.code,
        title: "Linkboard can't reach its service right now",
        detail:
          error.code === 'upstream_unavailable'
            ? `${context.providerName ?? 'The provider'} isn't answering Linkboard's service. Try again in a moment.`
            : 'Check your network connection, then try again.',
        action: 'retry',
      });
    case 'broker_timeout':
      return withReference({
        code: error.code,
        title: "Linkboard's service took too long to answer",
        detail: 'It may be busy. Try again in a moment.',
        action: 'retry',
      });
    case 'invalid_token':
    case 'insufficient_scope':
      return withReference({
        code: error.code,
        title: "Linkboard's service didn't accept your sign-in",
        detail: 'Sign out and sign in again. If it keeps happening, tell your administrator.',
        action: 'retry',
      });
    case 'path_not_allowed':
    case 'method_not_allowed':
    case 'provider_unknown':
      return withReference({
        code: error.code,
        title: "Linkboard's service doesn't allow this view",
        detail:
          'The service and this app disagree about what may be shown. Updating Linkboard may help; otherwise tell your administrator.',
        action: 'none',
      });
    case 'keychain_unavailable':
      return {
        code: error.code,
        title: "Linkboard can't use this computer's keychain",
        detail: 'Your sign-in is kept in memory only until you quit the app.',
        action: 'none',
      };
    case 'update_not_ready':
      return {
        code: error.code,
        title: 'No update is ready to install yet',
        detail: 'Linkboard offers to restart once a new version has finished downloading.',
        action: 'none',
      };
    default:
      return withReference({
        code: error.code,
        title: 'Something went wrong',
        detail: `${error.message} Try again; if it keeps happening, tell your administrator${reference ? ' and quote the request id' : ''}.`,
        action: 'retry',
      });
  }
}
