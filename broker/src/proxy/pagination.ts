import { PROXY_PREFIX } from '@linkboard/contract';
import {
  formatLinkValue,
  MAX_LINK_HEADER_LENGTH,
  parseLinkHeader,
} from '@linkboard/contract/link-header';
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
  const below = pathBelowConnection(provider, target);
  return below === undefined ? undefined : `${PROXY_PREFIX}${provider.entry.connection}${below}`;
}

/** `brokerReference` for any URL: parsed the WHATWG way, then checked against the pin. */
export function brokerReferenceByParsing(
  provider: CompiledProvider,
  target: string,
): string | undefined {
  const below = pathBelowByParsing(provider, target);
  return below === undefined ? undefined : `${PROXY_PREFIX}${provider.entry.connection}${below}`;
}

/** A provider URL's path below the provider's base path, with its query (`/user/repos?page=2`). */
function pathBelowConnection(provider: CompiledProvider, target: string): string | undefined {
  // The usual next-page URL (`https://api.github.com/user/repos?page=2`): it starts with the exact
  // pinned prefix and the rest is plain, so parsing it would change nothing.
  const prefix = `${provider.origin}${provider.basePath}/`;
  if (target.startsWith(prefix) && PLAIN_REMAINDER.test(target.slice(prefix.length))) {
    return `/${target.slice(prefix.length)}`;
  }
  return pathBelowByParsing(provider, target);
}

function pathBelowByParsing(provider: CompiledProvider, target: string): string | undefined {
  let url: URL;
  try {
    url = new URL(target, provider.origin + provider.basePath + '/');
  } catch {
    return undefined;
  }
  if (url.origin !== provider.origin) return undefined;
  if (!url.pathname.startsWith(`${provider.basePath}/`)) return undefined;
  return `${url.pathname.slice(provider.basePath.length)}${url.search}`;
}

/**
 * One element of a `Link` header as GitHub writes it: `<target>; rel="name"`, the target without
 * brackets, quotes or white space. Read as `parseLinkHeader` reads it, it is one link with that
 * target and the one parameter `rel`, which `formatLinkValue` writes back exactly as it was.
 */
const PLAIN_LINK = /^<([^<>"\s]*)>; rel="([a-z]+)"$/;

/**
 * The links of a header made only of plain elements (above) joined by `", "`, as
 * [target, rel] pairs; undefined for any other header, which the full parser reads. Splitting at
 * `", "` cannot cut a plain element, whose parts hold no space.
 */
function plainLinks(header: string): Array<[target: string, rel: string]> | undefined {
  if (header.length > MAX_LINK_HEADER_LENGTH) return undefined;
  const elements = header.split(', ');
  if (elements.length > MAX_PLAIN_LINKS) return undefined;
  const links: Array<[string, string]> = [];
  for (const element of elements) {
    const plain = PLAIN_LINK.exec(element);
    if (!plain) return undefined;
    links.push([plain[1]!, plain[2]!]);
  }
  return links;
}

/** Below `parseLinkHeader`'s own cap on links per header, so both read the same links. */
const MAX_PLAIN_LINKS = 16;

/**
 * Rewrites each `Link` entry to a broker reference; entries pointing elsewhere are dropped, and so
 * is a header too large to read (`parseLinkHeader`'s cap): no paging rather than a slow parse.
 * GitHub's headers, plain (`plainLinks`), are read without the general parser, with the same
 * result; any other header goes through it.
 */
function rewriteLinkHeader(
  provider: CompiledProvider,
  header: string,
  base: () => string,
): string | undefined {
  const rewritten: string[] = [];
  let prefix: string | undefined;
  const plain = plainLinks(header);
  if (plain) {
    for (const [target, rel] of plain) {
      const below = pathBelowConnection(provider, target);
      if (below === undefined) continue;
      prefix ??= base();
      rewritten.push(`<${prefix}${below}>; rel="${rel}"`);
    }
  } else {
    for (const link of parseLinkHeader(header) ?? []) {
      const below = pathBelowConnection(provider, link.target);
      if (below === undefined) continue;
      prefix ??= base();
      rewritten.push(formatLinkValue(`${prefix}${below}`, link.params));
    }
  }
  return rewritten.length > 0 ? rewritten.join(', ') : undefined;
}

/** The proxied call a page answers, and where its links start (see `paginate`). */
export interface PageRequest {
  encodedPath: string;
  /** The query as sent upstream, serialised, without `?`. */
  search: string;
  base: () => string;
}

export interface PaginatedAnswer {
  /** The `Link` header the broker sends, if any. */
  link: string | undefined;
  /** The body to send: the same bytes unless a next link inside it was rewritten. */
  body: Buffer;
}

/**
 * Makes a page walkable through the broker, whatever the provider's style: the answer gets a
 * `Link: <{base}/…>; rel="next"` pointing back at the broker, and a provider paging URL in the
 * body (`@odata.nextLink`, Bitbucket's `next`) is replaced by the same reference. `base` is where the connection's
 * paths start on the broker (`https://broker.example.com/v1/idp/github`, or the path alone when
 * the broker does not know its public origin); it is asked only when there is a link to write
 * (docs/architecture.md#pagination-links).
 */
export function paginate(
  provider: CompiledProvider,
  request: PageRequest,
  upstream: { link: string | undefined; body: Buffer; isJson: boolean },
): PaginatedAnswer {
  switch (provider.entry.pagination) {
    case 'link':
      return {
        link: upstream.link ? rewriteLinkHeader(provider, upstream.link, request.base) : undefined,
        body: upstream.body,
      };
    case 'odata':
      return rewriteBodyLinks(provider, request, upstream, '@odata.nextLink');
    case 'next':
      return rewriteBodyLinks(provider, request, upstream, 'next', 'previous');
    case 'pageToken': {
      const data = upstream.isJson ? parseObject(upstream.body) : undefined;
      const token = data?.nextPageToken;
      if (typeof token !== 'string' || token === '')
        return { link: undefined, body: upstream.body };
      const query = new URLSearchParams(request.search);
      query.set('pageToken', token);
      const reference = `${request.base()}${request.encodedPath}?${query}`;
      return { link: `<${reference}>; rel="next"`, body: upstream.body };
    }
    case 'none':
      return { link: undefined, body: upstream.body };
  }
}

/**
 * Paging URLs in body members (`@odata.nextLink`; Bitbucket's `next` and `previous`): each is
 * replaced by the broker's reference, or dropped when it leaves the provider's origin and base
 * path; the first member is the next page, which also goes into `Link`.
 */
function rewriteBodyLinks(
  provider: CompiledProvider,
  request: PageRequest,
  upstream: { body: Buffer; isJson: boolean },
  nextMember: string,
  ...otherMembers: string[]
): PaginatedAnswer {
  const data = upstream.isJson ? parseObject(upstream.body) : undefined;
  const members = [nextMember, ...otherMembers];
  if (!data || !members.some((member) => typeof data[member] === 'string')) {
    return { link: undefined, body: upstream.body };
  }
  for (const member of members) {
    const target = data[member];
    if (typeof target !== 'string') continue;
    const below = pathBelowConnection(provider, target);
    if (below === undefined) delete data[member];
    else data[member] = `${request.base()}${below}`;
  }
  const next = data[nextMember];
  return {
    link: typeof next === 'string' ? `<${next}>; rel="next"` : undefined,
    body: Buffer.from(JSON.stringify(data)),
  };
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
