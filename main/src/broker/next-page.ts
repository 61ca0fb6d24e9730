import { NextPage, PROXY_PREFIX } from '@linkboard/contract';
// The one linear-time Link reader the broker uses too: no pattern a hostile header can make slow.
import { linkTarget } from '@linkboard/contract/link-header';

/**
 * The next page as the renderer asks for it: path and query relative to the connection. The
 * broker's `Link` points at `/v1/idp/{connection}/…` on itself; anything else (another origin,
 * another connection, a path the IPC schema would refuse) is dropped rather than followed.
 */
export function nextPageFromLink(
  header: string | undefined,
  brokerUrl: string,
  connection: string,
): NextPage | null {
  const target = linkTarget(header, 'next');
  if (target === undefined) return null;
  const broker = new URL(`${brokerUrl}/`);
  let url: URL;
  try {
    url = new URL(target, broker);
  } catch {
    return null;
  }
  if (url.origin !== broker.origin) return null;
  const basePath = broker.pathname.replace(/\/$/, '');
  const path =
    basePath && url.pathname.startsWith(`${basePath}${PROXY_PREFIX}`)
      ? url.pathname.slice(basePath.length)
      : url.pathname;
  const prefix = `${PROXY_PREFIX}${connection}`;
  if (!path.startsWith(`${prefix}/`)) return null;
  const parsed = NextPage.safeParse({
    path: path.slice(prefix.length),
    query: Object.fromEntries(url.searchParams),
  });
  return parsed.success ? parsed.data : null;
}
