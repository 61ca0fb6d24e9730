import type { CompiledCall, CompiledProvider } from '../catalogue/compiled-provider.js';
import { BrokerError } from '../errors/broker-error.js';

export interface AllowedTarget {
  call: CompiledCall;
  /** The upstream path below the provider's base path, each segment encoded. */
  encodedPath: string;
}

function matches(call: CompiledCall, segments: readonly string[]): boolean {
  const last = call.segments.at(-1);
  const hasRest = last !== undefined && 'rest' in last;
  // A `:name+` tail takes the remaining segments, at least one; each was checked by the guard.
  if (hasRest ? segments.length < call.segments.length : call.segments.length !== segments.length) {
    return false;
  }
  return call.segments.every((part, index) =>
    'literal' in part ? part.literal === segments[index] : (segments[index] ?? '') !== '',
  );
}

/**
 * Finds the allowlisted call for a method and decoded path. A path no pattern matches is
 * `path_not_allowed`; a path allowed only for other methods is `method_not_allowed`.
 */
export function matchAllowedCall(
  provider: CompiledProvider,
  method: string,
  segments: readonly string[],
): AllowedTarget {
  const byPath = provider.calls.filter((call) => matches(call, segments));
  if (byPath.length === 0) {
    throw new BrokerError(
      'path_not_allowed',
      `this path is not allowed for ${provider.entry.connection}`,
    );
  }
  // HEAD is allowed wherever GET is.
  const call = byPath.find(
    (candidate) => candidate.method === method || (method === 'HEAD' && candidate.method === 'GET'),
  );
  if (!call) {
    throw new BrokerError('method_not_allowed', `${method} is not allowed on this path`, {
      headers: { allow: [...new Set(byPath.map((c) => c.method))].join(', ') },
    });
  }
  return { call, encodedPath: '/' + segments.map(encodeURIComponent).join('/') };
}

/**
 * Refuses a query parameter the call does not list, and a second value of one that is not
 * repeatable: only what the catalogue names reaches the provider (no `access_token`, `callback`
 * or parameter pollution). The name in the detail is cut short: it is the caller's own text.
 */
export function checkQuery(call: CompiledCall, query: URLSearchParams): void {
  const seen = new Set<string>();
  for (const name of query.keys()) {
    const rule = call.query.get(name);
    const shown = JSON.stringify(name.slice(0, 64));
    if (!rule) {
      throw new BrokerError('invalid_request', `the query parameter ${shown} is not allowed here`);
    }
    if (seen.has(name) && !rule.repeatable) {
      throw new BrokerError('invalid_request', `the query parameter ${shown} is given twice`);
    }
    seen.add(name);
  }
}

/**
 * The final upstream URL, pinned: it must keep the provider's origin and sit below its base path.
 * The check runs on the URL as WHATWG parsing sees it, after any normalisation it does.
 */
export function pinnedUpstreamUrl(
  provider: CompiledProvider,
  encodedPath: string,
  query: URLSearchParams,
): URL {
  // One parse: URLSearchParams' serialisation is already in the form URL parsing keeps as is.
  const search = query.toString();
  const url = new URL(
    provider.origin + provider.basePath + encodedPath + (search ? `?${search}` : ''),
  );
  if (url.origin !== provider.origin || !url.pathname.startsWith(`${provider.basePath}/`)) {
    throw new BrokerError('path_not_allowed', 'the path leaves the provider API');
  }
  return url;
}
