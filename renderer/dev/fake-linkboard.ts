import type { LinkedIdentity, ProviderSummary } from '@linkboard/contract/broker-api';
import { DESKTOP_SCOPE } from '@linkboard/contract/desktop';
import {
  buildBridge,
  type AppInfo,
  type BrokerResponse,
  type IpcChannel,
  type IpcError,
  type IpcRequest,
  type IpcResponse,
  type IpcResult,
  type LinkboardApi,
  type UpdateState,
} from '@linkboard/contract/ipc';
import { SEED_PROVIDERS } from './seed-catalogue';
import {
  SEED_CALENDARS,
  SEED_GITHUB_USER,
  SEED_GOOGLE_USER,
  SEED_IDENTITIES,
  SEED_ORGS,
  seedEvents,
  seedRepositories,
} from './seed-data';

/**
 * A stand-in for `window.linkboard` (the preload's bridge) that answers from seeded data: for the
 * renderer's unit tests and for looking at the UI without main, broker or tenant. Development
 * only: nothing in `src/` imports it, so it never reaches the production bundle.
 */
export interface FakeState {
  info: AppInfo;
  identities: LinkedIdentity[];
  /** Connections the user can connect from the app (the broker's `connectable`). */
  connectable: string[];
  providers: ProviderSummary[];
  repositoryCount: number;
  /** Each next page starts with the previous page's last item, as when items shift upstream. */
  overlappingPages: boolean;
  /** Errors by `connection + path`, e.g. `github/user/repos`. */
  failures: Record<string, IpcError>;
  /** Every broker call fails with `broker_unreachable`. */
  brokerDown: boolean;
  /** Milliseconds every broker call waits before answering (to look at loading states). */
  brokerDelayMs: number;
  /** Where `auth.prepare` says the browser will come back. */
  redirectUri: string;
  /** What `app.updateState` answers; `app.installUpdate` succeeds only when it is `downloaded`. */
  updateState: UpdateState;
}

export type FakeLinkboard = LinkboardApi & {
  readonly state: FakeState;
  readonly store: Map<string, unknown>;
  readonly calls: { channel: string; payload: unknown }[];
  /** Delivers a sign-in callback URL to the subscribers, as main does. */
  emitCallback(url: string): void;
  /** How many `auth:callback` subscribers there are now. */
  callbackListenerCount(): number;
};

/**
 * The fake's answer per channel, typed from the channel map. A channel added to the map without an
 * answer here still has its function on the fake, answering that the fake cannot serve it.
 */
type FakeAnswers = {
  [C in IpcChannel]?: (request: IpcRequest<C>) => Promise<IpcResult<IpcResponse<C>>>;
};

type BrokerCall = IpcRequest<'broker:request'>;

export const FAKE_CONFIG: AppInfo['config'] = {
  auth0Domain: 'linkboard-dev.eu.auth0.com',
  clientId: 'desktop-client-id',
  brokerAudience: 'https://broker.linkboard.example',
  brokerUrl: 'https://broker.linkboard.example',
  redirectMode: 'loopback',
  loopbackPort: 53682,
  updateFeedUrl: 'https://updates.linkboard.example/stable',
  updatesEnabled: true,
  updateChannel: 'stable',
  proxyUrl: null,
  language: null,
};

export function defaultFakeState(): FakeState {
  return {
    info: {
      name: 'Linkboard',
      version: '0.1.0',
      config: { ...FAKE_CONFIG },
      sources: {
        auth0Domain: 'policy',
        clientId: 'policy',
        brokerAudience: 'policy',
        brokerUrl: 'policy',
        redirectMode: 'default',
        loopbackPort: 'default',
        updateFeedUrl: 'user',
        updatesEnabled: 'environment',
        updateChannel: 'default',
        proxyUrl: 'default',
        language: 'default',
      },
      tokenStorage: 'keychain',
    },
    identities: structuredClone(SEED_IDENTITIES),
    connectable: [],
    providers: structuredClone(SEED_PROVIDERS),
    repositoryCount: 45,
    overlappingPages: false,
    failures: {},
    brokerDown: false,
    brokerDelayMs: 0,
    redirectUri: 'http://127.0.0.1:53682/callback',
    updateState: { status: 'idle', lastCheck: 'up-to-date' },
  };
}

const ok = <T>(value: T): IpcResult<T> => ({ ok: true, value });
const fail = <T>(error: IpcError): IpcResult<T> => ({ ok: false, error });
const BROKER_DOWN: IpcError = {
  code: 'broker_unreachable',
  message: 'connect ECONNREFUSED 127.0.0.1:8443',
};

