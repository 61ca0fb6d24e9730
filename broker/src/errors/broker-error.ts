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
  rate_limited: 429,
  upstream_rate_limited: 429,
  upstream_unavailable: 503,
  upstream_error: 502,
  internal_error: 500,
};

export interface BrokerErrorExtra {
  retryAfterSeconds?: number;
  /** Headers that go with the answer, e.g. `Allow` or an upstream's rate-limit headers. */
  headers?: Record<string, string>;
  /** The connection the user can connect from the app to fix this (the problem's `connect`). */
  connect?: string;
  /** Only where the code's usual status would mislead, e.g. 404 for an unknown route. */
  status?: number;
  /** For `upstream_rate_limited`: whose rate limit refused the call (a metric's label). */
  limitedBy?: UpstreamLimit;
}

/** The upstream rate limits the broker answers 429 for (`broker_rate_limit_refusals_total`). */
export const UPSTREAM_LIMITS = ['management', 'token_endpoint', 'provider'] as const;
export type UpstreamLimit = (typeof UPSTREAM_LIMITS)[number];

/**
 * The broker's domain error: a stable code and a `detail` for the caller, thrown by any part and
 * rendered as `application/problem+json` by the HTTP layer (`http/problem-plugin.ts`).
 * `detail` is shown to callers: it must never carry a token or a secret.
 */
export class BrokerError extends Error {
  readonly status: number;
  constructor(
    readonly code: ProblemCode,
    readonly detail?: string,
    readonly extra: BrokerErrorExtra = {},
  ) {
    super(detail ?? code);
    this.name = 'BrokerError';
    this.status = extra.status ?? PROBLEM_STATUS[code];
  }
}
