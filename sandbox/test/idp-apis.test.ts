import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../src/index.js';
import { idpToken } from './support/management.js';

let sandbox: RunningSandbox;
let base: Record<'github' | 'google-oauth2' | 'windowslive', string>;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  const urls = sandbox.info.idpBaseUrls;
  base = {
    github: urls.github ?? '',
    'google-oauth2': urls['google-oauth2'] ?? '',
    windowslive: urls.windowslive ?? '',
  };
});
afterAll(async () => {
  await sandbox?.close();
});

async function getJson(
  url: string,
  token?: string,
): Promise<{ status: number; body: unknown; headers: Headers }> {
  const response = await fetch(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: response.status, body: await response.json(), headers: response.headers };
}

/** `Link: <url>; rel="next", …` → { next: url, … } */
function parseLink(header: string | null): Record<string, string> {
  const links: Record<string, string> = {};
  for (const part of (header ?? '').split(',')) {
    const match = /<([^>]+)>;\s*rel="([^"]+)"/.exec(part.trim());
    if (match?.[1] && match[2]) links[match[2]] = match[1];
  }
  return links;
}

describe('base URLs', () => {
  it('are printed under the sandbox domain', () => {
    expect(sandbox.info.idpBaseUrls).toEqual({
      github: `${sandbox.url}/_idp/github`,
      'google-oauth2': `${sandbox.url}/_idp/google-oauth2`,
      windowslive: `${sandbox.url}/_idp/windowslive`,
      bitbucket: `${sandbox.url}/_idp/bitbucket`,
    });
  });
});

describe('GitHub', () => {
  it('serves the user and paginates repositories with a Link header', async () => {
    const { access_token: token = '' } = await idpToken(sandbox.info, 'auth0|alice', 'github');
    const user = await getJson(`${base.github}/user`, token);
    expect(user.status).toBe(200);
    expect(user.body).toMatchObject({ login: 'alice-example', id: 5810001, name: 'Alice Example' });
    expect(user.headers.get('x-ratelimit-limit')).toBe('5000');
    const remainingBefore = Number(user.headers.get('x-ratelimit-remaining'));

    const names: string[] = [];
    let url: string | undefined = `${base.github}/user/repos?per_page=10`;
    let pages = 0;
    while (url && pages < 20) {
      const page = await getJson(url, token);
      expect(page.status).toBe(200);
      const links = parseLink(page.headers.get('link'));
      if (pages === 0) expect(new URL(links.last ?? '').searchParams.get('page')).toBe('5');
      for (const link of Object.values(links))
        expect(link.startsWith(`${base.github}/user/repos?`)).toBe(true);
      names.push(...(page.body as { full_name: string }[]).map((repo) => repo.full_name));
      url = links.next;
      pages += 1;
    }
    expect(pages).toBe(5);
    expect(names).toHaveLength(45);
    expect(new Set(names).size).toBe(45);
    expect([...names].sort()).toEqual(names);
    expect(names.every((name) => name.startsWith('alice-example/'))).toBe(true);

    const firstDefault = await getJson(`${base.github}/user/repos`, token);
    expect((firstDefault.body as unknown[]).length).toBe(30);
    expect(Number(firstDefault.headers.get('x-ratelimit-remaining'))).toBeLessThan(remainingBefore);

    const [owner, repo] = (names[7] ?? '').split('/');
    const single = await getJson(`${base.github}/repos/${owner}/${repo}`, token);
    expect(single.status).toBe(200);
    expect(single.body).toMatchObject({
      full_name: names[7],
      url: `${base.github}/repos/${names[7]}`,
    });
    const missing = await getJson(`${base.github}/repos/${owner}/no-such-repo`, token);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ message: 'Not Found' });
  });

  it('lists organisations and starred repositories, with pages', async () => {
    const { access_token: token = '' } = await idpToken(sandbox.info, 'auth0|alice', 'github');
    const orgs = await getJson(`${base.github}/user/orgs`, token);
    expect((orgs.body as { login: string }[]).map((org) => org.login)).toHaveLength(3);
    const starredPage = await getJson(`${base.github}/user/starred?per_page=10&page=2`, token);
    expect((starredPage.body as unknown[]).length).toBe(10);
    const links = parseLink(starredPage.headers.get('link'));
    expect(links.next).toBeUndefined();
    expect(new URL(links.prev ?? '').searchParams.get('page')).toBe('1');
    const starred = starredPage.body as { full_name: string }[];
    const repo = await getJson(`${base.github}/repos/${starred[0]?.full_name ?? ''}`, token);
    expect(repo.status).toBe(200);
  });

  it('answers "Bad credentials" to a missing, unknown, expired or other-IdP token alike', async () => {
    const expired = await idpToken(sandbox.info, 'auth0|bob', 'github');
    const google = await idpToken(sandbox.info, 'auth0|alice', 'google-oauth2');
    const answers = await Promise.all(
      [undefined, 'gho_unknown', expired.access_token, google.access_token].map((token) =>
        getJson(`${base.github}/user`, token),
      ),
    );
    for (const answer of answers) {
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({
        message: 'Bad credentials',
        documentation_url: 'https://docs.github.com/rest',
        status: '401',
      });
    }
  });
});

