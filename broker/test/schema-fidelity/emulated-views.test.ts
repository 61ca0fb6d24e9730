import { startSandbox, type RunningSandbox } from '@linkboard/sandbox';
import { clientCredentialsToken } from '@linkboard/testing/client-credentials';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../src/catalogue/load-catalogue.js';
import { GithubOpenApi, TypeSchemas, type BodyCheck } from './published-schemas.js';

/**
 * Every endpoint a catalogue view reads, as the sandbox emulates it, checked against the
 * provider's published description: GitHub's OpenAPI (`@octokit/openapi`), Google Calendar's and
 * Microsoft Graph's TypeScript types with the fields their references say every answer carries.
 * A view without a check here fails the suite, so a new view brings its schema with it.
 */

interface ProviderChecks {
  /** The seeded user whose account at this provider the views are read with. */
  user: string;
  /** The check of each view's answer, by the view's path. */
  views: Record<string, BodyCheck>;
}

/**
 * What Google Calendar's answers always carry, from its API reference (the CalendarList and Events
 * resources and their list methods); `@googleapis/calendar`'s types give the type of each.
 */
const GOOGLE_CALENDAR_ALWAYS = {
  'calendar_v3.Schema$CalendarList': ['kind', 'etag', 'items'],
  'calendar_v3.Schema$CalendarListEntry': [
    'kind',
    'etag',
    'id',
    'summary',
    'timeZone',
    'colorId',
    'backgroundColor',
    'foregroundColor',
    'accessRole',
    'defaultReminders',
  ],
  'calendar_v3.Schema$Events': [
    'kind',
    'etag',
    'summary',
    'updated',
    'timeZone',
    'accessRole',
    'defaultReminders',
    'items',
  ],
  'calendar_v3.Schema$Event': [
    'kind',
    'etag',
    'id',
    'status',
    'htmlLink',
    'created',
    'updated',
    'creator',
    'organizer',
    'start',
    'end',
    'iCalUID',
    'sequence',
    'reminders',
    'eventType',
  ],
} as const;

/**
 * Google's OpenID userinfo with the `openid email profile` scopes: the standard claims of OpenID
 * Connect Core (typed by `oauth4webapi`'s `UserInfoResponse`) that Google fills for them.
 */
const GOOGLE_USERINFO_ALWAYS = [
  'sub',
  'name',
  'given_name',
  'family_name',
  'picture',
  'email',
  'email_verified',
] as const;

/**
 * What Graph returns for a user and a message without `$select` (the user and message resources'
 * default properties on `GET /me` and `GET /me/messages`); `@microsoft/microsoft-graph-types`
 * gives the type of each, and of the types they nest.
 */
const GRAPH_USER_DEFAULTS = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
];
const GRAPH_MESSAGE_DEFAULTS = [
  'id',
  'createdDateTime',
  'lastModifiedDateTime',
  'changeKey',
  'categories',
  'receivedDateTime',
  'sentDateTime',
  'hasAttachments',
  'internetMessageId',
  'subject',
  'bodyPreview',
  'importance',
  'parentFolderId',
  'conversationId',
  'conversationIndex',
  'isDeliveryReceiptRequested',
  'isReadReceiptRequested',
  'isRead',
  'isDraft',
  'webLink',
  'inferenceClassification',
  'body',
  'sender',
  'from',
  'toRecipients',
  'ccRecipients',
  'bccRecipients',
  'replyTo',
  'flag',
];
const GRAPH_ALWAYS = {
  Recipient: ['emailAddress'],
  EmailAddress: ['name', 'address'],
  ItemBody: ['contentType', 'content'],
  FollowupFlag: ['flagStatus'],
};

/**
 * What Bitbucket Cloud's answers carry (its REST API 2.0 reference: the account, repository and
 * paginated-collection objects); the `bitbucket` package's types, generated from Bitbucket's API
 * description, give the type of each.
 */
const BITBUCKET_ALWAYS = {
  'Schema.User': ['type', 'uuid', 'display_name', 'links', 'created_on', 'account_id', 'nickname'],
  'Schema.PaginatedRepositories': ['values', 'pagelen', 'page'],
  'Schema.Repository': [
    'type',
    'uuid',
    'full_name',
    'name',
    'is_private',
    'description',
    'scm',
    'owner',
    'project',
    'mainbranch',
    'language',
    'size',
    'created_on',
    'updated_on',
    'has_issues',
    'has_wiki',
    'fork_policy',
    'links',
  ],
};

const { catalogue } = loadCatalogue();

