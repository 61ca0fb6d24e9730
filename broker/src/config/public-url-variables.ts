import proxyAddr from '@fastify/proxy-addr';

type Env = Record<string, string | undefined>;

const LOOPBACK_HOSTS = new Set(['127.0.0.1', '[::1]', 'localhost']);

/**
 * A public base URL (`BROKER_PUBLIC_URL`): where callers reach the broker, as an origin and an
 * optional path (a broker behind `https://corp.example/broker`), with no trailing slash. https,
 * or http on a loopback host only, so an SDK never sends a user's token in clear over a network.
 */
export function readPublicUrl(
  value: string | undefined,
  name: string,
  problems: string[],
): string | undefined {
  if (!value) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push(`${name}: "${value}" is not a URL (expected https://broker.example.com)`);
    return undefined;
  }
  const plainHttpAllowed = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !plainHttpAllowed) {
    problems.push(`${name}: use https (plain http only for a loopback host)`);
    return undefined;
  }
  if (url.search || url.hash || url.username || url.password) {
    problems.push(`${name}: give an origin and an optional path, without query or credentials`);
    return undefined;
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/**
 * `BROKER_TRUST_PROXY`: the proxies whose `Forwarded` / `X-Forwarded-*` headers the broker
 * believes, as addresses, CIDR ranges or proxy-addr's names (`loopback`, `linklocal`,
 * `uniquelocal`), comma-separated. "Trust everything" and hop counts are refused: either would
 * let a client that reaches the broker directly choose the host its paging links point at.
 */
export function readTrustProxy(env: Env, problems: string[]): string[] | undefined {
  const value = env.BROKER_TRUST_PROXY;
  if (!value) return undefined;
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '');
  const refused = entries.filter((entry) => /^(?:true|\*|\d+)$/i.test(entry));
  if (refused.length > 0 || entries.length === 0) {
    problems.push(
      'BROKER_TRUST_PROXY: list the proxies by address, CIDR range or loopback/linklocal/uniquelocal' +
        ' (trusting every peer or a hop count would let any client choose the public host)',
    );
    return undefined;
  }
  try {
    proxyAddr.compile(entries);
  } catch (error) {
    problems.push(`BROKER_TRUST_PROXY: ${(error as Error).message}`);
    return undefined;
  }
  return entries;
}