function pageOf(items: unknown[], request: BrokerCall, overlapping: boolean): BrokerResponse {
  const query = request.query ?? {};
  const perPage = Number(query.per_page ?? '20');
  const page = Number(query.page ?? '1');
  // With overlapping pages, page n starts one item early: that item was on page n - 1 too.
  const start = Math.max(0, (page - 1) * perPage - (overlapping && page > 1 ? 1 : 0));
  const end = (page - 1) * perPage + perPage;
  const hasNext = end < items.length;
  return {
    status: 200,
    data: items.slice(start, end),
    next: hasNext ? { path: request.path, query: { ...query, page: String(page + 1) } } : null,
  };
}

function answer(state: FakeState, request: BrokerCall): IpcResult<BrokerResponse> {
  if (state.brokerDown) return fail(BROKER_DOWN);
  const failure = state.failures[`${request.connection}${request.path}`];
  if (failure) return fail(failure);
  const linked = state.identities.some((identity) => identity.connection === request.connection);
  if (!linked) {
    return fail({ code: 'identity_not_linked', message: 'No such identity.', status: 404 });
  }
  const single = (data: unknown): IpcResult<BrokerResponse> =>
    ok({ status: 200, data, next: null });
  switch (`${request.connection}${request.path}`) {
    case 'github/user/repos':
      return ok(pageOf(seedRepositories(state.repositoryCount), request, state.overlappingPages));
    case 'github/user':
      return single(SEED_GITHUB_USER);
    case 'github/user/orgs':
      return single(SEED_ORGS);
    case 'github/user/starred':
      return single([]);
    case 'google-oauth2/oauth2/v3/userinfo':
      return single(SEED_GOOGLE_USER);
    case 'google-oauth2/calendar/v3/calendars/primary/events':
      return single({ items: seedEvents(Math.ceil(Date.now() / 3_600_000) * 3_600_000) });
    case 'google-oauth2/calendar/v3/users/me/calendarList':
      return single({ items: SEED_CALENDARS });
    default:
      return fail({ code: 'path_not_allowed', message: 'Path not allowed.', status: 403 });
  }
}

