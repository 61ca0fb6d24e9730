import type { IpcErrorCode } from '@linkboard/contract/ipc';
import { isLinkboardError, type LinkboardError } from '../api/linkboard-error';
import type { MessageValues } from '../i18n/message';
import type { MessageId } from '../i18n/messages-en';

/** The current language's text for a message (`useT().t`). */
export type Translate = (id: MessageId, values?: MessageValues) => string;

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
    t: Translate,
  ): Omit<ErrorDescription, 'code' | 'reference'>;
  /** Whether the broker's request id is worth quoting to an administrator for this code. */
  quotesRequestId: boolean;
}

const providerOf = (context: ErrorContext, t: Translate) =>
  context.providerName ?? t('error.thisAccount');

const unreachable: CodeText = {
  quotesRequestId: true,
  describe: (error, context, t) => ({
    title: t('error.unreachable.title'),
    detail:
      error.code === 'upstream_unavailable'
        ? t('error.unreachable.detailProvider', {
            provider: context.providerName ?? t('error.theProvider'),
          })
        : t('error.unreachable.detailNetwork'),
    action: 'retry',
  }),
};

const signInRefused: CodeText = {
  quotesRequestId: true,
  describe: (_error, _context, t) => ({
    title: t('error.signInRefused.title'),
    detail: t('error.signInRefused.detail'),
    action: 'retry',
  }),
};

const viewNotAllowed: CodeText = {
  quotesRequestId: true,
  describe: (_error, _context, t) => ({
    title: t('error.viewNotAllowed.title'),
    detail: t('error.viewNotAllowed.detail'),
    action: 'none',
  }),
};

/** Codes with nothing more specific to say than that it failed, and whom to tell. */
const somethingWentWrong: CodeText = {
  quotesRequestId: true,
  describe: (error, _context, t) => ({
    title: t('error.generic.title'),
    detail: t(error.requestId ? 'error.generic.detailQuote' : 'error.generic.detail', {
      message: error.message,
    }),
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
    describe: (_error, context, t) => {
      const provider = providerOf(context, t);
      return {
        title: t('error.reauth.title', { provider }),
        detail: t('error.reauth.detail', { provider }),
        action: 'retry',
      };
    },
  },
  idp_token_unavailable: {
    quotesRequestId: false,
    describe: (_error, context, t) => {
      const provider = providerOf(context, t);
      return {
        title: t('error.tokenUnavailable.title', { provider }),
        detail: t('error.tokenUnavailable.detail', { provider }),
        action: 'none',
      };
    },
  },
  identity_not_linked: {
    quotesRequestId: false,
    describe: (_error, context, t) => {
      const provider = providerOf(context, t);
      return {
        title: t('error.notLinked.title', { provider }),
        detail: t('error.notLinked.detail', { provider }),
        action: 'retry',
      };
    },
  },
  rate_limited: {
    quotesRequestId: false,
    describe: (error, _context, t) => {
      const seconds = error.retryAfter ?? 60;
      return {
        title: t('error.tooManyRequests.title'),
        detail: t('error.tooManyRequests.detail', { seconds }),
        action: 'wait-and-retry',
        retryAfter: seconds,
      };
    },
  },
  upstream_rate_limited: {
    quotesRequestId: false,
    describe: (error, context, t) => {
      const seconds = error.retryAfter ?? 60;
      return {
        title: t('error.rateLimited.title', {
          provider: context.providerName ?? t('error.theService'),
        }),
        detail: t('error.rateLimited.detail', { seconds }),
        action: 'wait-and-retry',
        retryAfter: seconds,
      };
    },
  },
  broker_unreachable: unreachable,
  upstream_unavailable: unreachable,
  broker_timeout: {
    quotesRequestId: true,
    describe: (_error, _context, t) => ({
      title: t('error.timeout.title'),
      detail: t('error.timeout.detail'),
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
    describe: (_error, _context, t) => ({
      title: t('error.keychain.title'),
      detail: t('error.keychain.detail'),
      action: 'none',
    }),
  },
  update_not_ready: {
    quotesRequestId: false,
    describe: (_error, _context, t) => ({
      title: t('error.updateNotReady.title'),
      detail: t('error.updateNotReady.detail'),
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

/**
 * Says what happened and what to do, for every error code the bridge can give, in the language of
 * `t` (the message catalogue).
 */
export function describeError(
  error: unknown,
  context: ErrorContext,
  t: Translate,
): ErrorDescription {
  if (!isLinkboardError(error)) {
    return {
      code: 'unknown',
      title: t('error.signInService.title'),
      detail: t('error.signInService.detail'),
      action: 'retry',
    };
  }
  // A code from a newer main or broker than this renderer knows still gets an honest answer.
  const text = Object.hasOwn(CODE_TEXTS, error.code) ? CODE_TEXTS[error.code] : somethingWentWrong;
  const description: ErrorDescription = { code: error.code, ...text.describe(error, context, t) };
  return text.quotesRequestId && error.requestId
    ? { ...description, reference: t('error.reference', { id: error.requestId }) }
    : description;
}
