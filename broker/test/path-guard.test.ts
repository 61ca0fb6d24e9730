import { describe, expect, it } from 'vitest';
import { compileProvider } from '../src/catalogue/compiled-provider.js';
import { loadCatalogue } from '../src/catalogue/load-catalogue.js';
import { checkQuery, matchAllowedCall, pinnedUpstreamUrl } from '../src/proxy/allowlist.js';
import { guardProxyUrl } from '../src/proxy/path-guard.js';
import { refusalCode } from './support/refusal-code.js';

const { catalogue } = loadCatalogue({
  apiBaseUrls: { github: 'http://127.0.0.1:9/_idp/github' },
  tokenUrls: {},
});
const github = compileProvider(catalogue.find((p) => p.connection === 'github')!);
const google = compileProvider(catalogue.find((p) => p.connection === 'google-oauth2')!);

/** The whole check a proxied URL goes through before any upstream call. */
function check(rawUrl: string, method = 'GET', provider = github) {
  const target = guardProxyUrl(rawUrl);
  const allowed = matchAllowedCall(provider, method, target.segments);
  return pinnedUpstreamUrl(provider, allowed.encodedPath, target.query);
}

describe('proxy path checks', () => {
  it('builds the pinned upstream URL for an allowlisted call', () => {
    expect(check('/v1/idp/github/user/repos?per_page=5&page=2').href).toBe(
      'http://127.0.0.1:9/_idp/github/user/repos?per_page=5&page=2',
    );
    expect(check('/v1/idp/github/repos/alice-example/linkboard').pathname).toBe(
      '/_idp/github/repos/alice-example/linkboard',
    );
    expect(
      check('/v1/idp/google-oauth2/calendar/v3/calendars/alice%40example.com/events', 'GET', google)
        .href,
    ).toBe('https://www.googleapis.com/calendar/v3/calendars/alice%40example.com/events');
  });

  it.each([
    ['absolute URL', '/v1/idp/github/https://evil.example/user'],
    ['encoded absolute URL', '/v1/idp/github/https:%2f%2fevil.example%2fuser'],
    ['scheme-like segment', '/v1/idp/github/repos/http:evil/x'],
    ['//host', '/v1/idp/github//evil.example/user'],
    ['@host', '/v1/idp/github/@evil.example/user'],
    ['@host as a parameter', '/v1/idp/github/repos/@evil.example/x'],
    ['..', '/v1/idp/github/user/../admin'],
    ['.', '/v1/idp/github/./user'],
    ['%2e%2e', '/v1/idp/github/user/%2e%2e/admin'],
    ['%2E%2E as a parameter', '/v1/idp/github/repos/%2E%2E/x'],
    ['.%2e', '/v1/idp/github/repos/.%2e/x'],
    ['%2f', '/v1/idp/github/repos/alice%2fevil/x'],
    ['%2F', '/v1/idp/github/user%2Frepos'],
    ['backslash', '/v1/idp/github/user\\repos'],
    ['encoded backslash', '/v1/idp/github/repos/a%5c..%5c/x'],
    ['CRLF', '/v1/idp/github/user%0d%0aHost:%20evil'],
    ['NUL', '/v1/idp/github/user%00'],
    ['tab', '/v1/idp/github/repos/a%09b/x'],
    ['DEL', '/v1/idp/github/repos/a%7fb/x'],
    ['space', '/v1/idp/github/repos/a%20b/x'],
    ['malformed escape', '/v1/idp/github/repos/a%zz/x'],
    ['IPv6 literal', '/v1/idp/github/repos/[::1]/x'],
    ['encoded ?', '/v1/idp/github/repos/a%3Fb/x'],
    ['double-encoded slash', '/v1/idp/github/repos/a%252fb/x'],
    ['double-encoded dots', '/v1/idp/github/repos/%252e%252e/x'],
    ['encoded @host', '/v1/idp/github/repos/%40evil.example/x'],
    ['encoded scheme', '/v1/idp/github/repos/https%3A%2F%2Fevil.example/x'],
    ['encoded CRLF beside a #', '/v1/idp/github/repos/a%23%0d%0a/x'],
    ['path outside the allowlist', '/v1/idp/github/user/emails'],
    ['admin path', '/v1/idp/github/orgs/acme/members'],
    ['trailing slash', '/v1/idp/github/user/'],
    ['no path', '/v1/idp/github'],
    ['malformed connection', '/v1/idp/%2e%2e/user'],
  ])('refuses %s', (_name, url) => {
    expect(refusalCode(() => check(url))).toBe('path_not_allowed');
  });

  it('refuses a method outside the allowlist', () => {
    expect(refusalCode(() => check('/v1/idp/github/user/repos', 'POST'))).toBe(
      'method_not_allowed',
    );
    expect(refusalCode(() => check('/v1/idp/github/user', 'DELETE'))).toBe('method_not_allowed');
    // HEAD goes with GET.
    expect(refusalCode(() => check('/v1/idp/github/user', 'HEAD'))).toBe('accepted');
  });

  it('refuses control characters in the query', () => {
    expect(refusalCode(() => check('/v1/idp/github/user/repos?x=%0d%0aSet-Cookie:%20a'))).toBe(
      'invalid_request',
    );
    expect(refusalCode(() => check('/v1/idp/github/user/repos?x=%zz'))).toBe('invalid_request');
  });

  it('keeps IP-shaped names as paths on the provider origin', () => {
    // A segment cannot become the host: it is encoded below the base path and the origin pinned.
    for (const name of [
      '127.0.0.1',
      '0x7f.1',
      '0177.0.0.1',
      '2130706433',
      '0x7f000001',
      '127.1',
      '::ffff:127.0.0.1',
    ]) {
      const url = check(`/v1/idp/github/repos/${name}/x`);
      expect(url.origin, name).toBe('http://127.0.0.1:9');
      expect(url.pathname, name).toBe(`/_idp/github/repos/${encodeURIComponent(name)}/x`);
    }
  });

  it('keeps the upstream URL on the provider origin and base path', () => {
    const url = check('/v1/idp/github/user');
    expect(url.origin).toBe('http://127.0.0.1:9');
    expect(url.pathname.startsWith('/_idp/github/')).toBe(true);
  });
});

