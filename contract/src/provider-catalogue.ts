import { z } from 'zod';

/**
 * The provider catalogue: data, not code. Each entry is keyed by the Auth0 connection name and
 * says where the provider's API is, what the broker may call there, and which read-only views the
 * desktop app draws. Adding a provider is a new entry, not new UI code.
 */

/**
 * `/user/repos`, `/repos/:owner/:repo`: literal segments (not starting with a dot) and `:name`
 * segments; the last may be `:name+`, one or more segments, for a provider's path parameter that
 * holds a path (GitHub's `/repos/:owner/:repo/contents/:path+`).
 */
export const PathPattern = z
  .string()
  .regex(
    /^(\/(:[a-zA-Z][a-zA-Z0-9]*|[A-Za-z0-9_$@-][A-Za-z0-9._$@-]*))+(\/:[a-zA-Z][a-zA-Z0-9]*\+)?$/,
    'a path pattern like /user/repos',
  );

export const HttpMethod = z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);
export type HttpMethod = z.infer<typeof HttpMethod>;

/** A query parameter's name as providers write them: `per_page`, `pageToken`, `$top`. */
export const QueryParameterName = z
  .string()
  .regex(/^[A-Za-z$][A-Za-z0-9_.$-]{0,63}$/, 'a query parameter name like per_page or $top');

/**
 * A query parameter an allowlisted call accepts: its name, given at most once, or
 * `{ name, repeatable: true }` where the provider defines the parameter as repeatable.
 */
export const AllowedQueryParameter = z.union([
  QueryParameterName,
  z.object({ name: QueryParameterName, repeatable: z.literal(true) }),
]);

/**
 * One call the broker may make: method, path pattern, and the query parameters it may carry
 * (none unless listed; each at most once unless repeatable). Anything else in a caller's query —
 * `access_token`, `callback`, a duplicate — is refused, not forwarded.
 */
export const AllowedCall = z.object({
  method: HttpMethod,
  path: PathPattern,
  query: z.array(AllowedQueryParameter).default([]),
});
export type AllowedCall = z.infer<typeof AllowedCall>;

/**
 * How a provider pages a list:
 * - `link`: RFC 8288 `Link` header with `rel="next"` (GitHub);
 * - `odata`: `@odata.nextLink` in the body (Microsoft Graph);
 * - `pageToken`: `nextPageToken` in the body, sent back as `pageToken` (Google);
 * - `next`: the next page's URL in the body's `next` (and `previous`), as Bitbucket pages.
 * Whatever the style, the broker answers with a `Link: <…/v1/idp/...>; rel="next"` header that
 * points back at itself, so a client only ever follows broker URLs.
 */
export const PaginationStyle = z.enum(['none', 'link', 'odata', 'pageToken', 'next']);
export type PaginationStyle = z.infer<typeof PaginationStyle>;

/**
 * How the broker words its own refusals on the proxy route, so a provider's SDK reads them like
 * the provider's errors: `github` (`{message, documentation_url}`), `google`
 * (`{error: {code, message, status}}`), `graph` (`{error: {code, message}}`), or `problem`
 * (`application/problem+json`, as everywhere else). Each carries the broker's `code` and
 * `requestId` too.
 */
export const ErrorDialect = z.enum(['problem', 'github', 'google', 'graph', 'bitbucket']);
export type ErrorDialect = z.infer<typeof ErrorDialect>;

export const ColumnFormat = z.enum([
  'text',
  'number',
  'date',
  'datetime',
  'url',
  'boolean',
  'image',
]);

export const ViewColumn = z.object({
  /** Dot path into one item, e.g. `owner.login` or `start.dateTime`. */
  key: z.string().min(1),
  label: z.string().min(1),
  format: ColumnFormat.default('text'),
  /** Further keys tried in order when `key` is missing, e.g. `start.date` for all-day events. */
  fallbackKeys: z.array(z.string()).default([]),
});
export type ViewColumn = z.infer<typeof ViewColumn>;