describe('Google', () => {
  it('serves userinfo, the calendar list and pages of upcoming events', async () => {
    const { access_token: token = '' } = await idpToken(
      sandbox.info,
      'auth0|alice',
      'google-oauth2',
    );
    const userinfo = await getJson(`${base['google-oauth2']}/oauth2/v3/userinfo`, token);
    expect(userinfo.body).toMatchObject({
      email: 'alice.example@gmail.com',
      name: 'Alice Example',
      email_verified: true,
    });

    const list = await getJson(
      `${base['google-oauth2']}/calendar/v3/users/me/calendarList?maxResults=3`,
      token,
    );
    const listBody = list.body as {
      kind: string;
      items: { id: string; primary?: boolean }[];
      nextPageToken?: string;
    };
    expect(listBody.kind).toBe('calendar#calendarList');
    expect(listBody.items).toHaveLength(3);
    expect(listBody.items[0]).toMatchObject({ id: 'alice.example@gmail.com', primary: true });
    expect(listBody.nextPageToken).toBeTruthy();
    const rest = await getJson(
      `${base['google-oauth2']}/calendar/v3/users/me/calendarList?maxResults=3&pageToken=${listBody.nextPageToken ?? ''}`,
      token,
    );
    expect((rest.body as { items: unknown[]; nextPageToken?: string }).items).toHaveLength(2);
    expect(rest.body).not.toHaveProperty('nextPageToken');

    const starts: string[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const query = new URLSearchParams({
        maxResults: '10',
        singleEvents: 'true',
        orderBy: 'startTime',
        timeMin: new Date().toISOString(),
      });
      if (pageToken) query.set('pageToken', pageToken);
      const page = await getJson(
        `${base['google-oauth2']}/calendar/v3/calendars/primary/events?${query.toString()}`,
        token,
      );
      expect(page.status).toBe(200);
      const body = page.body as {
        kind: string;
        items: { start: { dateTime: string }; summary: string }[];
        nextPageToken?: string;
      };
      expect(body.kind).toBe('calendar#events');
      starts.push(...body.items.map((event) => event.start.dateTime));
      pageToken = body.nextPageToken;
      pages += 1;
    } while (pageToken && pages < 10);
    expect(pages).toBe(4);
    expect(starts).toHaveLength(35);
    expect(starts.every((start) => Date.parse(start) > Date.now())).toBe(true);
    // Times carry the calendar zone's offset, which changes with daylight saving: compare instants.
    const instants = starts.map((start) => Date.parse(start));
    expect([...instants].sort((a, b) => a - b)).toEqual(instants);

    const byEmail = await getJson(
      `${base['google-oauth2']}/calendar/v3/calendars/${encodeURIComponent('alice.example@gmail.com')}/events?maxResults=1`,
      token,
    );
    expect(byEmail.status).toBe(200);
    const badToken = await getJson(
      `${base['google-oauth2']}/calendar/v3/calendars/primary/events?pageToken=garbage`,
      token,
    );
    expect(badToken.status).toBe(400);
  });

  it('answers 401 UNAUTHENTICATED to an unknown or expired token', async () => {
    const dave = await idpToken(sandbox.info, 'auth0|dave', 'google-oauth2');
    for (const token of ['ya29.unknown', dave.access_token]) {
      const answer = await getJson(
        `${base['google-oauth2']}/calendar/v3/users/me/calendarList`,
        token,
      );
      expect(answer.status).toBe(401);
      expect(answer.body).toMatchObject({ error: { code: 401, status: 'UNAUTHENTICATED' } });
      expect(answer.headers.get('www-authenticate')).toContain('invalid_token');
    }
  });

  it('refreshes an expired token at its token endpoint with the Google client credentials', async () => {
    const dave = await idpToken(sandbox.info, 'auth0|dave', 'google-oauth2');
    const refresh = (form: Record<string, string>) =>
      fetch(`${base['google-oauth2']}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(form),
      });
    const good = {
      grant_type: 'refresh_token',
      refresh_token: dave.refresh_token ?? '',
      client_id: sandbox.info.google.clientId,
      client_secret: sandbox.info.google.clientSecret,
    };
    const response = await refresh(good);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      access_token: string;
      expires_in: number;
      token_type: string;
      scope: string;
    };
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3599 });
    expect(body.scope).toContain('calendar.readonly');
    const list = await getJson(
      `${base['google-oauth2']}/calendar/v3/users/me/calendarList`,
      body.access_token,
    );
    expect(list.status).toBe(200);
    expect((list.body as { items: { id: string }[] }).items[0]?.id).toBe('dave.refresh@gmail.com');

    const badSecret = await refresh({ ...good, client_secret: 'nope' });
    expect(badSecret.status).toBe(401);
    expect(await badSecret.json()).toMatchObject({ error: 'invalid_client' });
    const badToken = await refresh({ ...good, refresh_token: 'nope' });
    expect(badToken.status).toBe(400);
    expect(await badToken.json()).toMatchObject({ error: 'invalid_grant' });
  });
});

describe('Microsoft Graph', () => {
  it('serves /me and pages of messages with @odata.nextLink', async () => {
    const { access_token: token = '' } = await idpToken(sandbox.info, 'auth0|bob', 'windowslive');
    const me = await getJson(`${base.windowslive}/v1.0/me`, token);
    expect(me.body).toMatchObject({ displayName: 'Bob Sample', mail: 'bob.sample@outlook.com' });

    const ids: string[] = [];
    let next: string | undefined = `${base.windowslive}/v1.0/me/messages?$top=10`;
    let pages = 0;
    while (next && pages < 10) {
      const page = await getJson(next, token);
      expect(page.status).toBe(200);
      const body = page.body as {
        value: { id: string; receivedDateTime: string }[];
        '@odata.nextLink'?: string;
      };
      ids.push(...body.value.map((message) => message.id));
      next = body['@odata.nextLink'];
      if (next) expect(next.startsWith(`${base.windowslive}/v1.0/me/messages?`)).toBe(true);
      pages += 1;
    }
    expect(pages).toBe(3);
    expect(new Set(ids).size).toBe(30);
  });

  it('answers 401 InvalidAuthenticationToken to an unknown token', async () => {
    const answer = await getJson(`${base.windowslive}/v1.0/me`, 'EwBunknown');
    expect(answer.status).toBe(401);
    expect(answer.body).toMatchObject({ error: { code: 'InvalidAuthenticationToken' } });
  });
});