let sandbox: RunningSandbox;
let graphMessages: BodyCheck;
let checks: Record<string, ProviderChecks>;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
  const github = new GithubOpenApi();
  const calendar = new TypeSchemas({
    declarations: { package: '@googleapis/calendar', file: 'build/v3.d.ts' },
    types: ['calendar_v3.Schema$CalendarList', 'calendar_v3.Schema$Events'],
    required: GOOGLE_CALENDAR_ALWAYS,
    constraints: {
      // An event time is a date (all-day) or a date-time, never both, never neither.
      'calendar_v3.Schema$EventDateTime': {
        oneOf: [{ required: ['date'] }, { required: ['dateTime'] }],
      },
    },
  });
  const openId = new TypeSchemas({
    declarations: { package: 'oauth4webapi', file: 'build/index.d.ts' },
    types: ['UserInfoResponse'],
    required: { UserInfoResponse: GOOGLE_USERINFO_ALWAYS },
  });
  const graph = new TypeSchemas({
    declarations: { package: '@microsoft/microsoft-graph-types', file: 'microsoft-graph.d.ts' },
    types: ['User', 'Message'],
    required: GRAPH_ALWAYS,
    extraKeys: /^@odata\./,
  });
  const messagesView = catalogue
    .find((entry) => entry.connection === 'windowslive')
    ?.views.find((view) => view.path === '/v1.0/me/messages');
  const selected = messagesView?.query.$select?.split(',') ?? GRAPH_MESSAGE_DEFAULTS;
  graphMessages = graph.check('Message', { required: GRAPH_MESSAGE_DEFAULTS, collection: 'value' });
  const bitbucket = new TypeSchemas({
    declarations: { package: 'bitbucket', file: 'lib/bitbucket.d.ts' },
    types: ['Schema.User', 'Schema.PaginatedRepositories'],
    required: BITBUCKET_ALWAYS,
  });
  checks = {
    bitbucket: {
      user: 'auth0|frank',
      views: {
        '/2.0/user': bitbucket.check('Schema.User'),
        '/2.0/repositories': bitbucket.check('Schema.PaginatedRepositories'),
      },
    },
    windowslive: {
      user: 'auth0|bob',
      views: {
        '/v1.0/me': graph.check('User', { required: GRAPH_USER_DEFAULTS }),
        // The view asks for a few properties with $select: exactly those must come back.
        '/v1.0/me/messages': graph.check('Message', { required: selected, collection: 'value' }),
      },
    },
    'google-oauth2': {
      user: 'auth0|alice',
      views: {
        '/oauth2/v3/userinfo': openId.check('UserInfoResponse'),
        '/calendar/v3/users/me/calendarList': calendar.check('calendar_v3.Schema$CalendarList'),
        '/calendar/v3/calendars/primary/events': calendar.check('calendar_v3.Schema$Events'),
      },
    },
    github: {
      user: 'auth0|alice',
      views: {
        '/user': github.response('/user'),
        '/user/repos': github.response('/user/repos'),
        '/user/orgs': github.response('/user/orgs'),
        '/user/starred': github.response('/user/starred'),
      },
    },
  };
}, 120_000);
afterAll(async () => {
  await sandbox?.close();
});

/**
 * A current IdP access token for the user's account at `connection`: the one Auth0 stored, or,
 * when it has expired and Auth0 keeps a refresh token, a new one from the provider's emulated
 * token endpoint (client as HTTP Basic, which every emulated provider takes; Microsoft wants a
 * scope).
 */
async function idpTokenOf(userId: string, connection: string): Promise<string> {
  const { info } = sandbox;
  const management = await clientCredentialsToken({
    domain: info.domain,
    clientId: info.m2m.clientId,
    clientSecret: info.m2m.clientSecret,
    audience: info.managementAudience,
  });
  const response = await fetch(
    `${info.domain}/api/v2/users/${encodeURIComponent(userId)}?fields=identities`,
    { headers: { authorization: `Bearer ${management}` } },
  );
  const { identities } = (await response.json()) as {
    identities: {
      connection: string;
      access_token?: string;
      refresh_token?: string;
      expires_in?: number;
    }[];
  };
  const identity = identities.find((candidate) => candidate.connection === connection);
  if (!identity?.access_token) throw new Error(`${userId} has no ${connection} token`);
  const client = info.idpClients[connection];
  const tokenUrl = info.idpTokenUrls[connection];
  if ((identity.expires_in ?? 1) > 0 || !identity.refresh_token || !client || !tokenUrl) {
    return identity.access_token;
  }
  const refreshed = await fetch(tokenUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: identity.refresh_token,
      scope: 'User.Read',
    }),
  });
  const { access_token: token } = (await refreshed.json()) as { access_token?: string };
  if (!token) throw new Error(`${connection} refused to refresh ${userId}'s token`);
  return token;
}

