import { z } from 'zod';
import { IdentitiesResponse, ProvidersResponse } from './broker-api.js';
import { APP_LANGUAGES } from './desktop.js';
import { ProblemCode } from './problem.js';

/**
 * Every IPC channel between the renderer and main, in one map: per channel its place on the
 * bridge (`window.linkboard.broker.request` for `['broker', 'request']`), its request schema and
 * its response schema. Everything else is derived from it: the preload walks it to build
 * `window.linkboard`, `LinkboardApi` is its mapped type, main's registry validates both ways
 * against it, and main's handler object must have exactly its keys. Adding a channel is one entry
 * here plus one handler in main.
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

/**
 * One proxied provider call (`broker:request`). The page may leave `query` out; main receives the
 * parsed form, `query` always present.
 */
export const BrokerRequest = z
  .object({
    connection: Connection,
    path: ProviderPath,
    query: Query.default({}),
    accessToken: AccessToken,
  })
  .strict();
export type BrokerRequest = z.output<typeof BrokerRequest>;

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
  /** The proxy for sites whose computers have no system proxy settings; null: the system's. */
  proxyUrl: z.string().nullable(),
  /** The language the app speaks whatever the computer's or the user's choice; null: theirs. */
  language: z.enum(APP_LANGUAGES).nullable(),
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

/** What each entry of the channel map says. */
interface IpcChannelSpec {
  /** Namespace and function name on `window.linkboard`. */
  bridge: readonly [string, string];
  request: z.ZodType;
  response: z.ZodType;
}

/** A provider page the user picked: the connection it belongs to and the URL the provider gave. */
const ProviderPageRequest = z
  .object({ connection: Connection, url: z.string().min(1).max(8192) })
  .strict();

/** One auth0-spa-js cache entry key (`@@auth0spajs@@::client::audience::scope`). */
const CacheKey = z.string().min(1).max(1024);

/** The signed-in user (`sub`) whose views are kept, and a view's name (`accounts`, `github/repositories`). */
const ViewOwner = z.string().min(1).max(512);
const ViewKey = z
  .string()
  .regex(/^[a-z0-9][a-z0-9_/-]{0,127}$/, 'a view name such as github/repositories');

/** A view's last answer kept by main: when it was saved (ISO 8601) and the data. */
export const CachedView = z.object({ savedAt: z.string(), data: z.unknown() });
export type CachedView = z.infer<typeof CachedView>;

