import { z } from 'zod';
import { IdentitiesResponse, ProvidersResponse } from './broker-api.js';
import { ProblemCode } from './problem.js';

/**
 * Every IPC channel between the renderer and main, in one map: request and response schema per
 * channel. Main registers handlers only through its registry, which validates each request against
 * this map; the preload builds `window.linkboard` from it. Adding a channel is one entry here.
 */

const Empty = z.object({}).strict();

/** An access token for the broker's audience, obtained by the renderer with auth0-spa-js. */
const AccessToken = z.string().min(20).max(8192);

/** Auth0 connection names, as in the provider catalogue. */
const Connection = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'a connection name such as github');

/**
 * A provider API path as the renderer asks for it: the broker checks it against its allowlist.
 * Main refuses dot segments, empty segments and encoded `/`, `\` or `.` as well, so a path can
 * never climb out of `/v1/idp/{connection}/` when it is joined to the broker URL.
 */
const ProviderPath = z
  .string()
  .min(1)
  .max(2048)
  .regex(/^\/[^\\\s?#]*$/, 'a path starting with / without query, fragment or backslash')
  .refine(
    (path) =>
      !path.includes('//') &&
      !/(^|\/)\.{1,2}(\/|$)/.test(path) &&
      !/%(2f|5c|2e|00)/i.test(path) &&
      // eslint-disable-next-line no-control-regex -- control characters are what this refuses
      !/[\u0000-\u001f\u007f]/.test(path),
    'a path without dot or empty segments and without encoded slashes, dots or control characters',
  );

const Query = z.record(z.string().max(256), z.string().max(2048));

export const RedirectMode = z.enum(['loopback', 'custom-scheme']);
export type RedirectMode = z.infer<typeof RedirectMode>;

/** A page cursor: where the next page is, relative to the connection, as the broker said. */
export const NextPage = z.object({ path: ProviderPath, query: Query });
export type NextPage = z.infer<typeof NextPage>;

export const BrokerRequest = z
  .object({
    connection: Connection,
    path: ProviderPath,
    query: Query.default({}),
    accessToken: AccessToken,
  })
  .strict();
export type BrokerRequest = z.input<typeof BrokerRequest>;

export const BrokerResponse = z.object({
  status: z.number().int(),
  data: z.unknown(),
  next: NextPage.nullable(),
});
export type BrokerResponse = z.infer<typeof BrokerResponse>;

/** Where a configuration value came from, strongest first. */
export const ConfigSource = z.enum(['policy', 'user', 'environment', 'command-line', 'default']);
export type ConfigSource = z.infer<typeof ConfigSource>;

export const PublicConfig = z.object({
  auth0Domain: z.string(),
  clientId: z.string(),
  brokerAudience: z.string(),
  brokerUrl: z.string(),
  redirectMode: RedirectMode,
  /** Loopback redirect port (Auth0 matches callback URLs exactly, ports included). */
  loopbackPort: z.number().int().min(1024).max(65535),
  updateFeedUrl: z.string().nullable(),
  updatesEnabled: z.boolean(),
  updateChannel: z.string().nullable(),
});
export type PublicConfig = z.infer<typeof PublicConfig>;
export type PublicConfigKey = keyof PublicConfig;

export const AppInfo = z.object({
  name: z.string(),
  version: z.string(),
  config: PublicConfig,
  /** Source of each key; `policy` keys are "managed by your organisation" and read-only. */
  sources: z.record(z.string(), ConfigSource),
  /** `keychain`: sign-in is remembered; `memory`: no keychain, sign-in lasts until the app quits. */
  tokenStorage: z.enum(['keychain', 'memory']),
});
export type AppInfo = z.infer<typeof AppInfo>;

/**
 * What the update service is doing, for the settings/about screen. `disabled` says why:
 * `turned-off` when configuration (often a managed policy) sets `updatesEnabled: false`,
 * `not-packaged` in development builds, which have no signed update to compare with.
 */
export const UpdateState = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('disabled'),
    reason: z.enum(['turned-off', 'not-packaged']),
  }),
  z.object({ status: z.literal('idle'), lastCheck: z.enum(['never', 'up-to-date']) }),
  z.object({ status: z.literal('checking') }),
  z.object({ status: z.literal('available'), version: z.string() }),
  z.object({
    status: z.literal('downloading'),
    version: z.string(),
    percent: z.number().min(0).max(100),
  }),
  z.object({ status: z.literal('downloaded'), version: z.string() }),
  z.object({ status: z.literal('error'), message: z.string() }),
]);
export type UpdateState = z.infer<typeof UpdateState>;

/** One auth0-spa-js cache entry key (`@@auth0spajs@@::client::audience::scope`). */
const CacheKey = z.string().min(1).max(1024);