describe('identifiers providers really use', () => {
  const graph = compileProvider(catalogue.find((p) => p.connection === 'windowslive')!);

  it.each([
    // GitHub repository names: dots, digits, hex- and version-like, leading dot, underscores.
    ['/v1/idp/github/repos/octocat/1.0', '/_idp/github/repos/octocat/1.0'],
    ['/v1/idp/github/repos/octocat/0x10', '/_idp/github/repos/octocat/0x10'],
    ['/v1/idp/github/repos/octocat/v1.2.3', '/_idp/github/repos/octocat/v1.2.3'],
    ['/v1/idp/github/repos/octocat/127.0.0.1', '/_idp/github/repos/octocat/127.0.0.1'],
    ['/v1/idp/github/repos/octocat/.github', '/_idp/github/repos/octocat/.github'],
    [
      '/v1/idp/github/repos/microsoft/vscode-js-debug',
      '/_idp/github/repos/microsoft/vscode-js-debug',
    ],
    ['/v1/idp/github/repos/python/cpython', '/_idp/github/repos/python/cpython'],
    [
      '/v1/idp/github/repos/Alice-Example/my_repo...x',
      '/_idp/github/repos/Alice-Example/my_repo...x',
    ],
  ])('accepts the GitHub path %s', (url, pathname) => {
    expect(check(url).pathname).toBe(pathname);
  });

  it.each([
    // Calendar ids as calendarList returns them, encoded as googleapis sends them.
    [
      'en.swiss%23holiday%40group.v.calendar.google.com',
      'en.swiss%23holiday%40group.v.calendar.google.com',
    ],
    [
      'addressbook%23contacts%40group.v.calendar.google.com',
      'addressbook%23contacts%40group.v.calendar.google.com',
    ],
    ['c_1a2b3c4d5e6f%40group.calendar.google.com', 'c_1a2b3c4d5e6f%40group.calendar.google.com'],
    // The same ids as a client that leaves `@` and `+` unencoded sends them (RFC 3986 pchar).
    ['alice.example+work@gmail.com', 'alice.example%2Bwork%40gmail.com'],
    [
      'en.swiss%23holiday@group.v.calendar.google.com',
      'en.swiss%23holiday%40group.v.calendar.google.com',
    ],
    ['primary', 'primary'],
  ])('accepts the Google calendar id %s', (id, upstream) => {
    const url = check(`/v1/idp/google-oauth2/calendar/v3/calendars/${id}/events`, 'GET', google);
    expect(url.origin).toBe('https://www.googleapis.com');
    expect(url.pathname).toBe(`/calendar/v3/calendars/${upstream}/events`);
  });

  it('keeps Graph ids with "=", "-" and "_" whole', () => {
    // Graph message ids are base64url with padding, as /me/messages returns them.
    for (const id of [
      'AAMkAGVmMDEzMTM4LTZmYWUtNDdkNC1hMDZiLTU1OGY5OTZhYmY4OABGAAAAAAAiQ8W967B7TKBjgx9rVEURBwAiIsqMbYjsT5e-T7KzowPTAAAAAAEMAAAiIsqMbYjsT5e-T7KzowPTAAAYbuK-AAA=',
      'AQMkADAwATM0MDAAMS1iNTcwLWI2NTEtMDACLTAwCgBGAAAD_ZNd6Usb_0mLqGm5wdlrWQcA==',
    ]) {
      const target = guardProxyUrl(`/v1/idp/windowslive/v1.0/me/messages/${id}`);
      expect(target.segments).toEqual(['v1.0', 'me', 'messages', id]);
      // Encoded upstream exactly as Graph expects: `=` becomes %3D, `-` and `_` stay.
      const url = pinnedUpstreamUrl(
        graph,
        '/' + target.segments.map(encodeURIComponent).join('/'),
        target.query,
      );
      expect(url.origin).toBe('https://graph.microsoft.com');
      expect(url.pathname).toBe(`/v1.0/me/messages/${id.replace(/=/g, '%3D')}`);
    }
  });
});

