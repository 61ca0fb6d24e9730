import { parseRetryAfter } from '@linkboard/contract/retry-after';
import type { UpstreamResponse } from './upstream-client.js';

/**
 * Upstream response headers a caller may see. Everything else — `set-cookie`, `location`,
 * `www-authenticate`, server and tracing headers — stays in the broker.
 */
export const SAFE_RESPONSE_HEADERS: ReadonlySet<string> = new Set([
  'content-type',
  'content-language',
  'etag',
  'last-modified',
  'retry-after',
  'x-ratelimit-limit',
  'x-ratelimit-remaining',
  'x-ratelimit-reset',
  'x-ratelimit-used',
  'x-ratelimit-resource',
]);

// eslint-disable-next-line no-control-regex -- finding line breaks and NUL is the point
const UNSAFE_VALUE = /[\r\n\u0000]/;

/**
 * Only the safe headers are looked up (upstream header names arrive lower-cased from undici); any
 * other spelling is simply not found, so nothing unlisted can get through.
 */
export function safeResponseHeaders(headers: UpstreamResponse['headers']): Record<string, string> {
  const result: Record<string, string> = {};
  for (const name of SAFE_RESPONSE_HEADERS) {
    const value = headers[name];
    if (value === undefined) continue;
    const text = Array.isArray(value) ? value.join(', ') : value;
    if (UNSAFE_VALUE.test(text)) continue;
    result[name] = text;
  }
  return result;
}

/** Rate-limit headers only, to pass on with a 429 problem. */
export function rateLimitHeaders(headers: UpstreamResponse['headers']): Record<string, string> {
  const safe = safeResponseHeaders(headers);
  return Object.fromEntries(
    Object.entries(safe).filter(([name]) => name.startsWith('x-ratelimit-')),
  );
}

/**
 * Seconds to wait from `Retry-After` (seconds or an HTTP date) or, without it, an
 * `X-RateLimit-Reset` time; never more than `maxSeconds`: one upstream's "come back in an hour"
 * must not stop the broker, or its callers, for an hour.
 */
export function retryAfterSeconds(
  headers: UpstreamResponse['headers'],
  now: number,
  maxSeconds: number,
): number | undefined {
  const raw = headers['retry-after'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  if (value !== undefined) return parseRetryAfter(value, now, maxSeconds);
  const reset = headers['x-ratelimit-reset'];
  const resetValue = Number(Array.isArray(reset) ? reset[0] : reset);
  if (Number.isFinite(resetValue) && resetValue > 1e9) {
    return Math.min(maxSeconds, Math.max(0, Math.ceil(resetValue - now / 1000)));
  }
  return undefined;
}
