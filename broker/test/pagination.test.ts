import { describe, expect, it } from 'vitest';
import { compileProvider } from '../src/catalogue/compiled-provider.js';
import { loadCatalogue } from '../src/catalogue/load-catalogue.js';
import { formatLinkValue, parseLinkHeader } from '@linkboard/contract/link-header';
import { brokerReference, brokerReferenceByParsing, paginate } from '../src/proxy/pagination.js';
import { safeResponseHeaders } from '../src/upstream/response-headers.js';

const { catalogue } = loadCatalogue({
  apiBaseUrls: { windowslive: 'http://127.0.0.1:9/_idp/windowslive' },
  tokenUrls: {},
});
const byConnection = (c: string) => compileProvider(catalogue.find((p) => p.connection === c)!);
const github = byConnection('github');
const graph = byConnection('windowslive');
const google = byConnection('google-oauth2');
/** Where a connection's paths start on a broker whose public origin is known. */
const PUBLIC = 'https://broker.example.com';
const publicBase = (connection: string) => () => `${PUBLIC}/v1/idp/${connection}`;
/** A broker that does not know its public origin answers path-absolute references. */
const pathBase = (connection: string) => () => `/v1/idp/${connection}`;

describe('pagination through the broker', () => {
  it('rewrites every GitHub Link entry to a broker reference', () => {
    const link =
      '<https://api.github.com/user/repos?per_page=10&page=2>; rel="next", <https://api.github.com/user/repos?per_page=10&page=5>; rel="last"';
    const page = paginate(
      github,
      { encodedPath: '/user/repos', search: '', base: pathBase('github') },
      { link, body: Buffer.from('[]'), isJson: true },
    );
    expect(page.link).toBe(
      '</v1/idp/github/user/repos?per_page=10&page=2>; rel="next", </v1/idp/github/user/repos?per_page=10&page=5>; rel="last"',
    );
    expect(parseLinkHeader(page.link!)?.map((e) => e.rel)).toEqual([['next'], ['last']]);
  });

  it('drops Link entries that leave the provider', () => {
    const link =
      '<https://evil.example/user/repos?page=2>; rel="next", <https://api.github.com.evil.example/x>; rel="last"';
    const page = paginate(
      github,
      { encodedPath: '/user/repos', search: '', base: pathBase('github') },
      { link, body: Buffer.from('[]'), isJson: true },
    );
    expect(page.link).toBeUndefined();
  });

  it('replaces @odata.nextLink in the body and adds a Link header', () => {
    const body = Buffer.from(
      JSON.stringify({
        value: [{ id: '1' }],
        '@odata.nextLink': 'http://127.0.0.1:9/_idp/windowslive/v1.0/me/messages?$skip=10&$top=10',
      }),
    );
    const page = paginate(
      graph,
      {
        encodedPath: '/v1.0/me/messages',
        search: '',
        base: pathBase('windowslive'),
      },
      { link: undefined, body, isJson: true },
    );
    const data = JSON.parse(page.body.toString());
    expect(data['@odata.nextLink']).toBe('/v1/idp/windowslive/v1.0/me/messages?$skip=10&$top=10');
    expect(page.link).toBe('</v1/idp/windowslive/v1.0/me/messages?$skip=10&$top=10>; rel="next"');
  });

  it('removes an @odata.nextLink that points elsewhere', () => {
    const body = Buffer.from(
      JSON.stringify({ value: [], '@odata.nextLink': 'https://graph.microsoft.com.evil/v1.0/me' }),
    );
    const page = paginate(
      graph,
      {
        encodedPath: '/v1.0/me/messages',
        search: '',
        base: pathBase('windowslive'),
      },
      { link: undefined, body, isJson: true },
    );
    expect(JSON.parse(page.body.toString())).not.toHaveProperty('@odata.nextLink');
    expect(page.link).toBeUndefined();
  });

  it('turns nextPageToken into a next link with pageToken, keeping the query', () => {
    const body = Buffer.from(JSON.stringify({ items: [], nextPageToken: 'tok/2+=' }));
    const page = paginate(
      google,
      {
        encodedPath: '/calendar/v3/users/me/calendarList',
        search: 'maxResults=5&pageToken=old',
        base: pathBase('google-oauth2'),
      },
      { link: undefined, body, isJson: true },
    );
    expect(page.link).toBe(
      '</v1/idp/google-oauth2/calendar/v3/users/me/calendarList?maxResults=5&pageToken=tok%2F2%2B%3D>; rel="next"',
    );
  });

  it('writes absolute links on the public base for every paging style', () => {
    const repos = paginate(
      github,
      { encodedPath: '/user/repos', search: '', base: publicBase('github') },
      {
        link: '<https://api.github.com/user/repos?page=2>; rel="next"',
        body: Buffer.from('[]'),
        isJson: true,
      },
    );
    expect(repos.link).toBe(`<${PUBLIC}/v1/idp/github/user/repos?page=2>; rel="next"`);

    const messages = paginate(
      graph,
      {
        encodedPath: '/v1.0/me/messages',
        search: '',
        base: publicBase('windowslive'),
      },
      {
        link: undefined,
        body: Buffer.from(
          JSON.stringify({
            value: [],
            '@odata.nextLink': 'http://127.0.0.1:9/_idp/windowslive/v1.0/me/messages?$skip=3',
          }),
        ),
        isJson: true,
      },
    );
    const next = `${PUBLIC}/v1/idp/windowslive/v1.0/me/messages?$skip=3`;
    expect(JSON.parse(messages.body.toString())['@odata.nextLink']).toBe(next);
    expect(messages.link).toBe(`<${next}>; rel="next"`);

    const calendars = paginate(
      google,
      {
        encodedPath: '/calendar/v3/users/me/calendarList',
        search: 'maxResults=5',
        base: publicBase('google-oauth2'),
      },
      { link: undefined, body: Buffer.from('{"items":[],"nextPageToken":"p2"}'), isJson: true },
    );
    expect(calendars.link).toBe(
      `<${PUBLIC}/v1/idp/google-oauth2/calendar/v3/users/me/calendarList?maxResults=5&pageToken=p2>; rel="next"`,
    );
  });

  it('asks for the public base only when there is a link to write', () => {
    let asked = 0;
    const base = () => {
      asked += 1;
      return PUBLIC;
    };
    paginate(
      github,
      { encodedPath: '/user/repos', search: '', base },
      { link: undefined, body: Buffer.from('[]'), isJson: true },
    );
    paginate(
      github,
      { encodedPath: '/user/repos', search: '', base },
      {
        link: '<https://evil.example/x?page=2>; rel="next"',
        body: Buffer.from('[]'),
        isJson: true,
      },
    );
    paginate(
      google,
      { encodedPath: '/oauth2/v3/userinfo', search: '', base },
      { link: undefined, body: Buffer.from('{"sub":"1"}'), isJson: true },
    );
    expect(asked).toBe(0);
    paginate(
      github,
      { encodedPath: '/user/repos', search: '', base },
      {
        link: '<https://api.github.com/user/repos?page=2>; rel="next", <https://api.github.com/user/repos?page=3>; rel="last"',
        body: Buffer.from('[]'),
        isJson: true,
      },
    );
    expect(asked).toBe(1);
  });

  it('refers only to the provider base path', () => {
    expect(brokerReference(graph, 'http://127.0.0.1:9/other/v1.0/me')).toBeUndefined();
    expect(brokerReference(graph, 'http://127.0.0.1:9/_idp/windowslive/v1.0/me')).toBe(
      '/v1/idp/windowslive/v1.0/me',
    );
  });
});