export const View = z.object({
  id: z.string().regex(/^[a-z][a-z0-9-]*$/),
  title: z.string().min(1),
  description: z.string().optional(),
  /** `object`: one record shown as fields; `list`: rows of a table. */
  kind: z.enum(['object', 'list']),
  path: PathPattern,
  /**
   * Query sent with the first page. The value `{{now}}` is replaced by the current time (RFC 3339)
   * when the view is loaded, for views such as "upcoming events".
   */
  query: z.record(z.string(), z.string()).default({}),
  /** Dot path to the array in a `list` response; empty when the body is the array itself. */
  itemsPath: z.string().default(''),
  /** A key that identifies an item, used to draw each once across pages. */
  itemKey: z.string().default('id'),
  columns: z.array(ViewColumn).min(1),
  emptyText: z.string().default('Nothing here yet.'),
  /**
   * Dot path to the item's own page at the provider (`html_url`, `htmlLink`, `webLink`): the app
   * offers to open it in the system browser, which main allows only on the provider's
   * `webOrigins`.
   */
  webLinkKey: z.string().min(1).optional(),
});
export type View = z.infer<typeof View>;

/** `https://github.com`: an https origin alone, without path, query or credentials. */
export const WebOrigin = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' && url.origin === value;
  } catch {
    return false;
  }
}, 'an https origin such as https://github.com');

export const TokenPlacement = z.object({
  /** Header that carries the IdP access token, e.g. `Authorization`. */
  header: z.string().default('Authorization'),
  /** Text before the token, e.g. `Bearer `. */
  prefix: z.string().default('Bearer '),
});

export const ProviderEntry = z.object({
  /** Auth0 connection name: `github`, `google-oauth2`, `windowslive`, or a custom connection. */
  connection: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/),
  displayName: z.string().min(1),
  /** An icon id the desktop app knows, or a data URL. */
  icon: z.string().min(1),
  /** Origin plus base path of the provider's API, e.g. `https://api.github.com`. */
  apiBaseUrl: z.string().url(),
  token: TokenPlacement.default({ header: 'Authorization', prefix: 'Bearer ' }),
  /** Extra request headers the provider wants, e.g. GitHub's `Accept`. */
  requestHeaders: z.record(z.string(), z.string()).default({}),
  /**
   * Media types a caller's `Accept` may name to replace the catalogue's own (GitHub's
   * `application/vnd.github.raw+json`); any other `Accept` is not forwarded.
   */
  acceptMediaTypes: z
    .array(z.string().regex(/^[a-z0-9.+-]+\/[a-z0-9.+-]+$/, 'a media type without parameters'))
    .default([]),
  pagination: PaginationStyle,
  errorDialect: ErrorDialect.default('problem'),
  /** The provider's OAuth token endpoint, when the broker can refresh its tokens. */
  tokenUrl: z.string().url().optional(),
  /**
   * How a refresh authenticates the broker at `tokenUrl` (RFC 7591's names): the client id and
   * secret in the form, or as HTTP Basic (Bitbucket).
   */
  tokenClientAuthentication: z
    .enum(['client_secret_post', 'client_secret_basic'])
    .default('client_secret_post'),
  /** `scope` to send with a refresh, for providers that want it again (Microsoft). */
  tokenScope: z.string().min(1).optional(),
  allow: z.array(AllowedCall).min(1),
  views: z.array(View),
  /**
   * The origins of the provider's web pages (`https://github.com`): the only places a view's
   * `webLinkKey` URL may point to for main to open or copy it.
   */
  webOrigins: z.array(WebOrigin).default([]),
  /**
   * The origins of the provider's public images (`https://avatars.githubusercontent.com`): main
   * fetches a view's `image` column only from there, with no token, and hands it to the page
   * through the app's own protocol.
   */
  imageOrigins: z.array(WebOrigin).default([]),
});
export type ProviderEntry = z.infer<typeof ProviderEntry>;

export const ProviderCatalogue = z.array(ProviderEntry);
export type ProviderCatalogue = z.infer<typeof ProviderCatalogue>;
