import { PROXY_PREFIX } from '@linkboard/contract';
import { BrokerError } from '../errors/broker-error.js';

/** A proxied request as the raw URL gives it, checked and decoded once. */
export interface GuardedTarget {
  connection: string;
  /** Decoded path segments after the connection, e.g. `['user', 'repos']`. */
  segments: string[];
  /** The query as parsed; re-encoded when sent upstream. */
  query: URLSearchParams;
}

const MAX_URL_LENGTH = 4096;
const MAX_SEGMENTS = 32;
const CONNECTION_NAME = /^[a-z0-9][a-z0-9_-]*$/;
/** What an unencoded path may contain: RFC 3986 pchar without `%` handled apart. */
const RAW_PATH_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/%]*$/;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_OR_SPACE = /[\u0000-\u0020\u007f-\u009f]/;
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f]/;
const SCHEME_LIKE = /^[A-Za-z][A-Za-z0-9+.-]*:/;

function refuse(detail: string): BrokerError {
  return new BrokerError('path_not_allowed', detail);
}

/**
 * Splits and checks the raw request URL of a proxied call (docs/architecture.md#security-rules, rule 4): one connection
 * name, then a path of plain segments. Refused: `..`/`.` (also encoded), encoded slashes or
 * backslashes, `//`, backslashes, control characters (raw or encoded), absolute URLs or
 * scheme-like segments, `@host` segments, over-long or malformed encodings.
 *
 * Segments shaped like IP addresses (`127.0.0.1`, `0x10`, `1.0`) are accepted: they are names
 * providers use (a GitHub repository may be called `1.0`). What an IP literal could threaten is the
 * upstream host, and no segment can reach it: each is sent percent-encoded below the provider's base
 * path and `pinnedUpstreamUrl` refuses any URL off the provider's origin (rule 4).
 */
export function guardProxyUrl(rawUrl: string): GuardedTarget {
  if (rawUrl.length > MAX_URL_LENGTH) throw refuse('the URL is too long');
  const queryStart = rawUrl.indexOf('?');
  const rawPath = queryStart === -1 ? rawUrl : rawUrl.slice(0, queryStart);
  const rawQuery = queryStart === -1 ? '' : rawUrl.slice(queryStart + 1);
  if (!rawPath.startsWith(PROXY_PREFIX)) throw refuse('not a proxy path');
  if (!RAW_PATH_CHARS.test(rawPath)) throw refuse('the path has characters that are not allowed');
  if (rawPath.includes('//')) throw refuse('the path has an empty segment ("//")');

  const [rawConnection = '', ...rawSegments] = rawPath.slice(PROXY_PREFIX.length).split('/');
  if (!CONNECTION_NAME.test(rawConnection)) throw refuse('the connection name is malformed');
  if (rawSegments.length === 0 || rawSegments.length > MAX_SEGMENTS) {
    throw refuse('the path is empty or too deep');
  }
  const segments = rawSegments.map(decodeSegment);

  if (CONTROL_OR_SPACE.test(rawQuery) || rawQuery.includes('#')) {
    throw new BrokerError('invalid_request', 'the query has characters that are not allowed');
  }
  let query: URLSearchParams;
  try {
    // Refuse malformed escapes instead of letting URLSearchParams guess.
    decodeURIComponent(rawQuery.replace(/\+/g, ' '));
    query = new URLSearchParams(rawQuery);
  } catch {
    throw new BrokerError('invalid_request', 'the query is not well encoded');
  }
  for (const [name, value] of query) {
    if (CONTROL_OR_SPACE.test(name) || CONTROL.test(value)) {
      throw new BrokerError('invalid_request', 'the query has control characters');
    }
  }
  return { connection: rawConnection, segments, query };
}

function decodeSegment(raw: string): string {
  if (raw === '') throw refuse('the path has an empty segment');
  if (/%2f|%5c/i.test(raw)) throw refuse('the path has an encoded slash or backslash');
  let segment: string;
  try {
    segment = decodeURIComponent(raw);
  } catch {
    throw refuse('the path is not well encoded');
  }
  if (segment === '.' || segment === '..') throw refuse('the path has a dot segment');
  if (CONTROL_OR_SPACE.test(segment)) throw refuse('the path has control characters or spaces');
  // `#`, `@` and `+` are kept: ids use them (Google's `en.swiss#holiday@group.v.calendar.google.com`)
  // and they are encoded again upstream. A decoded `?` could end the path at a server that decodes
  // before routing, and a decoded `%` would be decoded twice there: both stay refused.
  if (/[\\/?%]/.test(segment)) throw refuse('the path has characters that are not allowed');
  if (segment.startsWith('@')) throw refuse('the path has a segment starting with "@"');
  if (SCHEME_LIKE.test(segment)) throw refuse('the path looks like an absolute URL');
  return segment;
}