/** The next page's URL as the provider gives it: `Link`, `@odata.nextLink` or `nextPageToken`. */
function nextPage(style: string, url: URL, headers: Headers, body: unknown): URL | undefined {
  const page = body as Record<string, unknown>;
  if (style === 'link') {
    const next = /<([^>]+)>;\s*rel="next"/.exec(headers.get('link') ?? '')?.[1];
    return next ? new URL(next) : undefined;
  }
  if (style === 'odata' && typeof page['@odata.nextLink'] === 'string') {
    return new URL(page['@odata.nextLink']);
  }
  if (style === 'pageToken' && typeof page.nextPageToken === 'string') {
    const next = new URL(url);
    next.searchParams.set('pageToken', page.nextPageToken);
    return next;
  }
  return undefined;
}

describe.each(catalogue.map((entry) => [entry.connection, entry] as const))(
  '%s: every view the catalogue declares',
  (connection, entry) => {
    it.each(entry.views.map((view) => [view.id, view] as const))(
      '%s answers as the provider documents it, on every page',
      async (_id, view) => {
        const provider = checks[connection];
        const check = provider?.views[view.path];
        expect(check, `no published-schema check for ${connection} ${view.path}`).toBeDefined();
        if (!provider || !check) return;
        const base = sandbox.info.idpBaseUrls[connection];
        expect(base, `the sandbox does not emulate ${connection}`).toBeDefined();
        const token = await idpTokenOf(provider.user, connection);
        let url: URL | undefined = new URL(`${base}${view.path}`);
        for (const [name, value] of Object.entries(view.query)) {
          url.searchParams.set(name, value === '{{now}}' ? new Date().toISOString() : value);
        }
        let pages = 0;
        while (url) {
          const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
          const body: unknown = await response.json();
          expect(response.status, JSON.stringify(body)).toBe(200);
          expect(check(body), `${url.pathname}${url.search}`).toEqual([]);
          pages += 1;
          url =
            view.kind === 'list'
              ? nextPage(entry.pagination, url, response.headers, body)
              : undefined;
          expect(pages).toBeLessThan(50);
        }
      },
    );
  },
);