export function createFakeLinkboard(overrides: Partial<FakeState> = {}): FakeLinkboard {
  const state: FakeState = { ...defaultFakeState(), ...overrides };
  const store = new Map<string, unknown>();
  /** Kept views by `subject key`, as main keeps them (one user's, wiped at sign-out). */
  const views = new Map<string, { savedAt: string; data: unknown }>();
  const calls: { channel: string; payload: unknown }[] = [];
  const listeners = new Set<(url: string) => void>();
  const record = (channel: string, payload: unknown = {}) => calls.push({ channel, payload });
  const delay = () =>
    state.brokerDelayMs > 0
      ? new Promise((resolve) => setTimeout(resolve, state.brokerDelayMs))
      : Promise.resolve();
  const brokerCall = <T>(value: () => T): IpcResult<T> =>
    state.brokerDown ? fail(BROKER_DOWN) : ok(value());

  const answers: FakeAnswers = {
    'auth:prepare': async (request) => {
      record('auth:prepare', request);
      return ok({ redirectUri: state.redirectUri, mode: state.info.config.redirectMode });
    },
    'auth:open': async ({ url }) => {
      record('auth:open', { url });
      const { origin, pathname } = new URL(url);
      const domain = state.info.config.auth0Domain;
      const tenant = /^https?:\/\//.test(domain) ? domain : `https://${domain}`;
      const allowed = origin === tenant && (pathname === '/authorize' || pathname === '/v2/logout');
      return allowed
        ? ok({})
        : fail({ code: 'url_not_allowed', message: 'Only the sign-in service may be opened.' });
    },
    'auth:openConnect': async ({ url, state: connectState }) => {
      record('auth:openConnect', { url, state: connectState });
      const { origin, pathname } = new URL(url);
      const domain = state.info.config.auth0Domain;
      const tenant = /^https?:\/\//.test(domain) ? domain : `https://${domain}`;
      return origin === tenant && pathname === '/connect'
        ? ok({})
        : fail({ code: 'url_not_allowed', message: 'Only the connect page may be opened.' });
    },
    'auth:cancel': async () => {
      record('auth:cancel');
      return ok({});
    },
    'cache:get': async ({ key }) => {
      record('cache:get', { key });
      return ok({ value: store.has(key) ? structuredClone(store.get(key)) : null });
    },
    'cache:set': async ({ key, value }) => {
      record('cache:set', { key });
      store.set(key, structuredClone(value));
      return ok({});
    },
    'cache:remove': async ({ key }) => {
      record('cache:remove', { key });
      store.delete(key);
      return ok({});
    },
    'cache:allKeys': async () => {
      record('cache:allKeys');
      return ok({ keys: [...store.keys()] });
    },
    'cache:clear': async () => {
      record('cache:clear');
      store.clear();
      views.clear();
      return ok({});
    },
    'views:get': async ({ subject, key }) => {
      record('views:get', { key });
      const kept = views.get(`${subject} ${key}`);
      return ok({ cached: kept ? structuredClone(kept) : null });
    },
    'views:set': async ({ subject, key, data }) => {
      record('views:set', { key });
      for (const name of views.keys()) if (!name.startsWith(`${subject} `)) views.delete(name);
      views.set(`${subject} ${key}`, {
        savedAt: new Date().toISOString(),
        data: structuredClone(data),
      });
      return ok({});
    },
    'broker:request': async (request) => {
      record('broker:request', {
        connection: request.connection,
        path: request.path,
        query: request.query,
      });
      await delay();
      return answer(state, request);
    },
    'broker:identities': async () => {
      record('broker:identities');
      await delay();
      return brokerCall(() => ({
        identities: structuredClone(state.identities),
        connectable: [...state.connectable],
      }));
    },
    'broker:providers': async () => {
      record('broker:providers');
      await delay();
      return brokerCall(() => ({ providers: structuredClone(state.providers) }));
    },
    'web:open': async (request) => {
      record('web:open', request);
      return ok({});
    },
    'web:copy': async (request) => {
      record('web:copy', request);
      return ok({});
    },
    'app:info': async () => {
      record('app:info');
      return ok(structuredClone(state.info));
    },
    'app:updateState': async () => {
      record('app:updateState');
      return ok(structuredClone(state.updateState));
    },
    'app:openLogFolder': async () => {
      record('app:openLogFolder');
      return ok({});
    },
    'app:copyDiagnostics': async () => {
      record('app:copyDiagnostics');
      return ok({ text: `${state.info.name} ${state.info.version} — diagnostics (fake)\n` });
    },
    'app:installUpdate': async () => {
      record('app:installUpdate');
      return state.updateState.status === 'downloaded'
        ? ok({})
        : fail({ code: 'update_not_ready', message: 'No update is ready to install.' });
    },
  };

  const bridge = buildBridge(async (channel, request) => {
    const respond = answers[channel] as
      ((request: unknown) => Promise<IpcResult<IpcResponse<typeof channel>>>) | undefined;
    if (respond) return respond(request);
    record(channel, request);
    return fail({ code: 'unknown_channel', message: `The fake has no answer for ${channel}.` });
  });

  return {
    ...bridge,
    auth: {
      ...bridge.auth,
      onCallback: (listener) => {
        listeners.add(listener);
        return () => listeners.delete(listener);
      },
    },
    state,
    store,
    calls,
    emitCallback: (url) => {
      for (const listener of listeners) listener(url);
    },
    callbackListenerCount: () => listeners.size,
  };
}

/** The signed-in user of the seeded data, as ID token claims. */
export const SEED_USER = {
  sub: 'auth0|ada',
  name: 'Ada Lovelace',
  nickname: 'ada',
  email: 'ada.lovelace@example.com',
};

/**
 * Puts a remembered sign-in into the fake store the way auth0-spa-js 2 writes it (an access token
 * entry and the ID token entry), valid for an hour: the real SDK then starts signed in without any
 * network call. The tokens are placeholders, not JWTs anyone issued.
 */
export function seedRememberedSession(fake: FakeLinkboard, now = Date.now()): void {
  const { clientId, brokerAudience } = fake.state.info.config;
  const scope = ['openid', ...DESKTOP_SCOPE.split(' ')]
    .filter((item, index, all) => all.indexOf(item) === index)
    .join(' ');
  const expiresAt = Math.floor(now / 1000) + 3600;
  const claims = { ...SEED_USER, __raw: 'placeholder-id-token', exp: expiresAt, aud: clientId };
  fake.store.set(`@@auth0spajs@@::${clientId}::${brokerAudience}::${scope}`, {
    body: {
      client_id: clientId,
      access_token: 'placeholder-access-token-for-the-fake-broker',
      expires_in: 3600,
      token_type: 'Bearer',
      audience: brokerAudience,
      scope,
      refresh_token: 'placeholder-refresh-token',
    },
    expiresAt,
  });
  fake.store.set(`@@auth0spajs@@::${clientId}::@@user@@`, {
    id_token: 'placeholder-id-token',
    decodedToken: { claims, user: SEED_USER },
  });
}
