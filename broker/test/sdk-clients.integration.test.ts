import { auth as googleAuth, calendar } from '@googleapis/calendar';
import { Client, GraphError, PageIterator } from '@microsoft/microsoft-graph-client';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { brokerEnvFromSandbox } from '@linkboard/dev-stack/broker-env';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, startBroker } from '../src/index.js';
import { startStack, type Stack } from './support/stack.js';
import { startTlsFront, type TlsFront } from './support/tls-front.js';

/**
 * The providers' own SDKs pointed at the broker with a user's Auth0 access token, configured as
 * the README's "Use the broker from an SDK" says: a real broker behind a TLS front on loopback
 * (its public origin, `BROKER_PUBLIC_URL`), Google mounted on a port of its own, the sandbox's
 * emulated providers behind it.
 */
let stack: Stack;
let front: TlsFront;
let broker: Awaited<ReturnType<typeof startBroker>>;
const token = {} as Record<'alice' | 'bob' | 'carol', string>;
/** Every URL an SDK asked for, to show none left the broker's public origin. */
const asked: string[] = [];

/** Node's fetch through the TLS front's dispatcher, noting each URL. */
function recordingFetch(input: URL | Request | string, init?: RequestInit): Promise<Response> {
  asked.push(input instanceof Request ? input.url : String(input));
  return fetch(input, { ...init, dispatcher: front.dispatcher } as RequestInit);
}

beforeAll(async () => {
  stack = await startStack();
  front = await startTlsFront();
  const env = brokerEnvFromSandbox(stack.info, {
    LOG_LEVEL: 'silent',
    BROKER_PUBLIC_URL: front.url,
    BROKER_CONNECTION_PORTS: JSON.stringify({ 'google-oauth2': 0 }),
  });
  broker = await startBroker(loadConfig(env, { retryBaseDelayMs: 20 }));
  front.target = broker.url;
  for (const user of ['alice', 'bob', 'carol'] as const) token[user] = await stack.tokenFor(user);
}, 60_000);

afterAll(async () => {
  await broker?.close();
  await front?.close();
  await stack?.close();
});

const GitHub = Octokit.plugin(throttling);
const retried: Array<{ kind: string; retryAfter: number }> = [];

/** The README's Octokit configuration (with this test's fetch). */
function github(accessToken: string) {
  const baseUrl = `${front.url}/v1/idp/github`;
  const octokit = new GitHub({
    auth: accessToken,
    baseUrl,
    request: { fetch: recordingFetch },
    throttle: {
      onRateLimit: (retryAfter, _options, _octokit, retryCount) => {
        retried.push({ kind: 'primary', retryAfter });
        return retryCount < 2;
      },
      onSecondaryRateLimit: (retryAfter, _options, _octokit, retryCount) => {
        retried.push({ kind: 'secondary', retryAfter });
        return retryCount < 2;
      },
    },
  });
  // The token is the user's Auth0 token: no request leaves the broker, whatever URL is asked for.
  octokit.hook.before('request', (options) => {
    // Route paths (`/user/repos`) join baseUrl; an absolute URL must be on the broker too.
    if (/^[a-z][a-z0-9+.-]*:/i.test(options.url) && !options.url.startsWith(`${baseUrl}/`)) {
      throw new Error(`refusing to send the broker token to ${new URL(options.url).origin}`);
    }
  });
  return octokit;
}

