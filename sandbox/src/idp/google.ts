import type { IdpTokenStore } from '../tenant/idp-token-store.js';
import { bearerToken, sendJson } from '../http/http-io.js';
import { providerAccountFor, findSeededUser } from '../tenant/seed.js';
import { IDP_ACCESS_TOKEN_TTL, IDP_TOKEN_PATHS } from '../tenant/tenant-config.js';
import {
  CALENDAR_TIME_ZONE,
  eventInstant,
  googleAccountFor,
  type EventTime,
  type GoogleAccountData,
  type GoogleEvent,
} from './google-data.js';
import { createRefreshEndpoint, type RefreshRefusal } from './refresh-endpoint.js';
import { isTimeZone, zonedDateTime } from './zoned-time.js';
import { intParam, type IdpHandler, type IdpRequest } from './idp-handler.js';

const GOOGLE_SCOPES = [
  'openid',
  'https://www.googleapis.com/auth/userinfo.email',
  'https://www.googleapis.com/auth/userinfo.profile',
  'https://www.googleapis.com/auth/calendar.readonly',
].join(' ');

/** How Google's token endpoint words each refusal. */
const GOOGLE_REFUSALS: Record<RefreshRefusal, (detail: string) => string> = {
  invalid_client: () => 'The OAuth client was not found.',
  unsupported_grant_type: (grantType) => `Invalid grant_type: ${grantType}`,
  invalid_grant: () => 'Token has been expired or revoked.',
  invalid_request: (detail) => detail,
};

