import { z } from 'zod';

/** Stable error codes of the broker API (docs/architecture.md#problem-codes). */
export const ProblemCode = z.enum([
  'invalid_request',
  'invalid_token',
  'insufficient_scope',
  'identity_not_linked',
  'idp_token_unavailable',
  'idp_reauth_required',
  'path_not_allowed',
  'method_not_allowed',
  'provider_unknown',
  'payload_too_large',
  'rate_limited',
  'upstream_rate_limited',
  'upstream_unavailable',
  'upstream_error',
  'internal_error',
]);
export type ProblemCode = z.infer<typeof ProblemCode>;

/** RFC 9457 problem details, as the broker sends them (`application/problem+json`). */
export const Problem = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string().optional(),
  code: ProblemCode,
  instance: z.string().optional(),
  /** Request id, to quote to an operator. */
  requestId: z.string().optional(),
  /** Seconds to wait before retrying, when the broker knows. */
  retryAfter: z.number().int().nonnegative().optional(),
  /**
   * The user can fix this by connecting the account from the app (Connected Accounts, My Account
   * API): the connection to connect.
   */
  connect: z.object({ connection: z.string() }).optional(),
});
export type Problem = z.infer<typeof Problem>;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';