export const ipcChannels = {
  /** Prepares a sign-in: main picks the redirect URI (and, in loopback mode, will listen there). */
  'auth:prepare': {
    request: Empty,
    response: z.object({ redirectUri: z.string(), mode: RedirectMode }),
  },
  /** Opens an Auth0 `/authorize` or `/v2/logout` URL in the system browser; nothing else. */
  'auth:open': {
    request: z.object({ url: z.string().max(8192) }).strict(),
    response: Empty,
  },
  /** Stops waiting for a sign-in callback. */
  'auth:cancel': { request: Empty, response: Empty },

  'cache:get': {
    request: z.object({ key: CacheKey }).strict(),
    response: z.object({ value: z.unknown().nullable() }),
  },
  'cache:set': {
    request: z.object({ key: CacheKey, value: z.unknown() }).strict(),
    response: Empty,
  },
  'cache:remove': { request: z.object({ key: CacheKey }).strict(), response: Empty },
  'cache:allKeys': { request: Empty, response: z.object({ keys: z.array(z.string()) }) },
  /** Sign-out: wipes the token store and its keychain key. */
  'cache:clear': { request: Empty, response: Empty },

  'broker:request': { request: BrokerRequest, response: BrokerResponse },
  'broker:identities': {
    request: z.object({ accessToken: AccessToken }).strict(),
    response: IdentitiesResponse,
  },
  'broker:providers': {
    request: z.object({ accessToken: AccessToken }).strict(),
    response: ProvidersResponse,
  },

  'app:info': { request: Empty, response: AppInfo },
  /** What the update service is doing (`disabled` in development and when policy turns it off). */
  'app:updateState': { request: Empty, response: UpdateState },
  /** Quits and installs a downloaded update; refused (`update_not_ready`) in any other state. */
  'app:installUpdate': { request: Empty, response: Empty },
} as const;

export type IpcChannelMap = typeof ipcChannels;
export type IpcChannel = keyof IpcChannelMap;
export type IpcRequest<C extends IpcChannel> = z.input<IpcChannelMap[C]['request']>;
export type IpcResponse<C extends IpcChannel> = z.infer<IpcChannelMap[C]['response']>;

// The one event main sends to the renderer (the sign-in callback URL, alone) lives in desktop.ts,
// which imports nothing, so the preload bundle can use it without zod.
export { AUTH_CALLBACK_EVENT } from './desktop.js';

/** Errors an IPC call can return, with the broker's problem codes passed through. */
export const IpcErrorCode = z.union([
  z.enum([
    'forbidden_sender',
    'unknown_channel',
    'invalid_payload',
    'url_not_allowed',
    'sign_in_not_pending',
    'redirect_port_unavailable',
    'broker_unreachable',
    'broker_timeout',
    'broker_bad_response',
    'keychain_unavailable',
    'update_not_ready',
    'internal_error',
  ]),
  ProblemCode,
]);
export type IpcErrorCode = z.infer<typeof IpcErrorCode>;

export const IpcError = z.object({
  code: IpcErrorCode,
  message: z.string(),
  /** HTTP status of the broker's answer, when there was one. */
  status: z.number().int().optional(),
  retryAfter: z.number().int().nonnegative().optional(),
  /** The broker's request id, for the user to quote to an operator. */
  requestId: z.string().max(128).optional(),
});
export type IpcError = z.infer<typeof IpcError>;

/** Every IPC call resolves to this envelope: errors are values, never thrown across the bridge. */
export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** `window.linkboard`, as the preload exposes it. */
export interface LinkboardApi {
  auth: {
    prepare(): Promise<IpcResult<IpcResponse<'auth:prepare'>>>;
    open(url: string): Promise<IpcResult<IpcResponse<'auth:open'>>>;
    cancel(): Promise<IpcResult<IpcResponse<'auth:cancel'>>>;
    /** Calls `listener` with the callback URL; returns the function that unsubscribes. */
    onCallback(listener: (url: string) => void): () => void;
  };
  cache: {
    get(key: string): Promise<IpcResult<IpcResponse<'cache:get'>>>;
    set(key: string, value: unknown): Promise<IpcResult<IpcResponse<'cache:set'>>>;
    remove(key: string): Promise<IpcResult<IpcResponse<'cache:remove'>>>;
    allKeys(): Promise<IpcResult<IpcResponse<'cache:allKeys'>>>;
    clear(): Promise<IpcResult<IpcResponse<'cache:clear'>>>;
  };
  broker: {
    request(request: BrokerRequest): Promise<IpcResult<BrokerResponse>>;
    identities(accessToken: string): Promise<IpcResult<IpcResponse<'broker:identities'>>>;
    providers(accessToken: string): Promise<IpcResult<IpcResponse<'broker:providers'>>>;
  };
  app: {
    info(): Promise<IpcResult<AppInfo>>;
    updateState(): Promise<IpcResult<UpdateState>>;
    installUpdate(): Promise<IpcResult<IpcResponse<'app:installUpdate'>>>;
  };
}