/** Google's error body for API calls (`{"error":{"code","message","errors","status"}}`). */
function googleError(
  res: IdpRequest['res'],
  code: number,
  status: string,
  reason: string,
  message: string,
): void {
  const headers: Record<string, string> =
    code === 401
      ? { 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' }
      : {};
  sendJson(
    res,
    code,
    { error: { code, message, errors: [{ message, domain: 'global', reason }], status } },
    headers,
  );
}

/**
 * Google APIs subset: OpenID userinfo (v3, and v2's older shape), Calendar v3 calendar list and events (`maxResults`,
 * `pageToken` → `nextPageToken`), and the OAuth token endpoint for `grant_type=refresh_token`.
 */
export function createGoogleApi(options: {
  tokens: IdpTokenStore;
  clientId: string;
  clientSecret: string;
  now?: () => number;
}): IdpHandler {
  const now = options.now ?? Date.now;
  const tokenEndpoint = createRefreshEndpoint({
    connection: 'google-oauth2',
    tokens: options.tokens,
    client: { clientId: options.clientId, clientSecret: options.clientSecret },
    clientAuthentication: 'either',
    issuesRefreshToken: false,
    expiresIn: IDP_ACCESS_TOKEN_TTL - 1,
    refusal: (kind, detail) => ({
      status: kind === 'invalid_client' ? 401 : 400,
      body: { error: kind, error_description: GOOGLE_REFUSALS[kind](detail) },
    }),
    answer: (grant) => ({
      access_token: grant.accessToken,
      expires_in: grant.expiresIn,
      scope: GOOGLE_SCOPES,
      token_type: 'Bearer',
    }),
  });
  const accounts = new Map<string, GoogleAccountData>();
  const accountOf = (userId: string): GoogleAccountData | undefined => {
    const cached = accounts.get(userId);
    if (cached) return cached;
    const user = findSeededUser(userId);
    const identity = user && providerAccountFor(user, 'google-oauth2');
    if (!user || !identity) return undefined;
    const account = googleAccountFor(user, identity, now());
    accounts.set(userId, account);
    return account;
  };

  return async (request: IdpRequest) => {
    const { req, res, path, url } = request;
    if (path === IDP_TOKEN_PATHS['google-oauth2']) {
      await tokenEndpoint(request);
      return;
    }
    const value = bearerToken(req);
    const token = value && options.tokens.resolve('google-oauth2', value);
    if (!token) {
      googleError(
        res,
        401,
        'UNAUTHENTICATED',
        'authError',
        'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
      );
      return;
    }
    const account = accountOf(token.userId);
    if (!account || req.method !== 'GET') {
      googleError(res, 404, 'NOT_FOUND', 'notFound', 'Not Found');
      return;
    }

    if (path === '/oauth2/v3/userinfo') {
      sendJson(res, 200, account.userinfo);
      return;
    }
    if (path === '/oauth2/v2/userinfo') {
      // The older endpoint names the same facts differently: `id`, `verified_email`.
      const { sub, email_verified: verified, ...rest } = account.userinfo;
      sendJson(res, 200, { id: sub, ...rest, verified_email: verified });
      return;
    }
    if (path === '/calendar/v3/users/me/calendarList') {
      const page = pageOf(
        url,
        account.calendars.map((calendar) => calendar.entry),
        100,
        250,
      );
      if (!page) {
        googleError(res, 400, 'INVALID_ARGUMENT', 'invalid', 'Invalid page token value.');
        return;
      }
      sendJson(res, 200, {
        kind: 'calendar#calendarList',
        etag: '"p33k9lxsbnf8v80o"',
        ...(page.nextPageToken
          ? { nextPageToken: page.nextPageToken }
          : { nextSyncToken: 'CPDAlvWDx_sCEhJhbGljZUBleGFtcGxlLmNvbQ==' }),
        items: page.items,
      });
      return;
    }
    const eventsMatch = /^\/calendar\/v3\/calendars\/([^/]+)\/events$/.exec(path);
    if (eventsMatch) {
      const calendarId = decodeURIComponent(eventsMatch[1] ?? '');
      const calendar = account.calendars.find(
        (candidate) =>
          candidate.entry.id === calendarId ||
          (calendarId === 'primary' && candidate.entry.primary === true),
      );
      if (!calendar) {
        googleError(res, 404, 'NOT_FOUND', 'notFound', 'Not Found');
        return;
      }
      const query = url.searchParams;
      // Google orders by start time only over expanded instances: without singleEvents=true
      // it refuses the query rather than ignore the order.
      if (query.get('orderBy') === 'startTime' && query.get('singleEvents') !== 'true') {
        googleError(
          res,
          400,
          'INVALID_ARGUMENT',
          'badRequest',
          'The requested ordering is not available for the particular query.',
        );
        return;
      }
      // timeMin bounds an event's end, timeMax its start (both exclusive).
      const timeMin = Date.parse(query.get('timeMin') ?? '');
      const timeMax = Date.parse(query.get('timeMax') ?? '');
      const requestedZone = query.get('timeZone');
      const timeZone =
        requestedZone && isTimeZone(requestedZone) ? requestedZone : CALENDAR_TIME_ZONE;
      const events = calendar.events
        .filter(
          (event) =>
            (Number.isNaN(timeMin) || eventInstant(event.end) > timeMin) &&
            (Number.isNaN(timeMax) || eventInstant(event.start) < timeMax),
        )
        .map((event) => inZone(event, timeZone));
      const page = pageOf(url, events, 250, 2500);
      if (!page) {
        googleError(res, 400, 'INVALID_ARGUMENT', 'invalid', 'Invalid page token value.');
        return;
      }
      sendJson(res, 200, {
        kind: 'calendar#events',
        etag: '"p32ofplf5q6gf80o"',
        summary: calendar.entry.summary,
        description: '',
        updated: new Date(now()).toISOString(),
        timeZone,
        accessRole: calendar.entry.accessRole,
        defaultReminders: calendar.entry.defaultReminders,
        ...(page.nextPageToken ? { nextPageToken: page.nextPageToken } : {}),
        items: page.items,
      });
      return;
    }
    googleError(res, 404, 'NOT_FOUND', 'notFound', 'Not Found');
  };
}

/** An event with its times written in `timeZone` (the `timeZone` parameter of events.list). */
function inZone(event: GoogleEvent, timeZone: string): GoogleEvent {
  const rewrite = (time: EventTime): EventTime =>
    'dateTime' in time
      ? { ...time, dateTime: zonedDateTime(Date.parse(time.dateTime), timeZone) }
      : time;
  return { ...event, start: rewrite(event.start), end: rewrite(event.end) };
}

/** Google's opaque page tokens: here a base64url offset. Undefined for a token that does not parse. */
function pageOf<T>(
  url: URL,
  items: readonly T[],
  defaultSize: number,
  maxSize: number,
): { items: T[]; nextPageToken?: string } | undefined {
  const size = intParam(url.searchParams.get('maxResults'), defaultSize, 1, maxSize);
  const pageToken = url.searchParams.get('pageToken');
  let offset = 0;
  if (pageToken) {
    const match = /^o:(\d+)$/.exec(Buffer.from(pageToken, 'base64url').toString('utf8'));
    if (!match) return undefined;
    offset = Number(match[1]);
  }
  const next = offset + size;
  return {
    items: items.slice(offset, next),
    ...(next < items.length
      ? { nextPageToken: Buffer.from(`o:${next}`).toString('base64url') }
      : {}),
  };
}
