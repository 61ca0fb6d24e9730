/**
 * Loopback addresses as RFC 8252 §7.3 uses them: native apps listen on any port of these hosts, so
 * the sandbox accepts redirect URIs and CORS origins on any port of them.
 */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** `http://{loopback}:{any port}/{any path}` with no credentials and no fragment. */
export function isLoopbackHttpUrl(value: string): boolean {
  const url = URL.parse(value);
  if (!url || url.protocol !== 'http:' || !LOOPBACK_HOSTS.has(url.hostname)) return false;
  return url.username === '' && url.password === '' && url.hash === '' && !value.includes('#');
}

/** An origin (`scheme://host[:port]`, nothing more) on a loopback host over http. */
export function isLoopbackHttpOrigin(origin: string): boolean {
  const url = URL.parse(origin);
  return url !== null && isLoopbackHttpUrl(origin) && url.origin === origin;
}
