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

/**
 * `BROKER_CONNECTION_PORTS`: `{"google-oauth2": 8081}`, a port (0 picks a free one) for each
 * catalogue connection to mount at the root of; distinct, and not `PORT`.
 */
export function readConnectionPorts(
  env: Env,
  connections: readonly string[],
  problems: string[],
): Record<string, number> | undefined {
  const text = env.BROKER_CONNECTION_PORTS;
  if (!text) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push('BROKER_CONNECTION_PORTS: expected a JSON object {"connection": port}');
    return undefined;
  }
  const ports: Record<string, number> = {};
  const taken = new Set<number>([Number(env.PORT)].filter((port) => port > 0));
  for (const [connection, port] of Object.entries(value)) {
    if (!connections.includes(connection)) {
      problems.push(`BROKER_CONNECTION_PORTS: "${connection}" is not a catalogue connection`);
    } else if (!Number.isInteger(port) || port < 0 || port > 65535) {
      problems.push(`BROKER_CONNECTION_PORTS: "${connection}" needs a port number (0 for any)`);
    } else if (port !== 0 && taken.has(port)) {
      problems.push(`BROKER_CONNECTION_PORTS: port ${port} is used twice`);
    } else {
      ports[connection] = port;
      if (port !== 0) taken.add(port);
    }
  }
  return ports;
}