describe('broker references for provider URLs', () => {
  it('give what WHATWG parsing gives, whether or not the plain-URL shortcut applies', () => {
    const origin = 'https://api.github.com';
    const targets = [
      `${origin}/user/repos?per_page=10&page=2`,
      `${origin}/user/repos`,
      `${origin}/`,
      `${origin}/user/repos?`,
      `${origin}/user/repos?q=a%20b&x=1`,
      `${origin}/user/repos?q='x'`,
      `${origin}/user/repos?q="x"`,
      `${origin}/user/repos?q=<x>`,
      `${origin}/user/repos#frag`,
      `${origin}/user/./repos`,
      `${origin}/user/../../repos`,
      `${origin}/user/%2e%2e/repos`,
      `${origin}/user/%2E%2E/%2E%2E/x`,
      `${origin}/user\\..\\x`,
      `${origin}/user/repos/a.b`,
      `${origin}//evil.example/x`,
      `${origin}:443/user/repos`,
      `${origin}:8443/user/repos`,
      `${origin}.evil.example/user`,
      `${origin}@evil.example/user`,
      'HTTPS://API.GITHUB.COM/user/repos?page=2',
      'http://api.github.com/user/repos',
      `${origin}/user/\u00e9t\u00e9`,
      `${origin}/user/re pos`,
      `${origin}/user/\trepos`,
      '/user/repos?page=3',
      'user/repos?page=3',
      '//evil.example/user',
      'javascript:alert(1)',
    ];
    let shortcut = 0;
    for (const target of targets) {
      expect(brokerReference(github, target), target).toBe(
        brokerReferenceByParsing(github, target),
      );
      if (brokerReference(github, target) !== undefined && target.startsWith(`${origin}/`)) {
        shortcut += 1;
      }
    }
    expect(shortcut).toBeGreaterThan(3);
    expect(brokerReference(github, `${origin}/user/repos?page=2`)).toBe(
      '/v1/idp/github/user/repos?page=2',
    );
    expect(brokerReference(github, 'https://evil.example/user/repos')).toBeUndefined();
  });
});

