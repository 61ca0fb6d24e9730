import { BrokerError } from './broker-error.js';

/**
 * Which check refused a caller's token. A closed list, so it can label a metric
 * (`broker_token_refusals_total{reason}`) and a log line without letting a caller pick the label.
 */
export const TOKEN_REFUSAL_REASONS = [
  'missing',
  'not_bearer',
  'too_large',
  'not_jws',
  'header_unreadable',
  'algorithm',
  'key_reference',
  'critical_header',
  'token_type',
  'expired',
  'not_yet_valid',
  'issuer',
  'audience',
  'claim_missing',
  'claim_invalid',
  'unknown_key',
  'ambiguous_key',
  'signature',
  'malformed',
  'm2m_token',
  'id_token',
  'scope',
] as const;
export type TokenRefusalReason = (typeof TOKEN_REFUSAL_REASONS)[number];

/**
 * A caller's token refused by one named check, like jose's error classes: `reason` is data, for
 * logs, metrics and tests; `detail` is what the caller reads. `insufficient_scope` for a missing
 * scope, `invalid_token` for everything else.
 */
export class TokenRefusal extends BrokerError {
  constructor(
    readonly reason: TokenRefusalReason,
    detail: string,
  ) {
    super(reason === 'scope' ? 'insufficient_scope' : 'invalid_token', detail);
    this.name = 'TokenRefusal';
  }
}
