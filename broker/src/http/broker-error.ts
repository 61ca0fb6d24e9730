import type { ProblemCode } from '@linkboard/contract';

/** HTTP status for each stable problem code; one place, so a code always means one status. */
const PROBLEM_STATUS: Record<ProblemCode, number> = {
  invalid_request: 400,
  invalid_token: 401,
  insufficient_scope: 403,
  identity_not_linked: 404,
  idp_token_unavailable: 403,
  idp_reauth_required: 403,
  path_not_allowed: 403,
  method_not_allowed: 405,
  provider_unknown: 404,
  payload_too_large: 413,
  upstream_rate_limited: 429,
  upstream_unavailable: 503,
  upstream_error: 502,
  internal_error: 500,
};

const TITLES: Record<ProblemCode, string> = {
  invalid_request: 'The request is malformed',
  invalid_token: 'The access token is not acceptable',
  insufficient_scope: 'The access token lacks the required scope',
  identity_not_linked: 'No identity of this connection is linked to your account',
  idp_token_unavailable: 'The tenant holds no token for this identity',
  idp_reauth_required: 'Sign in with this provider again',
  path_not_allowed: 'This path is not allowed',
  method_not_allowed: 'This method is not allowed',
  provider_unknown: 'This provider is not in the catalogue',
  payload_too_large: 'The request or the answer is too large',
  upstream_rate_limited: 'The upstream service is rate limiting',
  upstream_unavailable: 'The upstream service is unavailable',
  upstream_error: 'The upstream service answered with an error',
  internal_error: 'The broker failed',
};

export function problemTitle(code: ProblemCode): string {
  return TITLES[code];
}

/**
 * An error with a stable code, turned into `application/problem+json` by the error handler.
 * `detail` is shown to callers: it must never carry a token or a secret.
 */
export class BrokerError extends Error {
  readonly status: number;
  constructor(
    readonly code: ProblemCode,
    readonly detail?: string,
    readonly extra: {
      retryAfterSeconds?: number;
      headers?: Record<string, string>;
      /** Only where the code's usual status would mislead, e.g. 404 for an unknown route. */
      status?: number;
    } = {},
  ) {
    super(detail ?? TITLES[code]);
    this.name = 'BrokerError';
    this.status = extra.status ?? PROBLEM_STATUS[code];
  }
}