/** A GET on the sandbox's emulated provider with the user's stored token. */
async function getAs(
  userId: string,
  connection: string,
  path: string,
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
  const token = await idpTokenOf(userId, connection);
  const response = await fetch(`${sandbox.info.idpBaseUrls[connection]}${path}`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return {
    status: response.status,
    headers: response.headers,
    body: (await response.json()) as Record<string, unknown>,
  };
}

describe('the checks refuse what the providers would not send', () => {
  it('a GitHub repository without its clone URL, or with a string id', async () => {
    const { body } = await getAs('auth0|alice', 'github', '/user/repos?per_page=1');
    const [repo] = body as unknown as Record<string, unknown>[];
    const { clone_url: _, ...withoutCloneUrl } = repo ?? {};
    expect(checks.github?.views['/user/repos']?.([withoutCloneUrl])).toEqual([
      expect.stringContaining("required property 'clone_url'"),
    ]);
    expect(checks.github?.views['/user/repos']?.([{ ...repo, id: '1' }])).toEqual([
      expect.stringContaining('/0/id must be integer'),
    ]);
  });

  it('a Google event with neither date nor dateTime, or a field the type does not have', async () => {
    const { body } = await getAs(
      'auth0|alice',
      'google-oauth2',
      '/calendar/v3/calendars/primary/events?maxResults=1',
    );
    const check = checks['google-oauth2']?.views['/calendar/v3/calendars/primary/events'];
    const [event] = body.items as Record<string, unknown>[];
    expect(
      check?.({ ...body, items: [{ ...event, start: { timeZone: 'Europe/Zurich' } }] }),
    ).not.toEqual([]);
    expect(check?.({ ...body, items: [{ ...event, startTime: '09:00' }] })).toEqual([
      expect.stringContaining('must NOT have additional properties'),
    ]);
  });

  it('a Graph message without its body, or with recipients as strings', async () => {
    const { body } = await getAs('auth0|bob', 'windowslive', '/v1.0/me/messages?$top=1');
    const [message] = body.value as Record<string, unknown>[];
    const { body: _, ...withoutBody } = message ?? {};
    expect(graphMessages({ ...body, value: [withoutBody] })).toEqual([
      expect.stringContaining("required property 'body'"),
    ]);
    expect(
      graphMessages({ ...body, value: [{ ...message, toRecipients: ['bob@example.com'] }] }),
    ).not.toEqual([]);
  });
});

describe('emulated behaviour the published descriptions imply', () => {
  it('GitHub names every answer with an x-github-request-id', async () => {
    const requestId = /^[0-9A-F]{4}:[0-9A-F]{4}(:[0-9A-F]{8}){3}$/;
    const answer = await getAs('auth0|alice', 'github', '/user');
    expect(answer.headers.get('x-github-request-id')).toMatch(requestId);
    const refused = await fetch(`${sandbox.info.idpBaseUrls.github}/user`, {
      headers: { authorization: 'Bearer gho_not-a-token' },
    });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('x-github-request-id')).toMatch(requestId);
  });

  it('Graph answers every message property by default, each with a request-id', async () => {
    const answer = await getAs('auth0|bob', 'windowslive', '/v1.0/me/messages?$top=10');
    expect(graphMessages(answer.body)).toEqual([]);
    expect(answer.headers.get('request-id')).toMatch(/^[0-9a-f-]{36}$/);
    const messages = answer.body.value as Record<string, unknown>[];
    // A conversation is one subject's thread; some messages copy someone.
    expect(new Set(messages.map((message) => message.conversationId)).size).toBeLessThan(
      messages.length,
    );
    expect(messages.some((message) => (message.ccRecipients as unknown[]).length > 0)).toBe(true);
  });

  it('Graph honours $select, keeping the id and the annotations, and refuses an unknown property', async () => {
    const answer = await getAs(
      'auth0|bob',
      'windowslive',
      '/v1.0/me/messages?$top=3&$select=subject,isRead',
    );
    const messages = answer.body.value as Record<string, unknown>[];
    expect(messages).toHaveLength(3);
    for (const message of messages) {
      expect(Object.keys(message).sort()).toEqual(['@odata.etag', 'id', 'isRead', 'subject']);
    }
    expect(answer.body['@odata.context']).toMatch(/\/messages\(subject,isRead\)$/);
    expect(String(answer.body['@odata.nextLink'])).toContain('%24select=subject%2CisRead');
    const me = await getAs('auth0|bob', 'windowslive', '/v1.0/me?$select=displayName');
    expect(Object.keys(me.body).sort()).toEqual(['@odata.context', 'displayName', 'id']);
    const unknown = await getAs(
      'auth0|bob',
      'windowslive',
      '/v1.0/me/messages?$select=subject,colour',
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({
      error: {
        code: 'BadRequest',
        message: "Could not find a property named 'colour' on type 'microsoft.graph.message'.",
      },
    });
  });

  it('Google writes event times in the calendar zone, has all-day events, and every calendar checks', async () => {
    const list = await getAs('auth0|alice', 'google-oauth2', '/calendar/v3/users/me/calendarList');
    const calendars = list.body.items as { id: string; timeZone: string }[];
    const check = checks['google-oauth2']?.views['/calendar/v3/calendars/primary/events'];
    const allDay: unknown[] = [];
    for (const calendar of calendars) {
      const events = await getAs(
        'auth0|alice',
        'google-oauth2',
        `/calendar/v3/calendars/${encodeURIComponent(calendar.id)}/events?maxResults=2500`,
      );
      expect(events.status).toBe(200);
      expect(check?.(events.body), calendar.id).toEqual([]);
      expect(events.body.timeZone).toBe(calendar.timeZone);
      for (const event of events.body.items as { start: Record<string, string> }[]) {
        if (event.start.date) allDay.push(event);
        else {
          expect(event.start.timeZone).toBe('Europe/Zurich');
          // Central European time: +01:00 in winter, +02:00 in summer.
          expect(event.start.dateTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0[12]:00$/);
        }
      }
    }
    expect(allDay.length).toBeGreaterThan(0);
    const utc = await getAs(
      'auth0|alice',
      'google-oauth2',
      '/calendar/v3/calendars/primary/events?maxResults=1&timeZone=UTC',
    );
    expect(utc.body.timeZone).toBe('UTC');
    expect((utc.body.items as { start: { dateTime: string } }[])[0]?.start.dateTime).toMatch(/Z$/);
  });

  it('Google refuses orderBy=startTime without singleEvents=true, as it does', async () => {
    const refused = await getAs(
      'auth0|alice',
      'google-oauth2',
      '/calendar/v3/calendars/primary/events?orderBy=startTime',
    );
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({
      error: {
        code: 400,
        message: 'The requested ordering is not available for the particular query.',
        errors: [{ reason: 'badRequest', domain: 'global' }],
      },
    });
    const expanded = await getAs(
      'auth0|alice',
      'google-oauth2',
      '/calendar/v3/calendars/primary/events?orderBy=startTime&singleEvents=true',
    );
    expect(expanded.status).toBe(200);
  });
});
