import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { closeNow, listenOnLoopback } from '@linkboard/testing/loopback-server';
import { createBrokerClient } from '../../src/broker/broker-client.js';
import { nextPageFromLink } from '../../src/broker/next-page.js';
import { MAX_LINK_HEADER_LENGTH } from '@linkboard/contract/link-header';

const token = `eyJ${'a'.repeat(40)}`;
const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map(closeNow));
});

type Seen = { method?: string; url?: string; authorization?: string };

async function broker(handler: (request: IncomingMessage, response: ServerResponse) => void) {
  const seen: Seen[] = [];
  const server = createServer((request, response) => {
    seen.push({
      method: request.method,
      url: request.url,
      authorization: request.headers.authorization,
    });
    handler(request, response);
  });
  servers.push(server);
  const url = await listenOnLoopback(server);
  return { url, seen };
}

function json(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

describe('broker client', () => {
  it('calls the proxy on the configured broker with the bearer token, query and next page', async () => {
    const { url, seen } = await broker((_request, response) =>
      json(response, 200, [{ name: 'linkboard' }], {
        link: '</v1/idp/github/user/repos?page=2&per_page=30>; rel="next", </v1/idp/github/user/repos?page=9>; rel="last"',
      }),
    );
    const client = createBrokerClient({ brokerUrl: url, fetch });
    const answer = await client.request({
      connection: 'github',
      path: '/user/repos',
      query: { per_page: '30' },
      accessToken: token,
    });
    expect(answer).toEqual({
      status: 200,
      data: [{ name: 'linkboard' }],
      next: { path: '/user/repos', query: { page: '2', per_page: '30' } },
    });
    expect(seen).toEqual([
      {
        method: 'GET',
        url: '/v1/idp/github/user/repos?per_page=30',
        authorization: `Bearer ${token}`,
      },
    ]);
  });

  it('maps problem+json to a typed failure with the broker code, status and Retry-After', async () => {
    const { url } = await broker((_request, response) => {
      response.writeHead(429, { 'content-type': 'application/problem+json', 'retry-after': '7' });
      response.end(
        JSON.stringify({
          type: 'about:blank',
          requestId: 'req-42',
          title: 'Rate limited',
          status: 429,
          code: 'upstream_rate_limited',
          detail: 'GitHub asks to wait.',
        }),
      );
    });
    const client = createBrokerClient({ brokerUrl: url, fetch });
    await expect(
      client.request({ connection: 'github', path: '/user', query: {}, accessToken: token }),
    ).rejects.toMatchObject({
      code: 'upstream_rate_limited',
      message: 'GitHub asks to wait.',
      details: { status: 429, retryAfter: 7, requestId: 'req-42' },
    });
  });

  it('does not follow redirects, so the token never travels to another origin', async () => {
    const elsewhere = await broker((_request, response) => json(response, 200, { stolen: true }));
    const { url } = await broker((_request, response) => {
      response.writeHead(302, { location: `${elsewhere.url}/steal` });
      response.end();
    });
    const client = createBrokerClient({ brokerUrl: url, fetch });
    await expect(client.identities(token)).rejects.toMatchObject({
      code: 'broker_bad_response',
      details: { status: 302 },
    });
    expect(elsewhere.seen).toEqual([]);
  });

  it('checks identities and providers against the contract', async () => {
    const { url } = await broker((request, response) =>
      request.url === '/v1/me/identities'
        ? json(response, 200, { identities: [] })
        : json(response, 200, { providers: 'nope' }),
    );
    const client = createBrokerClient({ brokerUrl: url, fetch });
    expect(await client.identities(token)).toEqual({ identities: [], connectable: [] });
    await expect(client.providers(token)).rejects.toMatchObject({ code: 'broker_bad_response' });
  });

  it('asks for fresh identities with Cache-Control: no-cache, and only when told to', async () => {
    const cacheControl: Array<string | undefined> = [];
    const { url } = await broker((request, response) => {
      cacheControl.push(request.headers['cache-control']);
      json(response, 200, { identities: [] });
    });
    const client = createBrokerClient({ brokerUrl: url, fetch });
    await client.identities(token);
    await client.identities(token, { fresh: true });
    await client.identities(token, { fresh: false });
    expect(cacheControl).toEqual([undefined, 'no-cache', undefined]);
  });

  it('reports an unreachable broker, a timeout and a non-problem error status', async () => {
    const { url: closedUrl } = await broker(() => undefined);
    const closed = servers.pop()!;
    await new Promise((resolve) => closed.close(resolve));
    await expect(
      createBrokerClient({ brokerUrl: closedUrl, fetch }).identities(token),
    ).rejects.toMatchObject({ code: 'broker_unreachable' });

    const { url: slowUrl } = await broker(() => undefined);
    await expect(
      createBrokerClient({ brokerUrl: slowUrl, timeoutMs: 50, fetch }).identities(token),
    ).rejects.toMatchObject({
      code: 'broker_timeout',
    });

    const { url: brokenUrl } = await broker((_request, response) =>
      json(response, 500, { oops: true }),
    );
    await expect(
      createBrokerClient({ brokerUrl: brokenUrl, fetch }).identities(token),
    ).rejects.toMatchObject({
      code: 'broker_bad_response',
      details: { status: 500 },
    });
  });

  it('refuses an answer larger than the bound', async () => {
    const { url } = await broker((_request, response) =>
      json(response, 200, { identities: [], padding: 'x'.repeat(4096) }),
    );
    await expect(
      createBrokerClient({ brokerUrl: url, maxResponseBytes: 1024, fetch }).identities(token),
    ).rejects.toMatchObject({
      code: 'broker_bad_response',
    });
  });

  it('keeps a broker base path', async () => {
    const { url, seen } = await broker((_request, response) =>
      json(response, 200, { identities: [] }),
    );
    await createBrokerClient({ brokerUrl: `${url}/broker`, fetch }).identities(token);
    expect(seen[0]?.url).toBe('/broker/v1/me/identities');
  });
});

describe('next page from the Link header', () => {
  const brokerUrl = 'https://broker.example.com';
  it.each([
    ['another origin', '<https://evil.example.com/v1/idp/github/user?page=2>; rel="next"'],
    ['another connection', '</v1/idp/google-oauth2/x?page=2>; rel="next"'],
    ['outside the proxy', '</v1/me/identities>; rel="next"'],
    ['a dot segment hidden by encoding', '</v1/idp/github/%2e%2e/x>; rel="next"'],
    ['no next', '</v1/idp/github/user?page=1>; rel="prev"'],
    // Read by the shared linear-time scanner, which reads no header past its cap.
    [
      'a header longer than the Link reader reads',
      `</v1/idp/github/user/repos?page=2>; rel="next", ${'<'.repeat(MAX_LINK_HEADER_LENGTH)}`,
    ],
  ])('drops a link to %s', (_name, header) => {
    expect(nextPageFromLink(header, brokerUrl, 'github')).toBeNull();
  });

  it('understands absolute links on the broker and a base path', () => {
    expect(
      nextPageFromLink(
        '<https://broker.example.com/v1/idp/github/user/repos?page=3>; rel="next"',
        brokerUrl,
        'github',
      ),
    ).toEqual({
      path: '/user/repos',
      query: { page: '3' },
    });
    expect(
      nextPageFromLink(
        '</api/v1/idp/github/user/repos?page=3>; rel="next"',
        `${brokerUrl}/api`,
        'github',
      ),
    ).toEqual({
      path: '/user/repos',
      query: { page: '3' },
    });
  });
});