describe('Link rewriting', () => {
  /** The rewrite as the general parser reads a header: each kept link written back whole. */
  function parsedRewrite(header: string): string | undefined {
    const kept = (parseLinkHeader(header) ?? []).flatMap((link) => {
      const reference = brokerReference(github, link.target);
      return reference === undefined ? [] : [formatLinkValue(reference, link.params)];
    });
    return kept.length > 0 ? kept.join(', ') : undefined;
  }
  const rewrite = (link: string) =>
    paginate(
      github,
      { encodedPath: '/user/repos', search: '', base: pathBase('github') },
      { link, body: Buffer.from('[]'), isJson: true },
    ).link;

  it('gives what the general parser gives, for GitHub headers and every other shape', () => {
    const api = 'https://api.github.com';
    const next = `<${api}/user/repos?per_page=10&page=2>; rel="next"`;
    const last = `<${api}/user/repos?per_page=10&page=5>; rel="last"`;
    const headers = [
      // GitHub's own shape, read without the general parser.
      next,
      `${next}, ${last}`,
      `<${api}/user/repos?page=1>; rel="prev", ${next}, ${last}, <${api}/user/repos?page=1>; rel="first"`,
      `${next}, <https://evil.example/x?page=2>; rel="last"`,
      `<${api}/user/repos?a=1,2>; rel="next"`,
      Array.from({ length: 16 }, () => next).join(', '),
      // Any other shape: the general parser's result.
      Array.from({ length: 17 }, () => next).join(', '),
      Array.from({ length: 70 }, () => next).join(', '),
      `${next},${last}`,
      `${next} , ${last}`,
      `${next},  ${last}`,
      ` ${next}`,
      `${next}, `,
      `${next};`,
      `<${api}/user/repos?page=2>; REL="next"`,
      `<${api}/user/repos?page=2>; rel="Next"`,
      `<${api}/user/repos?page=2>; rel=next`,
      `<${api}/user/repos?page=2>; rel="next prev"`,
      `<${api}/user/repos?page=2>;rel="next"`,
      `<${api}/user/repos?page=2>; rel="next"; title="a, b"`,
      `<${api}/user/repos?page=2>; rel="ne\\"xt"`,
      `<${api}/user/repos?q=a b>; rel="next"`,
      `<${api}/user/repos?q="x">; rel="next"`,
      `<${api}/user/<repos>; rel="next"`,
      `<${api}/user/repos?page=2; rel="next"`,
      `${api}/user/repos?page=2; rel="next"`,
      `<>; rel="next"`,
      '',
      `<${api}/user/repos?page=2>; rel="next"`.padEnd(9000, ' '),
    ];
    for (const header of headers) expect(rewrite(header), header).toBe(parsedRewrite(header));
    expect(rewrite(`${next}, ${last}`)).toBe(
      '</v1/idp/github/user/repos?per_page=10&page=2>; rel="next", ' +
        '</v1/idp/github/user/repos?per_page=10&page=5>; rel="last"',
    );
  });
});

describe('response headers', () => {
  it('passes only safe headers, never set-cookie or location', () => {
    const headers = safeResponseHeaders({
      'content-type': 'application/json',
      'set-cookie': ['a=b'],
      location: 'https://evil.example/',
      'x-ratelimit-remaining': '4999',
      'www-authenticate': 'Bearer',
      server: 'github.com',
      etag: 'W/"1"',
    });
    expect(headers).toEqual({
      'content-type': 'application/json',
      'x-ratelimit-remaining': '4999',
      etag: 'W/"1"',
    });
  });
});
