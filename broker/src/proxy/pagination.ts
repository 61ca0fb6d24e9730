import { PROXY_PREFIX } from '@linkboard/contract';
import { formatLinkValue, parseLinkHeader } from '@linkboard/contract/link-header';
import type { CompiledProvider } from '../catalogue/compiled-provider.js';

/**
 * A provider URL's part after `origin + basePath + '/'` that URL parsing keeps exactly as written:
 * a path without dots (so no dot segment), `%` (so no encoded dot or slash), backslashes, quotes,
 * `<>`, spaces, controls or non-ASCII, then an optional non-empty query of plain characters.
 */
const PLAIN_REMAINDER = /^[A-Za-z0-9\-_~!$&()*+,;=:@/]*(?:\?[A-Za-z0-9\-_.~!$&()*+,;=:@/?%]+)?$/;

/**
 * Turns a provider URL into the broker's own path-absolute reference, or undefined when the URL
 * is not on the provider's origin and base path (then it is dropped, never passed on).
 */
export function brokerReference(provider: CompiledProvider, target: string): string | undefined {
  // The usual next-page URL (`https://api.github.com/user/repos?page=2`): it starts with the exact
  // pinned prefix and the rest is plain, so parsing it would change nothing.
  const prefix = `${provider.origin}${provider.basePath}/`;
  if (target.startsWith(prefix) && PLAIN_REMAINDER.test(target.slice(prefix.length))) {
    return `${PROXY_PREFIX}${provider.entry.connection}/${target.slice(prefix.length)}`;
  }
  return brokerReferenceByParsing(provider, target);
}

/** `brokerReference` for any URL: parsed the WHATWG way, then checked against the pin. */
export function brokerReferenceByParsing(
  provider: CompiledProvider,
  target: string,
): string | undefined {
  let url: URL;
  try {
    url = new URL(target, provider.origin + provider.basePath + '/');
  } catch {
    return undefined;
  }
  if (url.origin !== provider.origin) return undefined;
  if (!url.pathname.startsWith(`${provider.basePath}/`)) return undefined;
  const below = url.pathname.slice(provider.basePath.length);
  return `${PROXY_PREFIX}${provider.entry.connection}${below}${url.search}`;
}

/**
 * Rewrites each `Link` entry to a broker reference; entries pointing elsewhere are dropped, and so
 * is a header too large to read (`parseLinkHeader`'s cap): no paging rather than a slow parse.
 */
function rewriteLinkHeader(provider: CompiledProvider, header: string): string | undefined {
  const rewritten: string[] = [];
  for (const link of parseLinkHeader(header) ?? []) {
    const reference = brokerReference(provider, link.target);
    if (reference) rewritten.push(formatLinkValue(reference, link.params));
  }
  return rewritten.length > 0 ? rewritten.join(', ') : undefined;
}

export interface PaginatedAnswer {
  /** The `Link` header the broker sends, if any. */
  link: string | undefined;
  /** The body to send: the same bytes unless a next link inside it was rewritten. */
  body: Buffer;
}

/**
 * Makes a page walkable through the broker, whatever the provider's style: the answer gets a
 * `Link: </v1/idp/…>; rel="next"` pointing back at the broker, and provider URLs in the body are
 * replaced by broker references.
 */
export function paginate(
  provider: CompiledProvider,
  request: { encodedPath: string; query: URLSearchParams },
  upstream: { link: string | undefined; body: Buffer; isJson: boolean },
): PaginatedAnswer {
  switch (provider.entry.pagination) {
    case 'link':
      return {
        link: upstream.link ? rewriteLinkHeader(provider, upstream.link) : undefined,
        body: upstream.body,
      };
    case 'odata': {
      const data = upstream.isJson ? parseObject(upstream.body) : undefined;
      const next = data?.['@odata.nextLink'];
      if (!data || typeof next !== 'string') return { link: undefined, body: upstream.body };
      const reference = brokerReference(provider, next);
      if (reference) data['@odata.nextLink'] = reference;
      else delete data['@odata.nextLink'];
      return {
        link: reference ? `<${reference}>; rel="next"` : undefined,
        body: Buffer.from(JSON.stringify(data)),
      };
    }
    case 'pageToken': {
      const data = upstream.isJson ? parseObject(upstream.body) : undefined;
      const token = data?.nextPageToken;
      if (typeof token !== 'string' || token === '')
        return { link: undefined, body: upstream.body };
      const query = new URLSearchParams(request.query);
      query.set('pageToken', token);
      const reference = `${PROXY_PREFIX}${provider.entry.connection}${request.encodedPath}?${query}`;
      return { link: `<${reference}>; rel="next"`, body: upstream.body };
    }
    case 'none':
      return { link: undefined, body: upstream.body };
  }
}

function parseObject(body: Buffer): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(body.toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}