describe('@octokit/rest through the broker', () => {
  it('paginates every repository and every starred repository exactly once', async () => {
    const octokit = github(token.alice);
    const everything = await octokit.rest.repos.listForAuthenticatedUser({ per_page: 100 });
    const repos = await octokit.paginate(octokit.rest.repos.listForAuthenticatedUser, {
      per_page: 10,
    });
    expect(everything.data).toHaveLength(45);
    expect(repos.map((repo) => repo.id)).toHaveLength(new Set(repos.map((r) => r.id)).size);
    expect(new Set(repos.map((repo) => repo.id))).toEqual(
      new Set(everything.data.map((repo) => repo.id)),
    );

    const starred = await octokit.paginate(
      octokit.rest.activity.listReposStarredByAuthenticatedUser,
      { per_page: 7 },
    );
    expect(starred).toHaveLength(20);
    expect(new Set(starred.map((repo) => repo.id)).size).toBe(20);
    // 45 at 10 a page and 20 at 7 a page: the Link header was followed 4 + 2 times.
    expect(asked.filter((url) => /\/user\/repos\?per_page=10(&|$)/.test(url))).toHaveLength(5);
    expect(asked.filter((url) => /\/user\/starred\?per_page=7(&|$)/.test(url))).toHaveLength(3);
  });

  it('reads a dotted repository name, as GitHub allows', async () => {
    const octokit = github(token.alice);
    const [first] = (await octokit.rest.repos.listForAuthenticatedUser({ per_page: 1 })).data;
    const repo = await octokit.rest.repos.get({ owner: first!.owner.login, repo: first!.name });
    expect(repo.data.id).toBe(first!.id);
  });

  it('reads a nested file through the contents route with a reserved {+path} expansion', async () => {
    const octokit = github(token.alice);
    const [first] = (await octokit.rest.repos.listForAuthenticatedUser({ per_page: 1 })).data;
    const where = { owner: first!.owner.login, repo: first!.name };
    const before = asked.length;
    // `repos.getContent` expands `{path}` with `/` as `%2F`, which the path guard refuses
    // (docs/architecture.md#a-path-valued-parameter-from-an-sdk); `{+path}` keeps the slashes, as GitHub's own path.
    const file = await octokit.request('GET /repos/{owner}/{repo}/contents/{+path}', {
      ...where,
      path: 'docs/setup.md',
    });
    expect(file.data).toMatchObject({ type: 'file', path: 'docs/setup.md' });
    expect(asked.slice(before)).toEqual([
      `${front.url}/v1/idp/github/repos/${where.owner}/${where.repo}/contents/docs/setup.md`,
    ]);
    const refused = await octokit.rest.repos.getContent({ ...where, path: 'docs/setup.md' }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(asked.at(-1)).toMatch(/\/contents\/docs%2Fsetup\.md$/);
    expect(refused).toMatchObject({
      status: 403,
      response: { data: { code: 'path_not_allowed' } },
    });
  });

  it("gives a not-linked user an HttpError with a readable message and the broker's code", async () => {
    const failure = await github(token.carol)
      .rest.users.getAuthenticated()
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toMatchObject({ name: 'HttpError', status: 404 });
    const error = failure as { message: string; response: { data: Record<string, unknown> } };
    expect(error.message).toMatch(/^No identity of this connection is linked to your account/);
    expect(error.response.data).toMatchObject({
      code: 'identity_not_linked',
      requestId: expect.any(String),
    });
  });

  it('lets the throttling plugin see a 429 and retry it', async () => {
    await stack.fault({ target: 'idp:github', kind: 'status', status: 429, retryAfterSeconds: 1 });
    const before = retried.length;
    const user = await github(token.alice).rest.users.getAuthenticated();
    expect(user.status).toBe(200);
    // The broker passes GitHub's x-ratelimit-* headers on with its 429 (remaining 0, a reset a
    // second or two away), which the plugin reads as the primary limit and waits out once.
    expect(retried.slice(before)).toEqual([{ kind: 'primary', retryAfter: expect.any(Number) }]);
    expect(retried.at(-1)!.retryAfter).toBeLessThanOrEqual(5);
    expect(await stack.pendingFaults('idp:github')).toBe(0);
  }, 15_000);

  it('gets 304 for a conditional request with the ETag it was given', async () => {
    const octokit = github(token.alice);
    const first = await octokit.rest.users.getAuthenticated();
    const etag = first.headers.etag;
    expect(etag).toBeTruthy();
    const again = await octokit.rest.users
      .getAuthenticated({ headers: { 'if-none-match': etag } })
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    // Octokit reports "Not modified" as a RequestError with status 304.
    expect(again).toMatchObject({ status: 304 });
  });

  it('never sends the token off the broker: body URLs name the provider, and the hook refuses them', async () => {
    const octokit = github(token.alice);
    const { data } = await octokit.rest.repos.listForAuthenticatedUser({ per_page: 1 });
    const providerUrl = data[0]!.url;
    expect(new URL(providerUrl).origin).not.toBe(new URL(front.url).origin);
    const before = asked.length;
    await expect(octokit.request(`GET ${providerUrl}`)).rejects.toThrow(
      /refusing to send the broker token/,
    );
    expect(asked.length).toBe(before);
    for (const url of asked) expect(url.startsWith(`${front.url}/v1/idp/github/`), url).toBe(true);
  });
});

describe('@googleapis/calendar through the Google mount', () => {
  /** The README's googleapis configuration: the mount as rootUrl, the Auth0 token as credentials. */
  function google(accessToken: string) {
    const credentials = new googleAuth.OAuth2();
    credentials.setCredentials({ access_token: accessToken });
    return calendar({
      version: 'v3',
      rootUrl: `${broker.connectionUrls['google-oauth2']}/`,
      auth: credentials,
    });
  }

  it('pages calendarList and events with pageToken, the # calendar id included', async () => {
    const api = google(token.alice);
    const calendars: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const page = await api.calendarList.list({
        maxResults: 2,
        ...(pageToken ? { pageToken } : {}),
      });
      calendars.push(...(page.data.items ?? []).map((entry) => entry.id!));
      pageToken = page.data.nextPageToken ?? undefined;
      pages += 1;
    } while (pageToken && pages < 20);
    expect(pages).toBeGreaterThan(2);
    expect(new Set(calendars).size).toBe(calendars.length);
    expect(calendars).toContain('en.swiss#holiday@group.v.calendar.google.com');

    for (const calendarId of calendars) {
      const whole = await api.events.list({ calendarId, maxResults: 2500 });
      const ids: string[] = [];
      pageToken = undefined;
      pages = 0;
      do {
        const page: { data: { items?: { id?: string | null }[]; nextPageToken?: string | null } } =
          await api.events.list({
            calendarId,
            maxResults: 3,
            ...(pageToken ? { pageToken } : {}),
          });
        ids.push(...(page.data.items ?? []).map((event) => event.id!));
        pageToken = page.data.nextPageToken ?? undefined;
        pages += 1;
      } while (pageToken && pages < 50);
      expect(ids, calendarId).toEqual((whole.data.items ?? []).map((event) => event.id));
      expect(pages, calendarId).toBeGreaterThan(1);
    }
  });

  it("gives a not-linked user Google's error shape with the broker's code", async () => {
    const failure = await google(token.carol)
      .calendarList.list()
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    const error = failure as { status: number; message: string; response: { data: unknown } };
    expect(error.status).toBe(404);
    expect(error.message).toMatch(/No identity of this connection is linked to your account/);
    expect(error.response.data).toMatchObject({
      error: { code: 404, status: 'NOT_FOUND' },
      code: 'identity_not_linked',
    });
  });
});

