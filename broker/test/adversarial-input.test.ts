import { MAX_LINK_HEADER_LENGTH, parseLinkHeader } from '@linkboard/contract/link-header';
import { describe, expect, it } from 'vitest';
import { TenantKeySet } from '../src/auth/tenant-key-set.js';
import { createAccessTokenVerifier } from '../src/auth/verify-access-token.js';
import { compileProvider } from '../src/catalogue/compiled-provider.js';
import { loadCatalogue } from '../src/catalogue/load-catalogue.js';
import { brokerReference } from '../src/proxy/pagination.js';
import { guardProxyUrl } from '../src/proxy/path-guard.js';
import { retryAfterSeconds, safeResponseHeaders } from '../src/upstream/response-headers.js';
import { noRetryClient } from './support/no-retry-client.js';

/**
 * Everything the broker reads from callers and providers with a pattern or a scanner, fed the
 * inputs that make backtracking parsers slow (long runs of separators, spaces, quotes, openings
 * without a close), up to the size each one accepts: each must take well under a millisecond.
 */

/** Median time of `runs` calls, in milliseconds: one slow run on a busy machine does not count. */
function medianMs(task: () => unknown, runs = 9): number {
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    try {
      task();
    } catch {
      // A refusal is an answer too: only the time counts here.
    }
    times.push(performance.now() - started);
  }
  return times.sort((a, b) => a - b)[Math.floor(runs / 2)]!;
}

/** `unit` repeated to fill `length` characters after `prefix`, then `suffix`. */
function filled(prefix: string, unit: string, suffix: string, length: number): string {
  const room = length - prefix.length - suffix.length;
  return prefix + unit.repeat(Math.floor(room / unit.length)) + suffix;
}

const { catalogue } = loadCatalogue();
const github = compileProvider(catalogue.find((p) => p.connection === 'github')!);

describe('Link headers from a provider', () => {
  const cap = MAX_LINK_HEADER_LENGTH;
  const inputs: Record<string, string> = {
    // 64 bytes of this shape froze the old regular-expression parser for 66 s.
    'the reported shape': `<a>${';  x  '.repeat(10)};`,
    'the reported shape, up to the cap': filled('<a>', ';  x  ', ';', cap),
    'a run of semicolons': filled('<a>', ';', '', cap),
    'a run of spaces': filled('<a>', ' ', 'x', cap),
    'spaces and semicolons': filled('<a>', ' ; ', 'x', cap),
    'a run of quotes': filled('<a>; rel=', '"', '', cap),
    'an unclosed quote': filled('<a>; title="', 'x\\"', '', cap),
    'a run of commas': filled('', ',', '', cap),
    'openings without a close': filled('', '<', '', cap),
    'elements without a target': filled('', 'x;,', '', cap),
    'many short links': filled('', '<a>;rel=next,', '', cap),
    'parameters without values': filled('<a>', ';x', '', cap),
    'equals signs': filled('<a>;x', '=', '', cap),
  };
  it.each(Object.entries(inputs))('parses %s in well under a millisecond', (_name, header) => {
    expect(header.length).toBeLessThanOrEqual(cap);
    expect(medianMs(() => parseLinkHeader(header))).toBeLessThan(1);
  });
});

describe('caller and provider input read with regular expressions', () => {
  const url = 4096; // the path guard's own limit
  const inputs: Record<string, () => unknown> = {
    'a proxy path of dots': () => guardProxyUrl(filled('/v1/idp/github/', 'a.', '', url)),
    'a proxy path of escapes': () => guardProxyUrl(filled('/v1/idp/github/', '%4', '', url)),
    'a proxy path of slashes': () => guardProxyUrl(filled('/v1/idp/github/user', '/', '', url)),
    'a proxy query of escapes': () => guardProxyUrl(filled('/v1/idp/github/user?', '%%', '', url)),
    'a proxy query of pluses': () => guardProxyUrl(filled('/v1/idp/github/user?a=', '+', '', url)),
    'a proxy path of hex and dots': () => guardProxyUrl(filled('/v1/idp/github/', '0x.', '!', url)),
    'a proxy path of colons': () => guardProxyUrl(filled('/v1/idp/github/', ':', '', url)),
    'a next-page URL on the provider': () =>
      brokerReference(github, filled('https://api.github.com/user?', '?=', '\\', url)),
    'a next-page URL with spaces': () =>
      brokerReference(github, filled('https://api.github.com/', '/ ', '', url)),
    'a Retry-After of digits and spaces': () =>
      retryAfterSeconds({ 'retry-after': filled('1', ' 1', 'x', url) }, Date.now(), 60),
    'a header value with no line break': () =>
      safeResponseHeaders({ etag: filled('"', 'x', '\r', url) }),
  };
  it.each(Object.entries(inputs))('checks %s in well under a millisecond', (_name, task) => {
    expect(medianMs(task)).toBeLessThan(1);
  });

  it('refuses a malformed Authorization header in well under a millisecond', async () => {
    const client = noRetryClient();
    const verifier = createAccessTokenVerifier({
      issuer: 'http://127.0.0.1:9/',
      audience: 'https://broker.linkboard.local/',
      // Never fetched: every header below is refused before a key is needed.
      keys: new TenantKeySet({
        url: new URL('http://127.0.0.1:9/.well-known/jwks.json'),
        client,
        refreshAfterMs: 60_000,
        maxStaleMs: 60_000,
        cooldownMs: 30_000,
        failureCooldownMs: 30_000,
        now: Date.now,
      }),
      maxTokenLength: 8192,
      clockToleranceSeconds: 5,
    });
    // Node accepts headers up to 16 KiB: the whole of it, in the shapes that backtrack.
    for (const header of [
      filled('Bearer', ' ', 'x y', 16_000),
      filled('Bearer ', 'a.', '', 16_000),
      filled('Bearer ', 'a', '.b.c.', 16_000),
    ]) {
      const times: number[] = [];
      for (let run = 0; run < 9; run += 1) {
        const started = performance.now();
        await verifier.verify(header).catch(() => undefined);
        times.push(performance.now() - started);
      }
      expect(times.sort((a, b) => a - b)[4]).toBeLessThan(1);
    }
    await client.close();
  });
});
