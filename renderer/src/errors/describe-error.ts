import type { IpcErrorCode } from '@linkboard/contract/ipc';
import { isLinkboardError, type LinkboardError } from '../api/linkboard-error';

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

/** The words of one code, from the error and the provider it is about. */
interface CodeText {
  describe(
    error: LinkboardError,
    context: ErrorContext,
  ): Omit<ErrorDescription, 'code' | 'reference'>;
  /** Whether the broker's request id is worth quoting to an administrator for this code. */
  quotesRequestId: boolean;
}

const providerOf = (context: ErrorContext) => context.providerName ?? 'this account';

const unreachable: CodeText = {
  quotesRequestId: true,
  describe: (error, context) => ({
    title: "Linkboard can't reach its service right now",
    detail:
      error.code === 'upstream_unavailable'
        ? `${context.providerName ?? 'The provider'} isn't answering Linkboard's service. Try again in a moment.`
        : 'Check your network connection, then try again.',
    action: 'retry',
  }),
};

const signInRefused: CodeText = {
  quotesRequestId: true,
  describe: () => ({
    title: "Linkboard's service didn't accept your sign-in",
    detail: 'Sign out and sign in again. If it keeps happening, tell your administrator.',
    action: 'retry',
  }),
};

const viewNotAllowed: CodeText = {
  quotesRequestId: true,
  describe: () => ({
    title: "Linkboard's service doesn't allow this view",
    detail:
      'The service and this app disagree about what may be shown. Updating Linkboard may help; otherwise tell your administrator.',
    action: 'none',
  }),
};

/** Codes with nothing more specific to say than that it failed, and whom to tell. */
const somethingWentWrong: CodeText = {
  quotesRequestId: true,
  describe: (error) => ({
    title: 'Something went wrong',
    detail: `${error.message} Try again; if it keeps happening, tell your administrator${error.requestId ? ' and quote the request id' : ''}.`,
    action: 'retry',
  }),
};

/**
 * The words for every code the bridge can give, main's and the broker's alike. A `Record` over the
 * contract's codes, not a `switch` with a default: a code added to the contract fails to compile
 * here until it has its text.
 */
const CODE_TEXTS: Record<IpcErrorCode, CodeText> = {
  idp_reauth_required: {
    quotesRequestId: false,
    describe: (_error, context) => {
      const provider = providerOf(context);
      return {
        title: `Your ${provider} link has expired — sign in with ${provider} again to reconnect it`,
        detail: `${provider} no longer accepts the access Linkboard had. Once you have signed in with ${provider} again, try again here.`,
        action: 'retry',
      };
    },
  },
  idp_token_unavailable: {
    quotesRequestId: false,
    describe: (_error, context) => {
      const provider = providerOf(context);
      return {
        title: `No ${provider} access is available for your account`,
        detail: `Your organisation's sign-in service keeps no ${provider} token for you, so Linkboard can't show this data. Ask your administrator to allow it for the ${provider} connection.`,
        action: 'none',
      };
    },
  },
  identity_not_linked: {
    quotesRequestId: false,
    describe: (_error, context) => {
      const provider = providerOf(context);
      return {
        title: `${provider} isn't linked to your account`,
        detail: `Link your ${provider} account to your sign-in, then try again.`,
        action: 'retry',
      };
    },
  },
  upstream_rate_limited: {
    quotesRequestId: false,
    describe: (error, context) => {
      const seconds = error.retryAfter ?? 60;
      return {
        title: `${context.providerName ?? 'The service'} is asking Linkboard to slow down`,
        detail: `Too many requests in a short time. Wait ${seconds} second${seconds === 1 ? '' : 's'}, then try again.`,
        action: 'wait-and-retry',
        retryAfter: seconds,
      };
    },
  },
  broker_unreachable: unreachable,
  upstream_unavailable: unreachable,
  broker_timeout: {
    quotesRequestId: true,
    describe: () => ({
      title: "Linkboard's service took too long to answer",
      detail: 'It may be busy. Try again in a moment.',
      action: 'retry',
    }),
  },
  invalid_token: signInRefused,
  insufficient_scope: signInRefused,
  path_not_allowed: viewNotAllowed,
  method_not_allowed: viewNotAllowed,
  provider_unknown: viewNotAllowed,
  keychain_unavailable: {
    quotesRequestId: false,
    describe: () => ({
      title: "Linkboard can't use this computer's keychain",
      detail: 'Your sign-in is kept in memory only until you quit the app.',
      action: 'none',
    }),
  },
  update_not_ready: {
    quotesRequestId: false,
    describe: () => ({
      title: 'No update is ready to install yet',
      detail: 'Linkboard offers to restart once a new version has finished downloading.',
      action: 'none',
    }),
  },
  invalid_request: somethingWentWrong,
  payload_too_large: somethingWentWrong,
  upstream_error: somethingWentWrong,
  internal_error: somethingWentWrong,
  forbidden_sender: somethingWentWrong,
  unknown_channel: somethingWentWrong,
  invalid_payload: somethingWentWrong,
  url_not_allowed: somethingWentWrong,
  sign_in_not_pending: somethingWentWrong,
  redirect_port_unavailable: somethingWentWrong,
  broker_bad_response: somethingWentWrong,
};

/** Says what happened and what to do, for every error code the bridge can give. */
export function describeError(error: unknown, context: ErrorContext = {}): ErrorDescription {
  if (!isLinkboardError(error)) {
    return {
      code: 'unknown',
      title: "Linkboard can't reach your organisation's sign-in service",
      detail: 'Linkboard needs it to renew your sign-in. Check your connection, then try again.',
      action: 'retry',
    };
  }
  // A code from a newer main or broker than this renderer knows still gets an honest answer.
  const text = Object.hasOwn(CODE_TEXTS, error.code) ? CODE_TEXTS[error.code] : somethingWentWrong;
  const description: ErrorDescription = { code: error.code, ...text.describe(error, context) };
  return text.quotesRequestId && error.requestId
    ? { ...description, reference: `Request id ${error.requestId}` }
    : description;
}
