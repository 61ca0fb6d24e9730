import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { TLSSocket } from 'node:tls';
import proxyAddr from '@fastify/proxy-addr';
import { PROXY_PREFIX } from '@linkboard/contract';
import { mountedConnection } from './connection-mounts.js';

/**
 * Where a connection's paths start for the caller of `request`, as the base its paging links
 * start with: `https://broker.example.com/v1/idp/github`, or the path alone (`/v1/idp/github`,
 * or `''` on the connection's own mount) when the broker does not know its public origin
 * (docs/architecture.md#pagination-links). Called only for an answer that has a paging link to
 * write, so a call without one pays nothing.
 */
export type ReferenceBase = (request: IncomingMessage, connection: string) => string;

/**
 * `BROKER_PUBLIC_URL` when set; otherwise, only with `BROKER_TRUST_PROXY`, what a trusted proxy
 * says in `Forwarded` or `X-Forwarded-Host`/`-Proto` (the last entry: the one that proxy added);
 * otherwise nothing. The `Host` header is never used: any client can write it. A request that
 * came through a connection's mount is answered on the mount's origin, unless the public URL is
 * set, which serves every connection under `/v1/idp/`.
 */
export function referenceBaseResolver(options: {
  publicUrl?: string | undefined;
  trustProxy?: readonly string[] | undefined;
}): ReferenceBase {
  const { publicUrl, trustProxy } = options;
  if (publicUrl) return (_request, connection) => `${publicUrl}${PROXY_PREFIX}${connection}`;
  const trusted = trustProxy ? proxyAddr.compile([...trustProxy]) : undefined;
  return (request, connection) => {
    const origin = trusted ? forwardedOrigin(request, trusted) : '';
    return mountedConnection(request) === undefined
      ? `${origin}${PROXY_PREFIX}${connection}`
      : origin;
  };
}

/** What a trusted peer says the public origin is, or `''`. */
function forwardedOrigin(
  request: IncomingMessage,
  trusted: (address: string, hop: number) => boolean,
): string {
  const peer = request.socket.remoteAddress;
  if (peer === undefined || !trusted(peer, 0)) return '';
  const secure = (request.socket as Partial<TLSSocket>).encrypted === true;
  return forwardedBase(request.headers, secure ? 'https' : 'http') ?? '';
}

/** A host name, an IPv4 address or a bracketed IPv6 address, with an optional port. */
const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

function lastEntry(value: string | string[] | undefined): string | undefined {
  const text = Array.isArray(value) ? value.at(-1) : value;
  if (text === undefined) return undefined;
  const entry = text.slice(text.lastIndexOf(',') + 1).trim();
  return entry === '' ? undefined : entry;
}

/** The `host` and `proto` parameters of `Forwarded`'s last element (RFC 7239). */
function forwardedParameters(header: string): { host?: string; proto?: string } {
  const found: { host?: string; proto?: string } = {};
  for (const pair of header.split(';')) {
    const equals = pair.indexOf('=');
    if (equals < 0) continue;
    const name = pair.slice(0, equals).trim().toLowerCase();
    const value = pair
      .slice(equals + 1)
      .trim()
      .replace(/^"(.*)"$/, '$1');
    if (name === 'host' || name === 'proto') found[name] = value;
  }
  return found;
}

function forwardedBase(headers: IncomingHttpHeaders, socketProto: string): string | undefined {
  const forwarded = lastEntry(headers.forwarded);
  const { host, proto } = forwarded
    ? forwardedParameters(forwarded)
    : {
        host: lastEntry(headers['x-forwarded-host']),
        proto: lastEntry(headers['x-forwarded-proto']),
      };
  if (host === undefined || !HOST.test(host)) return undefined;
  const scheme = (proto ?? socketProto).toLowerCase();
  if (scheme !== 'https' && scheme !== 'http') return undefined;
  return `${scheme}://${host}`;
}