export const ipcChannels = {
  /** Prepares a sign-in: main picks the redirect URI (and, in loopback mode, will listen there). */
  'auth:prepare': {
    bridge: ['auth', 'prepare'],
    /** `language`: the app's language now, for the page the browser shows after the redirect. */
    request: z.object({ language: z.enum(APP_LANGUAGES).optional() }).strict(),
    response: z.object({ redirectUri: z.string(), mode: RedirectMode }),
  },

  /** Opens an Auth0 `/authorize` or `/v2/logout` URL in the system browser; nothing else. */
  'auth:open': {
    bridge: ['auth', 'open'],
    request: z.object({ url: z.string().max(8192) }).strict(),
    response: Empty,
  },
  /**
   * Opens the tenant's Connected Accounts page (`{auth0 origin}/connect?ticket=…`, the
   * `connect_uri` the My Account API answered) in the system browser for the redirect
   * `auth:prepare` started; its callback is forwarded only with this `state`
   * (docs/architecture.md#connecting-an-account).
   */
  'auth:openConnect': {
    bridge: ['auth', 'openConnect'],
    request: z.object({ url: z.string().max(8192), state: z.string().min(16).max(512) }).strict(),
    response: Empty,
  },
  /** Stops waiting for a sign-in callback. */
  'auth:cancel': {
    bridge: ['auth', 'cancel'],
    request: Empty,
    response: Empty,
  },

  'cache:get': {
    bridge: ['cache', 'get'],
    request: z.object({ key: CacheKey }).strict(),
    response: z.object({ value: z.unknown().nullable() }),
  },
  'cache:set': {
    bridge: ['cache', 'set'],
    request: z.object({ key: CacheKey, value: z.unknown() }).strict(),
    response: Empty,
  },
  'cache:remove': {
    bridge: ['cache', 'remove'],
    request: z.object({ key: CacheKey }).strict(),
    response: Empty,
  },
  'cache:allKeys': {
    bridge: ['cache', 'allKeys'],
    request: Empty,
    response: z.object({ keys: z.array(z.string()) }),
  },
  /** Sign-out: wipes the token store and its keychain key, the kept views and images. */
  'cache:clear': {
    bridge: ['cache', 'clear'],
    request: Empty,
    response: Empty,
  },

  /** The last data of a view for this user, kept encrypted by main, or null. */
  'views:get': {
    bridge: ['views', 'get'],
    request: z.object({ subject: ViewOwner, key: ViewKey }).strict(),
    response: z.object({ cached: CachedView.nullable() }),
  },
  /** Keeps a view's data for the next start (another user's are dropped); wiped at sign-out. */
  'views:set': {
    bridge: ['views', 'set'],
    request: z.object({ subject: ViewOwner, key: ViewKey, data: z.unknown() }).strict(),
    response: Empty,
  },

  'broker:request': {
    bridge: ['broker', 'request'],
    request: BrokerRequest,
    response: BrokerResponse,
  },
  /**
   * `fresh`: after the user connected or disconnected an account, so the broker answers from
   * Token Vault rather than from what it keeps (docs/architecture.md#provider-token-sources).
   */
  'broker:identities': {
    bridge: ['broker', 'identities'],
    request: z.object({ accessToken: AccessToken, fresh: z.boolean().optional() }).strict(),
    response: IdentitiesResponse,
  },
  'broker:providers': {
    bridge: ['broker', 'providers'],
    request: z.object({ accessToken: AccessToken }).strict(),
    response: ProvidersResponse,
  },

  /**
   * Opens a provider's page for a row or profile (its `webLinkKey` URL) in the system browser:
   * only https URLs on the web origins the catalogue names for that connection.
   */
  'web:open': {
    bridge: ['web', 'open'],
    request: ProviderPageRequest,
    response: Empty,
  },
  /** Puts a provider page URL on the clipboard, on the same terms as `web:open`. */
  'web:copy': {
    bridge: ['web', 'copy'],
    request: ProviderPageRequest,
    response: Empty,
  },

  'app:info': {
    bridge: ['app', 'info'],
    request: Empty,
    response: AppInfo,
  },
  /** What the update service is doing (`disabled` in development and when policy turns it off). */
  'app:updateState': {
    bridge: ['app', 'updateState'],
    request: Empty,
    response: UpdateState,
  },
  /** Opens the folder of the app's log file in the OS's file manager. */
  'app:openLogFolder': {
    bridge: ['app', 'openLogFolder'],
    request: Empty,
    response: Empty,
  },
  /**
   * Puts a support report on the clipboard and returns it: version, OS, configuration sources and
   * values, broker reachability, keychain state — never a token.
   */
  'app:copyDiagnostics': {
    bridge: ['app', 'copyDiagnostics'],
    request: Empty,
    response: z.object({ text: z.string().max(64 * 1024) }),
  },
  /** Quits and installs a downloaded update; refused (`update_not_ready`) in any other state. */
  'app:installUpdate': {
    bridge: ['app', 'installUpdate'],
    request: Empty,
    response: Empty,
  },
} as const satisfies Record<string, IpcChannelSpec>;

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

/** What a handler in main receives: the request after its schema parsed it (defaults applied). */
export type IpcParsedRequest<C extends IpcChannel> = z.output<IpcChannelMap[C]['request']>;

type NamespaceOf<C extends IpcChannel> = IpcChannelMap[C]['bridge'][0];
type FunctionNameOf<C extends IpcChannel> = IpcChannelMap[C]['bridge'][1];
export type IpcNamespace = NamespaceOf<IpcChannel>;

/** One function of the bridge: it resolves to an envelope; an empty request may be left out. */
export type IpcCall<C extends IpcChannel> =
  Record<string, never> extends IpcRequest<C>
    ? (request?: IpcRequest<C>) => Promise<IpcResult<IpcResponse<C>>>
    : (request: IpcRequest<C>) => Promise<IpcResult<IpcResponse<C>>>;

/** One function per channel of the map, at the place its entry names. */
export type LinkboardBridge = {
  [N in IpcNamespace]: {
    [C in IpcChannel as NamespaceOf<C> extends N ? FunctionNameOf<C> : never]: IpcCall<C>;
  };
};

/** `window.linkboard`, as the preload exposes it: the bridge plus the one event main sends. */
export type LinkboardApi = LinkboardBridge & {
  auth: {
    /** Calls `listener` with the callback URL; returns the function that unsubscribes. */
    onCallback(listener: (url: string) => void): () => void;
  };
};

/** Calls one channel: what the preload does over Electron's IPC, and the renderer's dev fake. */
export type IpcInvoke = <C extends IpcChannel>(
  channel: C,
  request: IpcRequest<C>,
) => Promise<IpcResult<IpcResponse<C>>>;

/**
 * Builds the bridge by walking the channel map: each entry's function, at its place, calls
 * `invoke` with its channel and the request (`{}` when an empty request is left out). Only
 * functions: nothing of the transport is reachable from the object.
 */
export function buildBridge(invoke: IpcInvoke): LinkboardBridge {
  const bridge: Record<string, Record<string, (request?: unknown) => unknown>> = {};
  for (const channel of Object.keys(ipcChannels) as IpcChannel[]) {
    const [namespace, name] = ipcChannels[channel].bridge;
    (bridge[namespace] ??= {})[name] = (request = {}) =>
      invoke(channel, request as IpcRequest<typeof channel>);
  }
  return bridge as LinkboardBridge;
}
