import type { AllowedCall, HttpMethod, ProviderEntry } from '@linkboard/contract';

/** One pattern segment: a literal, `:name` (one segment), or a last `:name+` (one or more). */
export type PatternSegment = { literal: string } | { param: string } | { rest: string };

/** One allowlisted call, compiled once: the pattern's segments. */
export interface CompiledCall {
  method: HttpMethod;
  pattern: string;
  segments: readonly PatternSegment[];
  /** The query parameters the call may carry, and whether each may be given more than once. */
  query: ReadonlyMap<string, { repeatable: boolean }>;
}

/** A catalogue entry ready for the proxy: its base URL parsed and its allowlist compiled. */
export interface CompiledProvider {
  entry: ProviderEntry;
  /** Origin of the API, e.g. `https://api.github.com`. */
  origin: string;
  /** Base path without a trailing slash, e.g. `` or `/_idp/github`. */
  basePath: string;
  calls: CompiledCall[];
  /** The catalogue's extra request headers, names lower-cased once. */
  requestHeaders: Record<string, string>;
  /** Media types a caller's `Accept` may choose (`acceptMediaTypes`). */
  acceptMediaTypes: ReadonlySet<string>;
  /** The header that carries the IdP token, lower-cased. */
  tokenHeader: string;
}

function compileCall(call: AllowedCall): CompiledCall {
  const segments = call.path
    .split('/')
    .slice(1)
    .map((segment): PatternSegment => {
      if (!segment.startsWith(':')) return { literal: segment };
      return segment.endsWith('+') ? { rest: segment.slice(1, -1) } : { param: segment.slice(1) };
    });
  const query = new Map(
    call.query.map((parameter) =>
      typeof parameter === 'string'
        ? [parameter, { repeatable: false }]
        : [parameter.name, { repeatable: parameter.repeatable }],
    ),
  );
  return { method: call.method, pattern: call.path, segments, query };
}

export function compileProvider(entry: ProviderEntry): CompiledProvider {
  const base = new URL(entry.apiBaseUrl);
  if (base.search || base.hash || base.username || base.password) {
    throw new Error(`provider ${entry.connection}: apiBaseUrl must be an origin and a path only`);
  }
  return {
    entry,
    origin: base.origin,
    basePath: base.pathname.replace(/\/+$/, ''),
    calls: entry.allow.map(compileCall),
    requestHeaders: Object.fromEntries(
      Object.entries(entry.requestHeaders).map(([name, value]) => [name.toLowerCase(), value]),
    ),
    acceptMediaTypes: new Set(entry.acceptMediaTypes),
    tokenHeader: entry.token.header.toLowerCase(),
  };
}

/** The connection → provider map the proxy looks up; a plain `Map`, so `__proto__` finds nothing. */
export function compileCatalogue(entries: readonly ProviderEntry[]): Map<string, CompiledProvider> {
  return new Map(entries.map((entry) => [entry.connection, compileProvider(entry)]));
}