describe('@microsoft/microsoft-graph-client through the broker', () => {
  /** The README's Graph configuration: the broker as baseUrl, its host in customHosts. */
  function graph(accessToken: string) {
    return Client.init({
      baseUrl: `${front.url}/v1/idp/windowslive`,
      defaultVersion: 'v1.0',
      customHosts: new Set([new URL(front.url).hostname]),
      authProvider: (done) => done(null, accessToken),
      // This test's TLS front; a real deployment's certificate needs nothing here.
      fetchOptions: { dispatcher: front.dispatcher } as RequestInit,
    });
  }

  it('reads /me and every page of /me/messages with PageIterator', async () => {
    const client = graph(token.bob);
    const me = (await client.api('/me').get()) as { id: string; displayName: string };
    expect(me.displayName).toBeTruthy();
    const all = (await client.api('/me/messages').top(1000).get()) as { value: { id: string }[] };
    const first = await client.api('/me/messages').top(7).get();
    const ids: string[] = [];
    const iterator = new PageIterator(client, first, (message: { id: string }) => {
      ids.push(message.id);
      return true;
    });
    await iterator.iterate();
    expect(all.value.length).toBeGreaterThan(14);
    expect(ids).toEqual(all.value.map((message) => message.id));
  });

  it("gives a not-linked user a GraphError whose code is the broker's", async () => {
    const failure = await graph(token.carol)
      .api('/me')
      .get()
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(GraphError);
    expect(failure).toMatchObject({ statusCode: 404, code: 'identity_not_linked' });
    expect((failure as GraphError).message).toMatch(/No identity of this connection is linked/);
  });
});