describe('calls for read-only browsing', () => {
  it.each([
    ['/v1/idp/github/users/octocat', '/_idp/github/users/octocat'],
    ['/v1/idp/github/rate_limit', '/_idp/github/rate_limit'],
    ['/v1/idp/github/repos/octocat/1.0/contents', '/_idp/github/repos/octocat/1.0/contents'],
    [
      '/v1/idp/github/repos/octocat/hello-world/contents/README.md?ref=main',
      '/_idp/github/repos/octocat/hello-world/contents/README.md',
    ],
    [
      '/v1/idp/github/repos/octocat/hello-world/contents/src/lib/v1.2/index.ts',
      '/_idp/github/repos/octocat/hello-world/contents/src/lib/v1.2/index.ts',
    ],
  ])('allows %s', (url, pathname) => {
    expect(check(url).pathname).toBe(pathname);
    const target = guardProxyUrl(url);
    const { call } = matchAllowedCall(github, 'GET', target.segments);
    expect(() => checkQuery(call, target.query)).not.toThrow();
  });

  it('checks every segment of a path-valued parameter like any other', () => {
    const contents = '/v1/idp/github/repos/octocat/hello-world/contents';
    for (const tail of ['src/../../../user', 'src/%2e%2e/x', 'src%2fx', 'a//b', 'a/%00']) {
      expect(
        refusalCode(() => check(`${contents}/${tail}`)),
        tail,
      ).toBe('path_not_allowed');
    }
    // Only its own query, and only for GET.
    const { call } = matchAllowedCall(github, 'GET', ['repos', 'o', 'r', 'contents', 'a', 'b']);
    expect(
      refusalCode(() => checkQuery(call, new URLSearchParams('ref=main&access_token=x'))),
    ).toBe('invalid_request');
    expect(refusalCode(() => check(`${contents}/README.md`, 'PUT'))).toBe('method_not_allowed');
    // A tail takes one segment at least; the fixed part of the pattern still has to match.
    expect(refusalCode(() => check('/v1/idp/github/repos/o/r/contentz/a'))).toBe(
      'path_not_allowed',
    );
    expect(refusalCode(() => check('/v1/idp/github/users/octocat/repos'))).toBe('path_not_allowed');
  });

  it("allows Google's older userinfo", () => {
    expect(check('/v1/idp/google-oauth2/oauth2/v2/userinfo', 'GET', google).href).toBe(
      'https://www.googleapis.com/oauth2/v2/userinfo',
    );
  });
});

describe('query parameters', () => {
  const providers = catalogue.map(compileProvider);

  it("allows every query parameter the catalogue's own views send, and the next-page token", () => {
    for (const provider of providers) {
      for (const view of provider.entry.views) {
        const { call } = matchAllowedCall(provider, 'GET', view.path.split('/').slice(1));
        const query = new URLSearchParams(view.query);
        // The broker's own next link for Google-style paging adds pageToken to the view's query.
        if (provider.entry.pagination === 'pageToken' && view.kind === 'list') {
          query.set('pageToken', 'next');
        }
        expect(() => checkQuery(call, query), view.id).not.toThrow();
      }
    }
  });

  it('refuses parameters the call does not list, and duplicates unless repeatable', () => {
    const repos = matchAllowedCall(github, 'GET', ['user', 'repos']).call;
    expect(refusalCode(() => checkQuery(repos, new URLSearchParams('per_page=5&page=2')))).toBe(
      'accepted',
    );
    for (const query of ['access_token=x', 'per_page=5&callback=f', 'page=1&page=2', 'Page=2']) {
      expect(
        refusalCode(() => checkQuery(repos, new URLSearchParams(query))),
        query,
      ).toBe('invalid_request');
    }
    const events = matchAllowedCall(google, 'GET', [
      'calendar',
      'v3',
      'calendars',
      'x',
      'events',
    ]).call;
    expect(
      refusalCode(() =>
        checkQuery(events, new URLSearchParams('eventTypes=default&eventTypes=focusTime')),
      ),
    ).toBe('accepted');
    expect(refusalCode(() => checkQuery(events, new URLSearchParams('q=a&q=b')))).toBe(
      'invalid_request',
    );
  });
});
